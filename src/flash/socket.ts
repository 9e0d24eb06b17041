/**
 * Socket policy framing (spec/flash/6-sockets.md, FLASH-SOCK-1 and FLASH-SOCK-2): the request the
 * client sends, and how the policy text is cut out of what the server sent back.
 *
 * @module
 */

// FLASH-SOCK-1
/**
 * The policy request: `<policy-file-request/>` followed by one NUL byte, 23 bytes in all.
 * ("Flash Player sends `<policy-file-request />`, terminated by a null byte" [FL8]; every player and
 * Adobe's own daemon use the form without the space.)
 */
export const POLICY_FILE_REQUEST = '<policy-file-request/>\u0000';

// FLASH-SOCK-1
/** {@link POLICY_FILE_REQUEST} as bytes (ASCII), for servers and harnesses. */
export const POLICY_FILE_REQUEST_BYTES: Uint8Array = Uint8Array.from(POLICY_FILE_REQUEST, (c) => c.charCodeAt(0));

/** Diagnostic codes of the socket framing (beyond the parser's). */
export const SOCKET_FRAMING_DIAGNOSTIC_CODES = ['ignored-after-nul'] as const;

/** What a socket policy response held. */
export interface SocketPolicyText {
  /** The policy text (before the first NUL), or `null` when the response was empty. */
  text: string | null;
  /** How the policy ended: at a NUL byte, or when the server closed the connection. */
  terminatedBy: 'nul' | 'close';
  /** How many characters followed the first NUL (not part of the policy). */
  ignoredAfterNul: number;
}

// FLASH-SOCK-2
/**
 * Cuts the policy text out of a socket response: the text ends at the first NUL, or at the end of
 * the response when the server closed without one (Adobe's own daemons never send the NUL).
 * Whatever follows the NUL is not part of the policy. An empty policy is no policy.
 */
export function extractSocketPolicyText(response: string): SocketPolicyText {
  const nul = response.indexOf('\u0000');
  const text = nul === -1 ? response : response.slice(0, nul);
  return {
    text: text === '' ? null : text,
    terminatedBy: nul === -1 ? 'close' : 'nul',
    ignoredAfterNul: nul === -1 ? 0 : response.length - nul - 1,
  };
}
