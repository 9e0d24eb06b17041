/**
 * The `flash9` profile: Flash Player 9 before its strict socket rules (before 9,0,124,0, the rules
 * Adobe's "Policy file changes in Flash Player 9 and Flash Player 10" article says changed in
 * 9,0,115,0 and 9,0,124,0), as Adobe's own documents describe them (spec/flash/9-divergences.md,
 * rows F9-*). There is no code to read: each override follows the documented behaviour, and what
 * the documents leave open is listed in `undecided` (fail closed).
 *
 * @module
 */
import { describeRule, traceRule } from '../decision/builder.js';
import type { Decision } from '../decision/types.js';
import { findAccessGrant } from '../flash/compile.js';
import type { FlashSteps, LegacySocketInput } from '../flash/steps.js';
import { FLASH_STEPS } from '../flash/steps.js';
import { masterUrlLocation } from '../world/locations.js';
import type { ProfileDefinition, StepTag } from './types.js';

const FP9 = 'Adobe devnet, "Policy file changes in Flash Player 9 and Flash Player 10" (fplayer9_security.html)';

const tag = (record: string, departsFrom: StepTag['departsFrom'], does: string, source: string): StepTag => ({ record: `flash/9#${record}`, departsFrom, does, source });

/**
 * Until 9,0,124,0 enforced strict sockets, an HTTP policy at the default location (`http://host/crossdomain.xml`, port 80)
 * authorizes socket connections to ports 1024 and above on that host; its `to-ports` are ignored.
 */
function httpPolicyGrantsSocket(input: LegacySocketInput): Decision | null {
  const { b, fetch, origin, target } = input;
  // The URL loadPolicyFile locations are still traced (and refused) as the reference does.
  FLASH_STEPS.legacySocketGrant(input);
  if (target.port < 1024) {
    b.add({ step: 'note', why: `port ${target.port} is below 1024: an HTTP policy never authorized it (Flash Player 9)`, requirements: ['FLASH-SOCK-3', 'FLASH-SOCK-7'] });
    return null;
  }
  const loc = masterUrlLocation({ scheme: 'http', host: target.host, port: 80 });
  const fetched = fetch.url(loc, true);
  if (fetched.compiled === null) {
    b.add({ step: 'fetch', location: fetched.final, answered: fetched.answered, used: false, why: `HTTP master policy (Flash Player 9 reads it for sockets): ${fetched.why}`, requirements: ['FLASH-SOCK-3'] });
    return null;
  }
  const grant = findAccessGrant(fetched.compiled, origin);
  if (grant === null) {
    b.add({ step: 'no-match', location: fetched.final, used: false, why: 'the HTTP master policy has no allow-access-from matching this origin', requirements: ['FLASH-SOCK-3'] });
    return null;
  }
  const fallback: Record<string, string> = { domain: grant.rule.domain };
  const rule = traceRule('allow-access-from', grant.rule.source, fallback);
  return b.allow(`Flash Player 9 reads the HTTP master policy for sockets to ports 1024 and above: ${describeRule(rule)} at ${fetched.final}`, ['FLASH-SOCK-3'], fetched.final, rule);
}

/** Flash Player 9 before 9,0,124,0. */
export const FLASH9_PROFILE: ProfileDefinition<FlashSteps> = {
  name: 'flash9',
  base: 'flash',
  title: 'Flash Player 9 before 9,0,124,0',
  description: "Flash Player 9 before its fully strict socket rules (9,0,124,0): an HTTP /crossdomain.xml still authorizes sockets to ports 1024 and above, and meta-policies are not enforced (everything is 'all').",
  overrides: {
    legacySocketGrant: {
      run: httpPolicyGrantsSocket,
      tag: tag('F9-1', ['FLASH-SOCK-3'], 'an HTTP policy at http://host/crossdomain.xml authorizes sockets to ports 1024 and above on that host, to-ports ignored', `${FP9}, as quoted by allaryin.com 2007-12-13 ("Prior to version 9,0,115,0, an HTTP policy file, served from the master location of /crossdomain.xml on port 80, could be used to authorize a socket connection to any port 1024 or greater"); Programming ActionScript 3.0 (Flex 2) p. 459`),
    },
    metaPolicy: {
      run: (_policy, _header, context) => (context.master === false ? null : { value: 'all', source: 'default', notes: ["Flash Player 9 has no meta-policies: every policy file of the host is honoured ('all')"], requirements: ['FLASH-META-1'] }),
      tag: tag('F9-2', ['FLASH-META-1', 'FLASH-META-6', 'FLASH-GRAM-10'], "has no meta-policies: site-control and X-Permitted-Cross-Domain-Policies are not read; the default is 'all'", `${FP9} _03 (meta-policies introduced); ActionScript 3.0 Developer's Guide p. 1054 ("In Flash Player 9 and earlier, the default meta-policy for URL policy files was 'all'")`),
    },
  },
  undecided: [
    { what: 'Whether the master socket policy on port 843 was read before 9,0,124,0 (it arrived with 9,0,115,0).', chose: 'Read, as Flash Player 10 does: Adobe names only HTTP policies for sockets and meta-policies among what 9,0,124,0 enforced.' },
    { what: 'Whether a SWF could open a socket to its own host without any policy before 9,0,124,0 ("A SWF file may no longer make a socket connection to its own domain without a socket policy file").', chose: 'Not modelled: the same-host socket still needs a policy (fail closed). UNVERIFIED.' },
    { what: 'Whether an HTTP policy authorizing sockets had to be served on port 80 only, or from the target host\'s default HTTP port whatever it is.', chose: 'http://host:80/crossdomain.xml only, as the quoted text says ("on port 80").' },
    { what: 'Whether none-this-response and the Content-Type rule applied before 9,0,124,0.', chose: 'As Flash Player 10 (the stricter reading). UNVERIFIED.' },
  ],
};
