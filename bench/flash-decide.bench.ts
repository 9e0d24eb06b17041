/**
 * Flash decisions on compiled policies (src/flash/compile.ts) with 10, 1,000 and 10,000 rules,
 * next to the linear scan over the same rules, plus the end-to-end `decide` over a world.
 *
 * Targets (issue 2): ≥ 1,000,000 decisions/s; 10,000 rules cost ≤ 2× of 10 rules; ≥ 50× the
 * linear scan at 10,000 rules.
 */
import { pushAll } from '../src/collections.js';
import { createDecider } from '../src/decision/decide.js';
import { compileFlashPolicy, findAccessGrant, findAccessGrantLinear, prepareLinear, ruleOrigin, type RuleOrigin } from '../src/flash/compile.js';
import { effectiveFlashPolicy, readFlashPolicy } from '../src/flash/effective.js';
import { readRequest } from '../src/decision/request.js';
import { flashStepsOf, profileOverrides, profilesOf } from '../src/profiles/index.js';
import { indexGlobs, indexMatches } from '../src/profiles/swfdec.js';
import { parseOriginUrl } from '../src/world/locations.js';
import type { FlashAllowAccessFrom, FlashPolicy } from '../src/flash/model.js';
import { consume, decisionTargets, rng, fmt, measure, type BenchFigure, type BenchSuite, type BenchTarget } from './suite.js';

/** The domain of rule i: exact names, `*.suffix` patterns and IPs, as real policies mix them. */
function domainOf(i: number): string {
  switch (i % 10) {
    case 0:
      return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    case 1:
    case 2:
    case 3:
    case 4:
      return `*.site${i}.example.com`;
    default:
      return `www.host${i}.example.net`;
  }
}

/** A socket policy with n rules, each granting a common range plus one port of its own. */
export function syntheticSocketPolicy(n: number): FlashPolicy {
  const allowAccessFrom: FlashAllowAccessFrom[] = [];
  for (let i = 0; i < n; i++) {
    allowAccessFrom.push({ domain: domainOf(i), toPorts: { any: false, ranges: [{ from: 5000, to: 5100 }, { from: 20000 + (i % 40000), to: 20000 + (i % 40000) }] }, secure: null });
  }
  return { format: 'flash', siteControl: [], allowAccessFrom, allowHttpRequestHeadersFrom: [], allowAccessFromIdentity: [] };
}

/** Origins: half match some rule (exact, suffix at depth 1-3, IP), half miss (deep unknown names). */
function origins(n: number, count: number, seed: number): RuleOrigin[] {
  const r = rng(seed);
  const out: RuleOrigin[] = [];
  for (let k = 0; k < count; k++) {
    const i = Math.floor(r() * n);
    const kind = i % 10;
    let host: string;
    if (r() < 0.5) host = `a.b.c.unknown${k}.example.org`;
    else if (kind === 0) host = domainOf(i);
    else if (kind <= 4) host = `${'x.'.repeat(Math.floor(r() * 3))}site${i}.example.com`;
    else host = domainOf(i);
    out.push(ruleOrigin(parseOriginUrl(`http://${host}/m.swf`, { what: 'origin', requirement: 'FLASH-URL-12', diagnostics: [] })!));
  }
  return out;
}

const SIZES = [10, 1000, 10000] as const;

