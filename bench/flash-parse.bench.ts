/**
 * Parse + validate (`parseFlashPolicy`: strict XML front end + Flash grammar) next to a raw
 * fast-xml-parser parse (`new XMLParser({ ignoreAttributes: false }).parse`) of the same bytes.
 *
 * Target: parse + validate ≤ 1.5× the raw parse (issue 2). The breakdown also shows the whole front
 * end against saxes alone reading the same text with no handlers (what the tree, the positions and
 * our own checks cost over the conforming parser that decides well-formedness).
 */
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { parseDomainPattern } from '../src/flash/domains.js';
import { FLASH_XML_RULES } from '../src/flash/grammar.js';
import { parseFlashPolicy } from '../src/flash/parse.js';
import { parseXmlDocument } from '../src/xml/document.js';
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
    // Where the time goes (100 rules): saxes alone, the whole front end, then the grammar.
    const text = policyText(100);
    const saxesOnly = (t: string) => new SaxesParser({ xmlns: false, position: false, forceXMLVersion: true, defaultXMLVersion: '1.0' }).write(t).close();
    // Alternating rounds, best of each: whichever runs second would otherwise pay for the first
    // (saxes' code sees two kinds of parser objects once both have run, and slows for both).
    let saxesUs = Infinity;
    let frontUs = Infinity;
    for (let round = 0; round < 4; round++) {
      saxesUs = Math.min(saxesUs, 1e6 / measure(() => consume(saxesOnly(text)), 1, { rounds: 2, roundMs: 150 }));
      frontUs = Math.min(frontUs, 1e6 / measure(() => consume(parseXmlDocument(text, FLASH_XML_RULES, [])), 1, { rounds: 2, roundMs: 150 }));
    }
    figures.push({ label: 'breakdown, 100 rules: saxes alone, no handlers (well-formedness)', value: saxesUs, unit: 'µs' });
    figures.push({ label: 'breakdown, 100 rules: parseXmlDocument (whole front end: saxes, tree, positions, checks)', value: frontUs, unit: 'µs' });
    // No target on this ratio: in a process that has run other suites it moves between about 1.3×
    // and 3× from run to run. The figure shows the slow-mode regression (5–7×) all the same.
    figures.push({ label: 'breakdown, 100 rules: whole front end / saxes alone', value: frontUs / saxesUs, unit: '×' });
    figures.push({ label: 'parseDomainPattern("www.host3.example.net") (exact name)', value: 1e6 / measure(() => consume(parseDomainPattern('www.host3.example.net')), 1, { rounds: 3, roundMs: 200 }), unit: 'µs' });
    figures.push({ label: 'parseDomainPattern("*.site5.example.com") (suffix)', value: 1e6 / measure(() => consume(parseDomainPattern('*.site5.example.com')), 1, { rounds: 3, roundMs: 200 }), unit: 'µs' });
    return {
      figures,
      targets,
      notes: [
        'The breakdown rows show where parse + validate spends its time: saxes decides well-formedness, `parseXmlDocument` builds the typed tree with exact positions from its events in the same pass and adds its own checks (the whole front end), and the grammar turns the tree into the model; a domain is checked against ipaddr.js only when it is shaped like an address, so exact names and suffixes cost about the same.','Policies with an XML declaration, a DOCTYPE, a site-control, N `allow-access-from` rules and a header rule, parsed as HTTPS URL policies. The raw parse is `new XMLParser({ ignoreAttributes: false }).parse(text)` with a parser built once.'],
    };
  },
};
