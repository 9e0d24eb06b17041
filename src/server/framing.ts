/**
 * Request framing for the socket policy protocols: which bytes a client sends, and an incremental
 * matcher that recognises them across any split into TCP reads without buffering the bytes.
 *
 * Flash sends the 23 bytes `<policy-file-request/>` + NUL (FLASH-SOCK-1); Silverlight sends the
 * same 22 characters without the NUL. The matcher keeps only a count of bytes matched so far: the
 * bytes themselves are known (they are the expected request), so no per-connection buffer exists.
 *
 * @module
 */

/** The Flash socket policy request: `<policy-file-request/>` followed by one NUL byte (23 bytes). */
// SRV-FRAME-1
export const FLASH_POLICY_REQUEST: Buffer = Buffer.from('<policy-file-request/>\0', 'latin1');

/** The Silverlight socket policy request: `<policy-file-request/>` without a terminator (22 bytes). */
// SRV-FRAME-2
export const SILVERLIGHT_POLICY_REQUEST: Buffer = Buffer.from('<policy-file-request/>', 'latin1');

/** Which socket policy protocol a listener speaks. */
export type SocketPolicyProtocol = 'flash' | 'silverlight';

/** The request bytes of a protocol. */
export function policyRequestFor(protocol: SocketPolicyProtocol): Buffer {
  return protocol === 'flash' ? FLASH_POLICY_REQUEST : SILVERLIGHT_POLICY_REQUEST;
}

/**
 * What a chunk of input did to a request in progress:
 * - `partial`: every byte so far matched; `matched` bytes of the request have arrived;
 * - `complete`: the whole request arrived (and nothing but what {@link matchRequestChunk} allows after it);
 * - `mismatch`: a byte differs from the request, at `offset` in the chunk;
 * - `excess`: the request arrived followed by more bytes than the protocol allows.
 */
export type RequestProgress =
  | { state: 'partial'; matched: number }
  | { state: 'complete' }
  | { state: 'mismatch'; offset: number }
  | { state: 'excess' };

/**
 * Advances a request match by one chunk of input.
 *
 * `matched` is how many bytes of `expected` have already arrived. The comparison is exact and
 * case-sensitive (SRV-FRAME-3); `trailingNul` permits exactly one NUL after the request in the
 * same chunk (the Silverlight listener's tolerance of a Flash-style terminator, SRV-FRAME-4).
 */
export function matchRequestChunk(expected: Buffer, matched: number, chunk: Uint8Array, trailingNul = false): RequestProgress {
  const need = expected.length - matched;
  const n = Math.min(need, chunk.length);
  // SRV-FRAME-3
  for (let i = 0; i < n; i++) {
    if (chunk[i] !== expected[matched + i]) return { state: 'mismatch', offset: i };
  }
  if (chunk.length < need) return { state: 'partial', matched: matched + chunk.length };
  const rest = chunk.length - need;
  if (rest === 0) return { state: 'complete' };
  // SRV-FRAME-4
  if (trailingNul && rest === 1 && chunk[need] === 0) return { state: 'complete' };
  // SRV-FRAME-5
  return { state: 'excess' };
}