export const suite: BenchSuite = {
  name: 'flash decide',
  run() {
    const figures: BenchFigure[] = [];
    const targets: BenchTarget[] = [];
    const rate: Record<number, number> = {};
    const linearRate: Record<number, number> = {};
    for (const n of SIZES) {
      const policy = syntheticSocketPolicy(n);
      const ctx = { kind: 'socket' as const, servedFromPort: 843 };
      const effective = effectiveFlashPolicy(policy, ctx);
      const compiled = compileFlashPolicy(effective);
      const linear = prepareLinear(effective);
      const os = origins(n, 1024, 7 + n);
      const ports = os.map((_, k) => (k % 3 === 0 ? 5050 : k % 3 === 1 ? 20000 + (k % n) : 7000));
      // Sanity: the two agree on this workload.
      for (let k = 0; k < os.length; k++) {
        if ((findAccessGrant(compiled, os[k]!, ports[k])?.index ?? -1) !== (findAccessGrantLinear(linear, os[k]!, ports[k])?.index ?? -1)) {
          throw new Error(`index and linear scan disagree on origin ${k} at ${n} rules`);
        }
      }
      let k = 0;
      rate[n] = measure(() => {
        k = (k + 1) & 1023;
        consume(findAccessGrant(compiled, os[k]!, ports[k]));
      });
      figures.push({ label: `compiled decision, ${fmt(n)} rules`, value: rate[n]!, unit: 'decisions/s' });
      let j = 0;
      linearRate[n] = measure(
        () => {
          j = (j + 1) & 1023;
          consume(findAccessGrantLinear(linear, os[j]!, ports[j]));
        },
        1,
        { rounds: 3, roundMs: 200 },
      );
      figures.push({ label: `linear scan, ${fmt(n)} rules`, value: linearRate[n]!, unit: 'decisions/s' });
    }

    // End to end: decide() over a world holding the 10,000-rule policy as text, parsed and
    // compiled once by the decider; includes URL parsing and building the trace.
    const big = syntheticSocketPolicy(10000);
    const body = `<cross-domain-policy>${big.allowAccessFrom.map((r) => `<allow-access-from domain="${r.domain}" to-ports="5000-5100,${r.toPorts && !r.toPorts.any ? r.toPorts.ranges[1]!.from : ''}"/>`).join('')}</cross-domain-policy>\0`;
    const decider = createDecider({ 'xmlsocket://game.example.com:843': { body } });
    const requests = origins(10000, 256, 99).map((o, i) => ({
      client: 'flash' as const,
      origin: `http://${o.host.kind === 'name' ? o.host.name : o.host.kind === 'ip' ? o.host.address : 'local'}/m.swf`,
      target: `socket://game.example.com:${i % 2 ? 5050 : 7000}`,
    }));
    decider.decide(requests[0]!);
    let e = 0;
    const e2e = measure(() => {
      e = (e + 1) & 255;
      consume(decider.decide(requests[e]!));
    });
    figures.push({ label: 'end-to-end decide() incl. URL parsing and trace, 10,000 rules (compiled once)', value: e2e, unit: 'decisions/s' });

    // Every Flash-family profile (spec/profiles.md): the 10,000-rule policy read through the
    // profile's own steps (its to-ports, domain patterns, secure, 1024 rule), compiled, and asked
    // for origins as the profile reads them (its ruleOrigin).
    const profileNotes: string[] = [];
    const originUrls = origins(10000, 1024, 7 + 10000).map((o) => `http://${o.host.kind === 'name' ? o.host.name : o.host.kind === 'ip' ? o.host.address : 'local'}/m.swf`);
    for (const name of profilesOf('flash')) {
      const steps = flashStepsOf(name);
      if (name === 'gnash') {
        // Gnash reads no policy: its decision is a port test, whatever the policy holds.
        profileNotes.push('gnash: reads no policy (a port and host-list test; nothing to index or scan)');
        continue;
      }
      if (name === 'swfdec') {
        // Swfdec matches the SWF's host against the policy's domain globs: its own glob index.
        const index = indexGlobs(big.allowAccessFrom.map((r) => r.domain.toLowerCase()));
        const hosts = originUrls.map((u) => new URL(u).hostname);
        let q = 0;
        const r = measure(() => {
          q = (q + 1) & 1023;
          consume(indexMatches(index, hosts[q]!));
        });
        figures.push({ label: `profile ${name}: compiled decision, 10,000 rules`, value: r, unit: 'decisions/s' });
        targets.push({ target: `profile ${name}: ≥ 1,000,000 compiled decisions/s (10,000 rules)`, measured: `${fmt(r)}/s`, pass: r >= 1_000_000 });
        profileNotes.push('swfdec: its own glob index (exact names, one leading or trailing *; other shapes scanned), not the reference\'s');
        continue;
      }
      // Unity reads one Receive of 5,000 bytes (flash/9#UN-6), which cannot hold 10,000 rules: its
      // steps read the policy text without the socket framing.
      const unframed = name === 'unity';
      if (unframed) profileNotes.push("unity (sockets): the policy read without Unity's 5,000-byte socket read, which would cut it");
      const read = readFlashPolicy(unframed ? body.slice(0, -1) : body, { kind: 'socket', servedFromPort: 843, master: true, framed: !unframed }, {}, steps);
      if (read.effective === null) throw new Error(`profile ${name} does not read the benchmark policy: ${read.why}`);
      const compiled = compileFlashPolicy(read.effective);
      const os = originUrls.map((u) => steps.ruleOrigin(readRequest({ client: name, origin: u, target: 'socket://game.example.com:5050' }).request!));
      const ps = os.map((_, k) => (k % 3 === 0 ? 5000 : k % 3 === 1 ? 20000 + (k % 10000) : 7000));
      let q = 0;
      const r = measure(() => {
        q = (q + 1) & 1023;
        consume(findAccessGrant(compiled, os[q]!, ps[q]));
      });
      figures.push({ label: `profile ${name}: compiled decision, 10,000 rules`, value: r, unit: 'decisions/s' });
      targets.push({ target: `profile ${name}: ≥ 1,000,000 compiled decisions/s (10,000 rules)`, measured: `${fmt(r)}/s`, pass: r >= 1_000_000 });
      const matching = profileOverrides(name).filter((o) => ['domainPattern', 'ruleOrigin', 'toPorts', 'secure', 'lowestGrantablePort'].includes(o.step)).map((o) => o.step);
      profileNotes.push(`${name}: the reference's domain index${matching.length ? ` with its own ${matching.join(', ')} (its patterns are index kinds: any, exact name, *.suffix)` : ''}; no scan`);
    }

    // Unity's WWW check compiles URL policies with its own steps (`*x` against the host the file is
    // asked for, exact names against the SWF's host, its secure and ruleOrigin): the same 10,000
    // domains as a crossdomain.xml of data.example.com, asked for HTTP data.
    {
      const steps = flashStepsOf('unity');
      const urlBody = `<cross-domain-policy>${big.allowAccessFrom.map((r) => `<allow-access-from domain="${r.domain}"/>`).join('')}</cross-domain-policy>`;
      const read = readFlashPolicy(urlBody, { kind: 'url', scheme: 'http', master: true, location: { host: 'data.example.com', port: 80 } }, {}, steps);
      if (read.effective === null) throw new Error(`profile unity does not read the benchmark URL policy: ${read.why}`);
      const compiled = compileFlashPolicy(read.effective);
      const os = originUrls.map((u) => steps.ruleOrigin(readRequest({ client: 'unity', origin: u, target: 'http://data.example.com/feed.xml' }).request!));
      let q = 0;
      const r = measure(() => {
        q = (q + 1) & 1023;
        consume(findAccessGrant(compiled, os[q]!));
      });
      figures.push({ label: 'profile unity (WWW, URL policy): compiled decision, 10,000 rules', value: r, unit: 'decisions/s' });
      targets.push({ target: 'profile unity (WWW, URL policy): ≥ 1,000,000 compiled decisions/s (10,000 rules)', measured: `${fmt(r)}/s`, pass: r >= 1_000_000 });
      profileNotes.push("unity (WWW): the same 10,000 domains as a URL policy of data.example.com read with Unity's steps (*x against the requested host: any or never; exact names and IPs against the SWF's host), in the reference's index");
    }

    pushAll(targets, decisionTargets(rate, linearRate));
    return {
      figures,
      targets,
      notes: [
        'Socket policies with N `allow-access-from` rules (40% `*.suffix`, 50% exact names, 10% IPs), each granting 5000-5100 and one port of its own; 1,024 origins, half matching a rule, half deep unknown names; ports mixing granted and refused.',
        '"Compiled decision" is `findAccessGrant` on the compiled index for a classified origin; the linear scan is `findAccessGrantLinear` over the same effective rules (patterns parsed once). Best of several rounds.',
        `Profiles (the 10,000-rule policy as text, read with each profile's steps): ${profileNotes.join('; ')}.`,
      ],
    };
  },
};
