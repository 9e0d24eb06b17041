/**
 * {@link SilverlightPolicy} → canonical, escaped `clientaccesspolicy.xml` (SL-GRAM-15).
 *
 * Every attribute value goes through {@link escapeXmlAttribute}, so no value can close its quote
 * or inject markup (npm `policyfile` concatenates strings; this module cannot be injected).
 * `parseSilverlightPolicy(serializeSilverlightPolicy(m)).policy` equals `withoutSource(m)`.
 *
 * @module
 */
import type { SilverlightAllowFrom, SilverlightGrantTo, SilverlightPolicy, SilverlightPolicyEntry } from './model.js';

/** Escapes a string for a double-quoted XML attribute value; whitespace controls become references. */
export function escapeXmlAttribute(value: string): string {
  return value.replace(/[&<>"'\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        return `&#${c.charCodeAt(0)};`;
    }
  });
}

function attrs(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => ` ${k}="${escapeXmlAttribute(v)}"`).join('');
}

function allowFromXml(af: SilverlightAllowFrom, indent: string): string {
  const a: [string, string][] = [];
  if (af.httpRequestHeaders.length > 0) a.push(['http-request-headers', af.httpRequestHeaders.join(', ')]);
  // SL-HDR-8: the items as written, joined by bare commas, read back as the same list.
  if (af.httpMethods.length > 0) a.push(['http-methods', af.httpMethods.join(',')]);
  if (af.domains.length === 0) return `${indent}<allow-from${attrs(a)}/>\n`;
  const inner = af.domains.map((d) => `${indent}  <domain${attrs([['uri', d.uri]])}/>\n`).join('');
  return `${indent}<allow-from${attrs(a)}>\n${inner}${indent}</allow-from>\n`;
}

function grantToXml(gt: SilverlightGrantTo, indent: string): string {
  const lines: string[] = [];
  for (const r of gt.resources) {
    const a: [string, string][] = [['path', r.path]];
    if (r.includeSubpaths) a.push(['include-subpaths', 'true']);
    lines.push(`${indent}  <resource${attrs(a)}/>\n`);
  }
  for (const s of gt.socketResources) {
    const port = s.from === s.to ? String(s.from) : `${s.from}-${s.to}`;
    lines.push(`${indent}  <socket-resource${attrs([['port', port], ['protocol', s.protocol]])}/>\n`);
  }
  if (lines.length === 0) return `${indent}<grant-to/>\n`;
  return `${indent}<grant-to>\n${lines.join('')}${indent}</grant-to>\n`;
}

function policyXml(p: SilverlightPolicyEntry): string {
  const ind = '      ';
  const body = p.allowFrom.map((af) => allowFromXml(af, ind)).join('') + p.grantTo.map((gt) => grantToXml(gt, ind)).join('');
  if (body === '') return '    <policy></policy>\n';
  return `    <policy>\n${body}    </policy>\n`;
}

/**
 * Serializes a policy model as a canonical document: UTF-8 declaration, two-space indentation,
 * `allow-from` before `grant-to`, resources before socket resources, escaped attribute values.
 */
export function serializeSilverlightPolicy(policy: SilverlightPolicy): string {
  const policies = policy.policies.map(policyXml).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<access-policy>\n  <cross-domain-access>\n${policies}  </cross-domain-access>\n</access-policy>\n`;
}

/**
 * The model without source information (locations, raw attributes) and with `allow-from` before
 * `grant-to` as serialization orders them: what `parse(serialize(m))` must equal.
 */
export function withoutSource(policy: SilverlightPolicy): SilverlightPolicy {
  return {
    format: 'silverlight',
    policies: policy.policies.map((p) => ({
      allowFrom: p.allowFrom.map((af) => ({
        domains: af.domains.map((d) => ({ uri: d.uri })),
        httpRequestHeaders: [...af.httpRequestHeaders],
        httpMethods: [...af.httpMethods],
      })),
      grantTo: p.grantTo.map((gt) => ({
        resources: gt.resources.map((r) => ({ path: r.path, includeSubpaths: r.includeSubpaths })),
        socketResources: gt.socketResources.map((s) => ({ from: s.from, to: s.to, protocol: s.protocol })),
      })),
    })),
  };
}
