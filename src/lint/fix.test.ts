/**
 * LINT-13: a fix never widens access. For generated policies of both formats, served over HTTPS
 * and on socket ports, with and without `--trusted`, every fix the linter computes is applied and
 * the original and the fixed policy are decided over the same probe requests, by both clients:
 * whatever the fixed policy allows, the original allowed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDecider } from '../decision/decide.js';
import type { ClientProfile, DecisionRequest } from '../decision/types.js';
import type { WorldSnapshot } from '../world/world.js';
import { applyFixes, fixesOf } from './fix.js';
import { lintTextReport } from './lint.js';

/** Where a generated policy is served, as `--served-from` and as the world's key. */
interface Place {
  servedFrom: string;
  socket: boolean;
  format: 'flash' | 'silverlight';
}
const PLACES: readonly Place[] = [
  { servedFrom: 'https://www.example.com/crossdomain.xml', socket: false, format: 'flash' },
  { servedFrom: 'xmlsocket://game.example.com:843', socket: true, format: 'flash' },
  { servedFrom: 'https://www.example.com/clientaccesspolicy.xml', socket: false, format: 'silverlight' },
  { servedFrom: 'xmlsocket://game.example.com:943', socket: true, format: 'silverlight' },
];

const HOSTS = ['www.example.com', 'a.example.com', 'app.partner.net', 'x.partner.net', 'evil.net', '10.0.0.1'];
const PORTS = [80, 843, 4502, 4510, 5000, 5005, 6000, 7000, 9999];

/** ` name="value"` with either quote and some spacing; `optional`: absent one time in four. */
const attribute = (name: string, values: readonly string[], optional: boolean): fc.Arbitrary<string> => {
  const written = fc.tuple(fc.constantFrom(...values), fc.constantFrom('"', "'"), fc.constantFrom(' ', '\n    ', '  ')).map(([v, q, sp]) => `${sp}${name}=${q}${v}${q}`);
  return optional ? fc.oneof({ arbitrary: written, weight: 3 }, { arbitrary: fc.constant(''), weight: 1 }) : written;
};

const flashDomains = ['*', 'www.example.com', 'a.example.com', '*.example.com', 'app.partner.net', '*.partner.net', '10.0.0.1'];
const flashElement = (socket: boolean): fc.Arbitrary<string> => {
  const access = { arbitrary: fc.tuple(attribute('domain', flashDomains, false), socket ? attribute('to-ports', ['*', '80', '843', '5000-5010', '6000,7000', '4502-4534'], true) : fc.constant(''), attribute('secure', ['true', 'false'], true)).map(([d, p, s]) => `<allow-access-from${d}${p}${s}/>`), weight: 4 };
  const headers = { arbitrary: fc.tuple(attribute('domain', flashDomains, false), attribute('headers', ['X-A', '*', 'X-A,X-B'], false), attribute('secure', ['true', 'false'], true)).map(([d, h, s]) => `<allow-http-request-headers-from${d}${h}${s}/>`), weight: 2 };
  const other = { arbitrary: fc.constantFrom('<site-control permitted-cross-domain-policies="all"/>', '<site-control permitted-cross-domain-policies="none"/>', '<!-- a comment -->'), weight: 1 };
  // Header grants do not apply to socket policies.
  return socket ? fc.oneof(access, other) : fc.oneof(access, headers, other);
};
const flashPolicy = (socket: boolean): fc.Arbitrary<string> =>
  fc.array(flashElement(socket), { maxLength: 6 }).map((els) => `<?xml version="1.0"?>\n<cross-domain-policy>\n${els.map((e) => `  ${e}`).join('\n')}\n</cross-domain-policy>\n`);

const slDomains = ['*', 'http://*', 'https://*', 'https://app.partner.net', 'http://*.partner.net', 'https://www.example.com'];
const slPolicy = (socket: boolean): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(fc.constantFrom(...slDomains).map((d) => `<domain uri="${d}"/>`), { minLength: 1, maxLength: 3 }),
      socket ? fc.constantFrom('<socket-resource port="4502-4534" protocol="tcp"/>', '<socket-resource port="4510" protocol="tcp"/>') : fc.constantFrom('<resource path="/" include-subpaths="true"/>', '<resource path="/api/"/>'),
      fc.constantFrom('', ' http-request-headers="*"', ' http-request-headers="X-A"'),
    )
    .map(([ds, grant, headers]) => `<?xml version="1.0"?>\n<access-policy>\n  <cross-domain-access>\n    <policy>\n      <allow-from${headers}>\n        ${ds.join('\n        ')}\n      </allow-from>\n      <grant-to>\n        ${grant}\n      </grant-to>\n    </policy>\n  </cross-domain-access>\n</access-policy>\n`);

const trusted = fc.subarray(['www.example.com', '*.example.com', 'app.partner.net', '10.0.0.1']);

const case_ = fc.constantFrom(...PLACES).chain((place) => fc.record({ place: fc.constant(place), text: place.format === 'flash' ? flashPolicy(place.socket) : slPolicy(place.socket), trusted }));

function worldOf(place: Place, text: string): WorldSnapshot {
  return { [place.servedFrom]: place.socket ? { body: `${text}\0` } : { body: text, status: 200, contentType: 'text/xml' } };
}

/** Every probe: each client, each origin host and scheme, each target (a socket port, or the API with and without a header). */
function probes(place: Place): DecisionRequest[] {
  const out: DecisionRequest[] = [];
  for (const client of ['flash', 'silverlight'] as ClientProfile[]) {
    const ext = client === 'flash' ? 'swf' : 'xap';
    for (const host of HOSTS) {
      for (const scheme of ['http', 'https']) {
        const origin = `${scheme}://${host}/app.${ext}`;
        if (place.socket) for (const port of PORTS) out.push({ client, origin, target: `socket://game.example.com:${port}` });
        else for (const headers of [[], ['X-A']]) out.push({ client, origin, target: 'https://www.example.com/api/data', headers, method: headers.length > 0 ? 'POST' : 'GET' });
      }
    }
  }
  return out;
}

describe('LINT-13: a fix never widens access', () => {
  it('for any policy, the fixed policy grants a subset of what the original grants (both clients, probe requests)', () => {
    let fixed = 0;
    let narrowed = 0;
    fc.assert(
      fc.property(case_, ({ place, text, trusted }) => {
        const report = lintTextReport(text, { servedFrom: place.servedFrom, trusted });
        const fixes = fixesOf(report.findings);
        if (fixes.length === 0) return;
        fixed++;
        const after = applyFixes(text, fixes);
        // The fixed text still reads as a policy of the same format.
        const again = lintTextReport(after, { servedFrom: place.servedFrom, trusted });
        expect(again.policy?.format, after).toBe(report.policy?.format);
        const before = createDecider(worldOf(place, text));
        const now = createDecider(worldOf(place, after));
        let lost = false;
        for (const probe of probes(place)) {
          const was = before.decide(probe).decision;
          const is = now.decide(probe).decision;
          if (is === 'allow') expect(was, `${JSON.stringify(probe)}\n--- original\n${text}\n--- fixed\n${after}`).toBe('allow');
          if (was === 'allow' && is === 'deny') lost = true;
        }
        if (lost) narrowed++;
      }),
      { numRuns: 300 },
    );
    // The property is not vacuous: fixes were made, and some of them took access away.
    expect(fixed).toBeGreaterThan(20);
    expect(narrowed).toBeGreaterThan(5);
  });
});
