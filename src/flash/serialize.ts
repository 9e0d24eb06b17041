/**
 * Model → canonical XML for Flash policies (FLASH-GRAM-13), and a small builder.
 *
 * Canonical means: elements in the DTD's order (`site-control`, `allow-access-from`,
 * `allow-http-request-headers-from`, `allow-access-from-identity`), each group in model order,
 * attributes in a fixed order, two-space indentation, LF line ends, `to-ports` in the spelling of
 * {@link formatPortSpec}. Every attribute value is escaped, so no value can close the attribute or
 * open an element: unlike string concatenation (npm `policyfile`), a domain of
 * `"/><allow-access-from domain="*` stays one harmless, invalid domain.
 *
 * @module
 */
import type {
  FlashAllowAccessFrom,
  FlashAllowAccessFromIdentity,
  FlashAllowHttpRequestHeadersFrom,
  FlashPolicy,
  FlashSiteControl,
  MetaPolicy,
  PortSpec,
} from './model.js';
import { formatPortSpec, parsePortRanges } from './ports.js';

/** Options of {@link serializeFlashPolicy}. */
export interface FlashSerializeOptions {
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>` (default true). */
  declaration?: boolean;
}

/**
 * Writes `policy` as a canonical, escaped policy document (FLASH-GRAM-13).
 *
 * Parsing the result (with a context matching the policy: `socket` when its rules carry
 * `toPorts`) gives the model back, `source` fields aside ({@link withoutSource}). Values the
 * grammar would reject (an invalid domain, say) are still written, escaped; the parser then
 * reports and drops them, so a bad model can never widen a grant. For a socket server, append the
 * NUL terminator yourself (FLASH-SOCK-2).
 */
export function serializeFlashPolicy(policy: FlashPolicy, options: FlashSerializeOptions = {}): string {
  const lines: string[] = [];
  if (options.declaration !== false) lines.push('<?xml version="1.0" encoding="UTF-8"?>');
  const children: string[] = [];
  for (const sc of policy.siteControl) children.push(element('site-control', [['permitted-cross-domain-policies', sc.permittedCrossDomainPolicies]]));
  for (const r of policy.allowAccessFrom) {
    children.push(
      element('allow-access-from', [
        ['domain', r.domain],
        ['to-ports', r.toPorts === null ? null : formatPortSpec(r.toPorts)],
        ['secure', r.secure === null ? null : String(r.secure)],
      ]),
    );
  }
  for (const r of policy.allowHttpRequestHeadersFrom) {
    children.push(
      element('allow-http-request-headers-from', [
        ['domain', r.domain],
        ['headers', r.headers.join(',')],
        ['secure', r.secure === null ? null : String(r.secure)],
      ]),
    );
  }
  for (const id of policy.allowAccessFromIdentity) {
    if (id.certificates.length === 0) {
      children.push('<allow-access-from-identity/>');
      continue;
    }
    const certs = id.certificates.map(
      (c) => `      ${element('certificate', [['fingerprint', c.fingerprint], ['fingerprint-algorithm', c.fingerprintAlgorithm]])}`,
    );
    children.push(['<allow-access-from-identity>', '    <signatory>', ...certs, '    </signatory>', '  </allow-access-from-identity>'].join('\n'));
  }
  if (children.length === 0) lines.push('<cross-domain-policy/>');
  else {
    // One child per rule, however many: appended in a loop, never as call arguments.
    lines.push('<cross-domain-policy>');
    for (const c of children) lines.push(`  ${c}`);
    lines.push('</cross-domain-policy>');
  }
  return lines.join('\n') + '\n';
}

/** A copy of `policy` without `source` fields: what equality of two models should compare. */
export function withoutSource(policy: FlashPolicy): FlashPolicy {
  return {
    format: 'flash',
    siteControl: policy.siteControl.map((s) => ({ permittedCrossDomainPolicies: s.permittedCrossDomainPolicies })),
    allowAccessFrom: policy.allowAccessFrom.map((r) => ({ domain: r.domain, toPorts: clonePorts(r.toPorts), secure: r.secure })),
    allowHttpRequestHeadersFrom: policy.allowHttpRequestHeadersFrom.map((r) => ({ domain: r.domain, headers: [...r.headers], secure: r.secure })),
    allowAccessFromIdentity: policy.allowAccessFromIdentity.map((i) => ({ certificates: i.certificates.map((c) => ({ fingerprint: c.fingerprint, fingerprintAlgorithm: c.fingerprintAlgorithm })) })),
  };
}

function clonePorts(p: PortSpec | null): PortSpec | null {
  if (p === null) return null;
  return p.any ? { any: true } : { any: false, ranges: p.ranges.map((r) => ({ from: r.from, to: r.to })) };
}

function element(name: string, attrs: [string, string | null][]): string {
  let out = `<${name}`;
  for (const [k, v] of attrs) if (v !== null) out += ` ${k}="${escapeAttribute(v)}"`;
  return `${out}/>`;
}

/**
 * Escapes a string for a double-quoted XML attribute value: markup characters become entities,
 * and whitespace other than space becomes character references (so attribute-value normalization
 * cannot change it). Characters XML cannot carry at all (NUL, most C0 controls, lone surrogates)
 * become character references too, which every conforming parser (ours: FLASH-XML-6) rejects:
 * such a model can only fail closed, never inject.
 */
export function escapeAttribute(value: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let rep: string | null = null;
    if (c === 38) rep = '&amp;';
    else if (c === 60) rep = '&lt;';
    else if (c === 62) rep = '&gt;';
    else if (c === 34) rep = '&quot;';
    else if (c === 39) rep = '&apos;';
    else if (c < 0x20 || c === 0xfffe || c === 0xffff) rep = `&#x${c.toString(16).toUpperCase()};`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = `&#x${c.toString(16).toUpperCase()};`;
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = `&#x${c.toString(16).toUpperCase()};`;
    if (rep !== null) {
      out += value.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return last === 0 ? value : out + value.slice(last);
}

/** Options of {@link FlashPolicyBuilder.allowAccessFrom}. */
export interface AllowAccessFromOptions {
  /** `to-ports`: a parsed spec, or its text (socket policies). */
  toPorts?: PortSpec | string;
  secure?: boolean;
}

/**
 * A fluent builder for Flash policy models. It records exactly what it is told; strings given for
 * `to-ports` that do not parse are kept as an empty port list (which grants nothing) — run the
 * built policy through {@link serializeFlashPolicy} and `parseFlashPolicy` to get diagnostics.
 *
 * @example
 * ```ts
 * const xml = flashPolicy().siteControl('master-only').allowAccessFrom('*.a.com', { toPorts: '843' }).toXml();
 * ```
 */
export class FlashPolicyBuilder {
  private readonly policy: FlashPolicy = { format: 'flash', siteControl: [], allowAccessFrom: [], allowHttpRequestHeadersFrom: [], allowAccessFromIdentity: [] };
  /** Adds `<site-control permitted-cross-domain-policies="…"/>`. */
  siteControl(value: MetaPolicy): this {
    const sc: FlashSiteControl = { permittedCrossDomainPolicies: value };
    this.policy.siteControl.push(sc);
    return this;
  }

