/**
 * The `gnash` profile: GNU Gnash @ f6a0b382 (strk/gnash), which reads no policy file at all
 * (spec/flash/9-divergences.md rows GN-*). `URLAccessManager` decides every load and socket from the
 * host alone and the user's gnashrc; with gnashrc's defaults (no whitelist, no blacklist,
 * `localhost`/`localdomain` off) every host is allowed, and a socket only to ports 1024 and above —
 * its port arrives as a `short`, so ports above 32767 wrap negative and are refused too. Our own
 * function, written from that code.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import type { FlashSteps } from '../flash/steps.js';
import type { ProfileDefinition, StepTag } from './types.js';

const AT = 'strk/gnash @ f6a0b382';

const tag = (record: string, departsFrom: RequirementId[], does: string, source: string): StepTag => ({ record: `flash/9#${record}`, departsFrom, does, source: `${AT} ${source}` });

/** The `short` a C++ `uint16_t` port becomes when passed to `allowXMLSocket(…, short port)`. */
export function asShort(port: number): number {
  return (port << 16) >> 16;
}

/** Gnash @ f6a0b382. */
export const GNASH_PROFILE: ProfileDefinition<FlashSteps> = {
  name: 'gnash',
  base: 'flash',
  title: 'Gnash @ f6a0b382 (default gnashrc)',
  description: 'GNU Gnash, which reads no policy file: every load is allowed by host (gnashrc lists empty), sockets only to ports 1024-32767 (its port is a short).',
  overrides: {
    withoutPolicy: {
      run: (b, request) => {
        const target = request.target;
        if (target.kind === 'socket') {
          const port = asShort(target.port);
          if (port < 1024) {
            b.add({ step: 'note', why: `Gnash reads no socket policy; allowXMLSocket refuses port ${target.port}${port !== target.port ? ` (${port} once passed as a short)` : ''}, below 1024`, requirements: ['FLASH-SOCK-4', 'FLASH-SOCK-7'] });
            return b.denyBecause(`Gnash refuses socket connections below port 1024 (port ${target.port}${port !== target.port ? ` reads ${port} as a short` : ''}); no policy is asked`, ['FLASH-SOCK-7']);
          }
          b.add({ step: 'note', why: `Gnash reads no socket policy; port ${target.port} is 1024 or above and the host is on no gnashrc list`, requirements: ['FLASH-SOCK-4'] });
          return b.allow(`Gnash allows a socket to ${target.host}:${target.port} without any policy (default gnashrc)`, ['FLASH-SOCK-4']);
        }
        b.add({ step: 'note', why: `Gnash reads no crossdomain.xml; ${target.host} is on no gnashrc list`, requirements: ['FLASH-URL-1'] });
        return b.allow(`Gnash allows a load from ${target.host} without any policy (default gnashrc: no whitelist, no blacklist)`, ['FLASH-URL-1']);
      },
      tag: tag('GN-1', ['FLASH-SOCK-4', 'FLASH-SOCK-7', 'FLASH-URL-1', 'FLASH-URL-14'], 'reads no policy file: sockets are refused below port 1024 and above 32767 (a short), everything else allowed by host; loads are allowed by host; no blocked ports', 'libbase/URLAccessManager.cpp:81-121 (lists; default grant line 120), 253-268 (allowHost, allowXMLSocket(short port), port < 1024 at 264), 273-292 (allow); libcore/asobj/XMLSocket_as.cpp:162-165 (uint16_t port passed on); libbase/rc.cpp:93-94 (localdomain/localhost off by default); libcore/asobj/System_as.cpp:329 (loadPolicyFile unimplemented)'),
    },
  },
  undecided: [
    { what: "The user's gnashrc (whitelist, blacklist, localhost/localdomain only, local sandboxes).", chose: 'Its defaults: empty lists, both switches off (libbase/rc.cpp:93-94). The client configuration deny list still applies first (CLIENT-3, CLIENT-4).' },
    { what: 'Local (file:) SWFs and file: targets (local sandboxes).', chose: 'Targets are http(s) or sockets here; a file: origin is decided like any other (by the target host).' },
  ],
};
