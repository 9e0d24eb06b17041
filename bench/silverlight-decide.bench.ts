/**
 * Silverlight decisions (src/silverlight/decide.ts) on compiled socket policies with 10, 1,000 and
 * 10,000 rules, next to the linear scan over the same rules, plus the end-to-end `decide` over a
 * world — the same figures and targets as the Flash suite (bench/flash-decide.bench.ts).
 *
 * Targets (issues 2 and 3): ≥ 1,000,000 decisions/s; 10,000 rules cost ≤ 2× of 10 rules; ≥ 50× the
 * linear scan at 10,000 rules.
 */
import { pushAll } from '../src/collections.js';
import { createDecider } from '../src/decision/decide.js';
import { callerOf, type SilverlightCaller } from '../src/silverlight/domains.js';
import { compileSilverlightPolicy, findSocketGrant, findSocketGrantLinear, prepareLinearSilverlight, type SilverlightSocketGrant } from '../src/silverlight/compile.js';
import { effectiveSilverlightPolicy } from '../src/silverlight/effective.js';
import { parseOriginUrl } from '../src/world/locations.js';
import type { SilverlightPolicy, SilverlightPolicyEntry } from '../src/silverlight/model.js';
import { serializeSilverlightPolicy } from '../src/silverlight/serialize.js';
import { profileOverrides, profilesOf, silverlightStepsOf } from '../src/profiles/index.js';
import { moonlightSocketGrant } from '../src/profiles/moonlight.js';
import type { ProfileName } from '../src/decision/types.js';
import type { CompiledSilverlightPolicy } from '../src/silverlight/compile.js';
import { policyReadingOf } from '../src/silverlight/steps.js';
import { consume, decisionTargets, rng, fmt, measure, type BenchFigure, type BenchSuite, type BenchTarget } from './suite.js';

/** The uri of rule i: subdomain wildcards, exact roots and exact XAPs, as real policies mix them. */
function uriOf(i: number): string {
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return `http://*.site${i}.example.com`;
    case 4:
      return `http://www.app${i}.example.org/client/app.xap`;
    default:
      return `http://www.host${i}.example.net`;
  }
}

/** A socket policy with n `<policy>` elements, each granting 4502-4510 plus one port of its own. */
export function syntheticSilverlightPolicy(n: number): SilverlightPolicy {
  const policies: SilverlightPolicyEntry[] = [];
  for (let i = 0; i < n; i++) {
    const own = 4511 + (i % 24);
    policies.push({
      allowFrom: [{ domains: [{ uri: uriOf(i) }], httpRequestHeaders: [], httpMethods: [] }],
      grantTo: [{ resources: [], socketResources: [{ from: 4502, to: 4510, protocol: 'tcp' }, { from: own, to: own, protocol: 'tcp' }] }],
    });
  }
  return { format: 'silverlight', policies };
}

/** Callers: half match some rule (subdomain at depth 1-3, exact root, exact XAP), half miss. */
function callers(n: number, count: number, seed: number): { url: string; caller: SilverlightCaller }[] {
  const r = rng(seed);
  const out: { url: string; caller: SilverlightCaller }[] = [];
  for (let k = 0; k < count; k++) {
    const i = Math.floor(r() * n);
    const kind = i % 10;
    let url: string;
    if (r() < 0.5) url = `http://a.b.c.unknown${k}.example.org/x.xap`;
    else if (kind <= 3) url = `http://${'x.'.repeat(1 + Math.floor(r() * 3))}site${i}.example.com/app.xap`;
    else if (kind === 4) url = `http://www.app${i}.example.org/client/app.xap`;
    else url = `http://www.host${i}.example.net/m/app.xap`;
    out.push({ url, caller: callerOf(parseOriginUrl(url, { what: 'origin', requirement: 'SL-DOM-1', diagnostics: [] })!) });
  }
  return out;
}

const SIZES = [10, 1000, 10000] as const;

/** The pure socket decision behind a profile's own `decideSocketGrant` step (what that step runs before it writes the trace). */
const OWN_SOCKET_DECISION: Partial<Record<ProfileName, (c: CompiledSilverlightPolicy, caller: SilverlightCaller, port: number) => SilverlightSocketGrant | object | null>> = {
  moonlight: moonlightSocketGrant,
};