  /** Adds `<allow-access-from domain="…" [to-ports="…"] [secure="…"]/>`. */
  allowAccessFrom(domain: string, options: AllowAccessFromOptions = {}): this {
    let toPorts: PortSpec | null = null;
    if (typeof options.toPorts === 'string') {
      toPorts = parsePortRanges(options.toPorts) ?? { any: false, ranges: [] };
    }
    else if (options.toPorts !== undefined) toPorts = options.toPorts;
    const rule: FlashAllowAccessFrom = { domain, toPorts, secure: options.secure ?? null };
    this.policy.allowAccessFrom.push(rule);
    return this;
  }

  /** Adds `<allow-http-request-headers-from domain="…" headers="…" [secure="…"]/>`. */
  allowHttpRequestHeadersFrom(domain: string, headers: string[], options: { secure?: boolean } = {}): this {
    const rule: FlashAllowHttpRequestHeadersFrom = { domain, headers: [...headers], secure: options.secure ?? null };
    this.policy.allowHttpRequestHeadersFrom.push(rule);
    return this;
  }

  /** Adds `<allow-access-from-identity>` with one signatory holding these certificates. */
  allowAccessFromIdentity(certificates: { fingerprint: string; fingerprintAlgorithm: string }[]): this {
    const rule: FlashAllowAccessFromIdentity = { certificates: certificates.map((c) => ({ ...c })) };
    this.policy.allowAccessFromIdentity.push(rule);
    return this;
  }

  /** The model built so far (a copy). */
  build(): FlashPolicy {
    return withoutSource(this.policy);
  }

  /** The canonical XML of the model built so far. */
  toXml(options?: FlashSerializeOptions): string {
    return serializeFlashPolicy(this.policy, options);
  }
}

/** Starts a {@link FlashPolicyBuilder}. */
export function flashPolicy(): FlashPolicyBuilder {
  return new FlashPolicyBuilder();
}
