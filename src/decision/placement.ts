/**
 * Where each client looks for a target's master policy, as a world: what `xdpolicy decide --policy
 * FILE` means. One place for both clients, next to the request reader whose target it takes.
 *
 * @module
 */
import { masterSocketLocation, masterUrlLocation, socketLocation, urlLocation, type Target } from '../world/locations.js';
import type { WorldSnapshot } from '../world/world.js';
import { SILVERLIGHT_POLICY_PORT } from '../silverlight/model.js';
import type { ClientProfile } from './types.js';

// FLASH-SOCK-4, FLASH-URL-1, SL-SOCK-2, SL-SOCK-4, SL-HTTP-2, SL-HTTP-4
/**
 * A world in which only the target's master location serves `policyText`:
 * - `flash`: the master socket policy on port 843, NUL-terminated as a server sends it, or
 *   `/crossdomain.xml` at the target's scheme, host and port, as `text/x-cross-domain-policy`;
 * - `silverlight`: port 943 of the host (no NUL: the answer ends at the close), or
 *   `/clientaccesspolicy.xml` at the target's scheme, host and port, as `text/xml`.
 */
export function masterPolicyWorld(client: ClientProfile, target: Target, policyText: string): WorldSnapshot {
  switch (client) {
    case 'flash':
      return target.kind === 'socket'
        ? { [masterSocketLocation(target.host).key]: { body: `${policyText}\u0000` } }
        : { [masterUrlLocation(target).key]: { body: policyText, status: 200, contentType: 'text/x-cross-domain-policy' } };
    case 'silverlight':
      return target.kind === 'socket'
        ? { [socketLocation(target.host, SILVERLIGHT_POLICY_PORT).key]: { body: policyText } }
        : { [urlLocation(target, '/clientaccesspolicy.xml').key]: { body: policyText, status: 200, contentType: 'text/xml' } };
  }
}
