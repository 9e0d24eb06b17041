/**
 * Parse + validate (`parseSilverlightPolicy`: strict XML front end + Silverlight grammar) next to a
 * raw fast-xml-parser parse of the same bytes — the Flash suite's figure for clientaccesspolicy.xml.
 *
 * Target (issues 2 and 3): parse + validate ≤ 1.5× the raw parse.
 */
import { XMLParser } from 'fast-xml-parser';
import { parseSilverlightPolicy } from '../src/silverlight/parse.js';
import { consume, fmt, measure, type BenchFigure, type BenchSuite, type BenchTarget } from './suite.js';

function policyText(policies: number): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<access-policy>', '  <cross-domain-access>'];
  for (let i = 0; i < policies; i++) {
    lines.push(
      '    <policy>',
      '      <allow-from http-request-headers="SOAPAction, X-Api-*">',
      `        <domain uri="${i % 3 ? `http://*.site${i}.example.com` : `https://www.host${i}.example.net`}"/>`,
      '      </allow-from>',
      '      <grant-to>',
      `        <resource path="/api/v${i % 7}/" include-subpaths="true"/>`,
      '        <socket-resource port="4502-4510" protocol="tcp"/>',
      '      </grant-to>',
      '    </policy>',
    );
  }
  lines.push('  </cross-domain-access>', '</access-policy>', '');
  return lines.join('\n');
}

const SIZES = [5, 100, 1000] as const;

export const suite: BenchSuite = {
  name: 'silverlight parse',
  run() {
    const figures: BenchFigure[] = [];
    const targets: BenchTarget[] = [];
    for (const n of SIZES) {
      const text = policyText(n);
      const check = parseSilverlightPolicy(text);
      if (check.policy === null || check.policy.policies.length !== n) throw new Error(`the benchmark policy with ${n} policies does not parse as expected`);
      const raw = new XMLParser({ ignoreAttributes: false });
      const opts = n >= 1000 ? { rounds: 3, roundMs: 300 } : {};
      const rawRate = measure(() => consume(raw.parse(text)), 1, opts);
      const oursRate = measure(() => consume(parseSilverlightPolicy(text)), 1, opts);
      const ratio = rawRate / oursRate;
      figures.push({ label: `raw fast-xml-parser parse, ${n} policies (${fmt(text.length)} bytes)`, value: 1e6 / rawRate, unit: 'µs/parse' });
      figures.push({ label: `parseSilverlightPolicy (parse + validate), ${n} policies`, value: 1e6 / oursRate, unit: 'µs/parse' });
      targets.push({ target: `parse + validate ≤ 1.5× raw parse (${n} policies)`, measured: `${fmt(ratio, 2)}×`, pass: ratio <= 1.5 });
    }
    return {
      figures,
      targets,
      notes: ['Policies with an XML declaration and N `<policy>` elements (headers, one domain, a resource with subpaths, a socket range). The raw parse is `new XMLParser({ ignoreAttributes: false }).parse(text)` with a parser built once.'],
    };
  },
};
