/**
 * fast-check generators of valid Flash policy models and near-valid policy texts, shared by the
 * property tests and the fuzz campaign (scripts/fuzz.ts).
 */
import fc from 'fast-check';
import type { FlashParseContext, FlashPolicy, MetaPolicy, PortSpec } from '../model.js';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
/** A host name made of 1-4 labels whose last label is not all digits. */
export const hostName = fc
  .tuple(fc.array(label, { minLength: 0, maxLength: 3 }), fc.stringMatching(/^[a-z]([a-z0-9-]{0,4}[a-z0-9])?$/))
  .map(([ls, tld]) => [...ls, tld].join('.'));
const randomCase = (s: string) =>
  fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((flags) => [...s].map((c, i) => (flags[i] ? c.toUpperCase() : c)).join(''));
const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6().map((a) => a.toLowerCase());

/** A `domain` value the grammar accepts (as written, case varied). */
export const validDomain = fc.oneof(
  fc.constant('*'),
  hostName.chain(randomCase),
  hostName.chain((h) => randomCase(`*.${h}`)),
  ipv4,
  ipv6,
  ipv6.map((a) => `[${a}]`),
);

const portRange = fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 2000 })).map(([a, n]) => ({ from: a, to: Math.min(65535, a + n) }));
/** A valid `to-ports` spec. */
export const portSpec: fc.Arbitrary<PortSpec> = fc.oneof(
  fc.constant<PortSpec>({ any: true }),
  fc.array(portRange, { minLength: 1, maxLength: 5 }).map((ranges): PortSpec => ({ any: false, ranges })),
);
const headerName = fc.stringMatching(/^[A-Za-z0-9!#$%&'+.^_`|~-]{1,12}\*?$/);
const secure = fc.constantFrom<boolean | null>(null, true, false);
// Attribute text with markup characters, whitespace and non-ASCII, but only characters XML allows.
const xmlText = fc.string({ unit: fc.oneof(fc.constantFrom('&', '<', '>', '"', "'", '\t', '\n', '\r', ' ', ';', '#', 'é', '\u2615', '\u{1F600}'), fc.string({ minLength: 1, maxLength: 1 })), maxLength: 20 });

/** A valid model for `context`, plus that context. */
export function flashPolicyFor(context: FlashParseContext): fc.Arbitrary<FlashPolicy> {
  const socket = context.kind === 'socket';
  const scheme = context.scheme ?? 'http';
  const metas: MetaPolicy[] = socket ? ['none', 'master-only', 'all'] : scheme === 'ftp' ? ['none', 'master-only', 'by-ftp-filename', 'all'] : ['none', 'master-only', 'by-content-type', 'all'];
  const headersApply = !socket && scheme !== 'ftp';
  return fc.record({
    format: fc.constant('flash' as const),
    siteControl: context.master === false ? fc.constant([]) : fc.array(fc.record({ permittedCrossDomainPolicies: fc.constantFrom(...metas) }), { maxLength: 2 }),
    allowAccessFrom: fc.array(fc.record({ domain: validDomain, toPorts: socket ? portSpec : fc.constant(null), secure }), { maxLength: 6 }),
    allowHttpRequestHeadersFrom: headersApply
      ? fc.array(fc.record({ domain: validDomain, headers: fc.array(headerName, { minLength: 1, maxLength: 4 }), secure }), { maxLength: 3 })
      : fc.constant([]),
    allowAccessFromIdentity: fc.array(fc.record({ certificates: fc.array(fc.record({ fingerprint: xmlText, fingerprintAlgorithm: xmlText }), { maxLength: 2 }) }), { maxLength: 2 }),
  });
}

/** A parse context. */
export const parseContext: fc.Arbitrary<FlashParseContext> = fc.oneof(
  fc.constant<FlashParseContext>({ kind: 'socket' }),
  fc.constant<FlashParseContext>({ kind: 'socket', master: false }),
  fc.constantFrom<FlashParseContext>({ kind: 'url', scheme: 'http' }, { kind: 'url', scheme: 'https' }, { kind: 'url', scheme: 'ftp' }, { kind: 'url', scheme: 'http', master: false }),
);

/** Junk a mutation may insert: markup fragments, entity tricks, NULs, BOMs, surrogates, controls. */
export const JUNK = [
  '\u0000', '\uFEFF', '\uFFFE', '\uD800', '\uDC00', '\u0001', '\u001F', '\r\n', '\t', ' ',
  '<', '>', '&', '"', "'", '/>', '</', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<?xml version="1.0"?>',
  '<!DOCTYPE cross-domain-policy [<!ENTITY w "*">]>', '<!DOCTYPE x SYSTEM "y">', '<!ENTITY e "x">', '&w;', '&amp;', '&#0;', '&#x2A;', '&#42;', '&#xD800;', '&#99999999;', '&lt;', '&',
  '<cross-domain-policy>', '</cross-domain-policy>', '<allow-access-from domain="*"/>', '<allow-access-from domain="*" to-ports="*"/>',
  '<site-control permitted-cross-domain-policies="all"/>', 'domain="*"', 'to-ports="1-65535"', 'secure="x"', 'xmlns:a="b"', 'a:b="c"',
  '<a><b><c><d><e><f><g><h><i><j><k><l><m><n><o><p><q><r>', '=', '\u2028', '\u0085', '😀',
];

/** A random edit of `text`: truncation, insertion of junk, deletion, case change, duplication. */
export function mutation(text: string): fc.Arbitrary<string> {
  const pos = fc.integer({ min: 0, max: text.length });
  return fc.oneof(
    pos.map((p) => text.slice(0, p)),
    fc.tuple(pos, fc.constantFrom(...JUNK)).map(([p, j]) => text.slice(0, p) + j + text.slice(p)),
    fc.tuple(pos, fc.string({ maxLength: 8 })).map(([p, j]) => text.slice(0, p) + j + text.slice(p)),
    fc.tuple(pos, fc.integer({ min: 1, max: 20 })).map(([p, n]) => text.slice(0, p) + text.slice(p + n)),
    fc.tuple(pos, fc.integer({ min: 1, max: 30 })).map(([p, n]) => text.slice(0, p) + text.slice(p, p + n).toUpperCase() + text.slice(p + n)),
    fc.tuple(pos, pos).map(([a, b]) => text.slice(0, Math.max(a, b)) + text.slice(Math.min(a, b))),
    fc.tuple(pos, fc.integer({ min: 0, max: 0xffff })).map(([p, c]) => text.slice(0, p) + String.fromCharCode(c) + text.slice(p + 1)),
  );
}

/** Several mutations in a row. */
export function mutations(text: string, max = 4): fc.Arbitrary<string> {
  let arb = fc.constant(text);
  for (let i = 0; i < max; i++) {
    arb = arb.chain((t) => fc.oneof(fc.constant(t), mutation(t)));
  }
  return arb;
}
