/**
 * `xdpolicy demo`: a short tour of `decide` over the example cases in `corpus/flash/examples/`,
 * checking each verdict against the one the corpus expects. (`npm start` runs `certify`.)
 *
 * Exit status: 0 when every example gets its expected verdict, 1 otherwise.
 *
 * @module
 */
import { defaultCorpusDir, loadCorpus } from '../src/corpus/load.js';
import { createDecider } from '../src/decision/decide.js';
import type { DecisionRequest } from '../src/decision/types.js';
import type { CliIO } from './io.js';
import { parseOptions } from './options.js';

/** The help text of `xdpolicy demo`. */
export const DEMO_USAGE = 'usage: xdpolicy demo\n\nA short tour of `xdpolicy decide` over corpus/flash/examples/.\n';

/** The corpus folder the demo walks through. */
export const DEMO_CORPUS_SUBDIR = 'flash/examples';

/** Runs the demo; resolves to 0 when every example matches its expected verdict. */
export async function runDemo(args: string[], io: CliIO): Promise<number> {
  if (parseOptions(args, {}, { usage: DEMO_USAGE }).help) {
    io.stdout.write(DEMO_USAGE);
    return 0;
  }
  const corpusDir = defaultCorpusDir();
  const cases = loadCorpus(corpusDir, DEMO_CORPUS_SUBDIR).sort((a, b) => a.id.localeCompare(b.id));
  const out = (s = ''): unknown => io.stdout.write(`${s}\n`);
  out('xdpolicy: a tour of `decide` (client profile: flash, Flash Player 10+ strict sockets)');
  out(`Examples from corpus/${DEMO_CORPUS_SUBDIR}/; each is a world of policy locations and some requests.`);
  let total = 0;
  let mismatches = 0;
  for (const c of cases) {
    out();
    out(`== ${c.title}`);
    out(`   case ${c.id}`);
    for (const [location, response] of Object.entries(c.resolvedWorld)) {
      const what = response.error ? `error: ${response.error}` : `${response.body.replace(/\u0000$/, '').split('\n').filter((l) => /<(allow|site)/.test(l)).map((l) => l.trim()).join(' ') || '(a policy)'}`;
      out(`   world: ${location} serves ${what}`);
    }
    const decider = createDecider(c.resolvedWorld);
    for (const r of c.requests ?? []) {
      const expected = r.expect.flash;
      if (expected === undefined) continue;
      total++;
      const request: DecisionRequest = { client: 'flash', origin: r.origin, target: r.target };
      if (r.loadPolicy) request.loadPolicy = r.loadPolicy;
      if (r.headers) request.headers = r.headers;
      const d = decider.decide(request);
      const ok = d.decision === expected;
      if (!ok) mismatches++;
      out();
      out(`   ${r.origin} -> ${r.target}${r.loadPolicy ? `  (loadPolicyFile ${r.loadPolicy.join(', ')})` : ''}`);
      out(`   ${d.decision.toUpperCase()}${ok ? '' : `  (expected ${expected}!)`}: ${d.reason}`);
      const reqs = [...new Set(d.decidedBy.requirements)];
      if (reqs.length) out(`   requirements: ${reqs.join(', ')}`);
    }
  }
  out();
  out(`${total - mismatches}/${total} example decisions as the corpus expects.`);
  out('Try one yourself: npx xdpolicy decide --help');
  return mismatches === 0 ? 0 : 1;
}
