/** Shared builders for the Silverlight tests. */
export function wrap(policies: string, head = '<?xml version="1.0" encoding="utf-8"?>\n'): string {
  return `${head}<access-policy>\n  <cross-domain-access>\n${policies}\n  </cross-domain-access>\n</access-policy>\n`;
}

export function policy(allowFrom: string, grantTo: string): string {
  return `    <policy>\n      ${allowFrom}\n      ${grantTo}\n    </policy>`;
}

/** A policy admitting `uri` to `grant` (a grant-to's inner XML). */
export function simple(uri = '*', grant = '<resource path="/" include-subpaths="true"/>', allowAttrs = ''): string {
  return wrap(policy(`<allow-from${allowAttrs}><domain uri="${uri}"/></allow-from>`, `<grant-to>${grant}</grant-to>`));
}