export const suite: BenchSuite = {
  name: 'silverlight decide',
  run() {
    const figures: BenchFigure[] = [];
    const targets: BenchTarget[] = [];
    const rate: Record<number, number> = {};
    const linearRate: Record<number, number> = {};
    for (const n of SIZES) {
      const policy = syntheticSilverlightPolicy(n);
      const effective = effectiveSilverlightPolicy(policy, { kind: 'socket' });
      const compiled = compileSilverlightPolicy(effective);
      const linear = prepareLinearSilverlight(effective);
      const cs = callers(n, 1024, 11 + n);
      const ports = cs.map((_, k) => (k % 3 === 0 ? 4505 : k % 3 === 1 ? 4511 + (k % 24) : 4534));
      // Sanity: the index and the scan agree on this workload.
      for (let k = 0; k < cs.length; k++) {
        const a = findSocketGrant(compiled, cs[k]!.caller, ports[k]!);
        const b = findSocketGrantLinear(linear, cs[k]!.caller, ports[k]!);
        if ((a?.allowFrom.policyIndex ?? -1) !== (b?.allowFrom.policyIndex ?? -1)) throw new Error(`index and linear scan disagree on caller ${k} at ${n} rules`);
      }
      let k = 0;
      rate[n] = measure(() => {
        k = (k + 1) & 1023;
        consume(findSocketGrant(compiled, cs[k]!.caller, ports[k]!));
      });
      figures.push({ label: `compiled decision, ${fmt(n)} rules`, value: rate[n]!, unit: 'decisions/s' });
      let j = 0;
      linearRate[n] = measure(
        () => {
          j = (j + 1) & 1023;
          consume(findSocketGrantLinear(linear, cs[j]!.caller, ports[j]!));
        },
        1,
        { rounds: 3, roundMs: 200 },
      );
      figures.push({ label: `linear scan, ${fmt(n)} rules`, value: linearRate[n]!, unit: 'decisions/s' });
    }

    // End to end: decide() over a world serving the 10,000-rule policy on port 943, parsed and
    // compiled once by the decider; includes URL parsing and building the trace.
    const body = serializeSilverlightPolicy(syntheticSilverlightPolicy(10000));
    const decider = createDecider({ 'xmlsocket://game.example.com:943': { body } });
    const requests = callers(10000, 256, 99).map((c, i) => ({ client: 'silverlight' as const, origin: c.url, target: `socket://game.example.com:${i % 2 ? 4505 : 4534}` }));
    if (decider.decide(requests[0]!).trace.some((t) => t.answered === 'invalid')) throw new Error('the end-to-end policy does not parse');
    let e = 0;
    const e2e = measure(() => {
      e = (e + 1) & 255;
      consume(decider.decide(requests[e]!));
    });
    figures.push({ label: 'end-to-end decide() incl. URL parsing and trace, 10,000 rules (compiled once)', value: e2e, unit: 'decisions/s' });

    // Every Silverlight-family profile (spec/profiles.md): the policy text read with the profile's
    // own readPolicy step, and the socket decision measured as the profile makes it — the
    // reference's findSocketGrant on the compiled form, or the pure decision behind the profile's
    // own decideSocketGrant step (OWN_SOCKET_DECISION).
    const profileNotes: string[] = [];
    const cs = callers(10000, 1024, 7 + 10000);
    for (const name of profilesOf('silverlight')) {
      const steps = silverlightStepsOf(name);
      const overridden = new Set(profileOverrides(name).map((o) => o.step));
      if (overridden.has('caller')) throw new Error(`profile ${name} reads the caller its own way: measure its own decision here`);
      const read = steps.readPolicy(body, 'socket', policyReadingOf(steps));
      if (!read.ok) throw new Error(`profile ${name} does not read the benchmark policy: ${read.why}`);
      const compiled = read.policy as CompiledSilverlightPolicy;
      if (!Array.isArray(compiled.any) || compiled.effective === undefined) throw new Error(`profile ${name}'s readPolicy gives no compiled policy: measure its own decision here`);
      const own = overridden.has('decideSocketGrant') ? OWN_SOCKET_DECISION[name] : undefined;
      if (overridden.has('decideSocketGrant') && own === undefined) throw new Error(`profile ${name} decides sockets its own way: add its decision to OWN_SOCKET_DECISION`);
      const decideOne = own ?? findSocketGrant;
      const ps = cs.map((_, k) => (k % 3 === 0 ? 4505 : k % 3 === 1 ? 4511 + (k % 24) : 4534));
      if (own !== undefined) {
        // Sanity: on this policy (no quirk of the profile's own decision applies) it grants as findSocketGrant does.
        for (let k = 0; k < cs.length; k++) {
          const a = own(compiled, cs[k]!.caller, ps[k]!);
          const b = findSocketGrant(compiled, cs[k]!.caller, ps[k]!);
          if (a !== b && (a === null || b === null || !('resource' in a) || a.allowFrom.policyIndex !== b.allowFrom.policyIndex)) throw new Error(`profile ${name}: its own socket decision and findSocketGrant disagree on caller ${k}`);
        }
      }
      let q = 0;
      const r = measure(() => {
        q = (q + 1) & 1023;
        consume(decideOne(compiled, cs[q]!.caller, ps[q]!));
      });
      figures.push({ label: `profile ${name}: compiled decision, 10,000 rules`, value: r, unit: 'decisions/s' });
      targets.push({ target: `profile ${name}: ≥ 1,000,000 compiled decisions/s (10,000 rules)`, measured: `${fmt(r)}/s`, pass: r >= 1_000_000 });
      const reading = overridden.has('readPolicy') ? 'its own readPolicy into the reference\'s compiled form' : 'the reference\'s reading';
      const domains = overridden.has('domainPattern') ? 'its own domainPattern in the reference\'s index (host endings without a dot boundary: one lookup per distinct ending length)' : 'the reference\'s domain index';
      const deciding = own !== undefined ? `its own socket decision (${own.name}: the reference's findSocketGrant unless a <domain> without uri is in the policy)` : 'findSocketGrant';
      profileNotes.push(`${name}: ${reading}, ${domains}, ${deciding}; no scan`);
    }

    pushAll(targets, decisionTargets(rate, linearRate));
    return {
      figures,
      targets,
      notes: [
        'Socket policies with N `<policy>` elements (40% `http://*.suffix`, 50% exact roots, 10% exact XAP URLs), each granting 4502-4510 and one port of its own; 1,024 callers, half admitted by a rule, half deep unknown names; ports mixing granted and refused.',
        '"Compiled decision" is `findSocketGrant` on the domain index for a parsed caller; the linear scan is `findSocketGrantLinear` over the same rules (uris classified once). Best of several rounds.',
        `Profiles: ${profileNotes.join('; ')}.`,
      ],
    };
  },
};
