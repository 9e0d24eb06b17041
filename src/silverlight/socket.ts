/**
 * Wire constants of the Silverlight socket policy protocol (spec/silverlight/8-sockets.md), for
 * the policy server and the live harness. The evaluator itself never touches a socket.
 *
 * @module
 */
import { SILVERLIGHT_POLICY_PORT } from './model.js';

/**
 * The request a Silverlight client sends on TCP 943: these 22 bytes, with no NUL after them
 * (SL-SOCK-3). Flash sends the same text followed by a NUL (23 bytes).
 */
export const SILVERLIGHT_POLICY_REQUEST = '<policy-file-request/>';

/** The request as bytes (22 of them; SL-SOCK-3). */
export const SILVERLIGHT_POLICY_REQUEST_BYTES: Uint8Array = new TextEncoder().encode(SILVERLIGHT_POLICY_REQUEST);

/** The world location of a host's Silverlight socket policy: `xmlsocket://host:943` (SL-SOCK-2). */
export function silverlightSocketPolicyLocation(host: string): string {
  return `xmlsocket://${host}:${SILVERLIGHT_POLICY_PORT}`;
}
