/**
 * Parse + validate (`parseFlashPolicy`: strict XML front end + Flash grammar) next to a raw
 * fast-xml-parser parse (`new XMLParser({ ignoreAttributes: false }).parse`) of the same bytes.
 *
 * Target (issue 2): parse + validate ≤ 1.5× the raw parse.
 */
import { XMLParser } from 'fast-xml-parser';
import { parseFlashPolicy } from '../src/flash/parse.js';
import { consume, fmt, measure, type BenchFigure, type BenchSuite, type BenchTarget } from './suite.js';

function policyText(rules: number): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE cross-domain-policy SYSTEM "http://www.adobe.com/xml/dtds/cross-domain-policy.dtd">', '<cross-domain-policy>', '  <site-control permitted-cross-domain-policies="master-only"/>'];
  for (let i = 0; i < rules; i++) lines.push(`  <allow-access-from domain="${i % 3 ? `*.site${i}.example.com` : `www.host${i}.example.net`}" secure="false"/>`);
  lines.push('  <allow-http-request-headers-from domain="*.example.com" headers="SOAPAction,X-Api-*"/>', '</cross-domain-policy>', '');
  return lines.join('\n');
}

const SIZES = [5, 100, 1000] as const;

export const suite: BenchSuite = {
  name: 'flash parse',
  run() {
    const figures: BenchFigure[] = [];
    const targets: BenchTarget[] = [];
    for (const n of SIZES) {
      const text = policyText(n);
      const check = parseFlashPolicy(text, { kind: 'url', scheme: 'https' });
      if (check.policy === null || check.policy.allowAccessFrom.length !== n) throw new Error(`the benchmark policy with ${n} rules does not parse as expected`);
      const raw = new XMLParser({ ignoreAttributes: false });
      const opts = n >= 1000 ? { rounds: 3, roundMs: 300 } : {};
      const rawRate = measure(() => consume(raw.parse(text)), 1, opts);
      const oursRate = measure(() => consume(parseFlashPolicy(text, { kind: 'url', scheme: 'https' })), 1, opts);
      const ratio = rawRate / oursRate;
      figures.push({ label: `raw fast-xml-parser parse, ${n} rules (${fmt(text.length)} bytes)`, value: 1e6 / rawRate, unit: 'µs/parse' });
      figures.push({ label: `parseFlashPolicy (parse + validate), ${n} rules`, value: 1e6 / oursRate, unit: 'µs/parse' });
      targets.push({ target: `parse + validate ≤ 1.5× raw parse (${n} rules)`, measured: `${fmt(ratio, 2)}×`, pass: ratio <= 1.5 });
    }
    return {
      figures,
      targets,
      notes: ['Policies with an XML declaration, a DOCTYPE, a site-control, N `allow-access-from` rules and a header rule, parsed as HTTPS URL policies. The raw parse is `new XMLParser({ ignoreAttributes: false }).parse(text)` with a parser built once.'],
    };
  },
};
