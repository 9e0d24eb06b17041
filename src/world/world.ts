/**
 * The world snapshot: what each policy location answered, so the decision function stays pure.
 *
 * This is also the `xdpolicy decide --world FILE` format and what `xdpolicy certify --record`
 * writes. Keys are policy locations — `xmlsocket://host:port` for socket policy endpoints,
 * `http(s)://host[:port]/path` for URL policy files. A location missing from the world is nothing
 * listening (socket) or a 404 (HTTP). Keys are compared after normalisation (scheme and host
 * lowercase, default HTTP ports dropped, IPv6 compressed): see `src/world/locations.ts`, and
 * `parseWorld` in `src/world/parse.ts` for the strict reader of this format.
 *
 * @module
 */

/** How a connection to a location failed, instead of answering. */
export type WorldError = 'timeout' | 'refused' | 'reset';

/**
 * How a response ended after its `body`, as the recorder saw it (WIRE-HARNESS-4):
 * - `close`: the server closed the connection (socket), or the HTTP message was complete;
 * - `reset`: the connection was reset (or failed) before that;
 * - `timeout`: the server still held the connection open, sending nothing more, when the
 *   recorder stopped waiting;
 * - `limit`: the recorder stopped reading at its byte limit while the server was still sending.
 *
 * Only `close` ends a read that nothing else ended: Flash reads a socket until the first NUL or the
 * close (FLASH-SOCK-2), Silverlight until the close (SL-SOCK-4), and an HTTP body that did not
 * complete is no response (FLASH-URL-6, SL-HTTP-3). So a body that ended any other way is what the
 * client had read so far, not an answer.
 */
export type WorldEnd = 'close' | 'reset' | 'timeout' | 'limit';

/** What one policy location answered. */
export interface WorldResponse {
  /** The bytes the server sent (a socket `body` includes its trailing NUL if the server sent one). */
  body: string;
  /**
   * HTTP status (default 200). Ignored for socket locations. A 3xx status with a `Location`
   * header is a redirect, followed within the world (FLASH-URL-8).
   */
  status?: number;
  /** HTTP `Content-Type`. Absent means the response had none. */
  contentType?: string;
  /** Other HTTP response headers, by name (compared case-insensitively). */
  headers?: Record<string, string>;
  /** The connection failed this way instead of answering; `body` is then ignored. */
  error?: WorldError;
  /** How the response ended after `body` (see {@link WorldEnd}); absent means `close`, a finished answer. */
  end?: WorldEnd;
}

/** Whether the response ended with the server's close (or a complete HTTP message): `end` absent or `close`. */
export function endedByClose(response: WorldResponse): boolean {
  return response.end === undefined || response.end === 'close';
}

/** A world snapshot: policy location → what it answered. */
export type WorldSnapshot = Record<string, WorldResponse>;
