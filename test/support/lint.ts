/**
 * How a corpus case's lint expectation is run: the options `lintText` gets from the sidecar
 * (`lint.servedFrom`, `client`, `contentType`, `headers`), or, when the case gives no location,
 * from its parse expectation (format, kind, scheme, master). Shared by the corpus runner and
 * test/lint-corpus.test.ts.
 */
import type { CorpusCase } from '../../src/corpus/types.js';
import type { LintOptions } from '../../src/lint/context.js';

/** The lint options a case states (or implies through its parse expectation). */
export function lintOptionsOf(c: CorpusCase): LintOptions {
  const o: LintOptions = {};
  const l = c.lint;
  if (c.policyFile !== undefined) o.fileName = c.policyFile;
  if (l?.client !== undefined) o.client = l.client;
  if (l?.contentType !== undefined) o.contentType = l.contentType;
  if (l?.headers !== undefined) o.headers = l.headers;
  if (l?.trusted !== undefined) o.trusted = l.trusted;
  if (l?.servedFrom !== undefined) o.servedFrom = l.servedFrom;
  else if (c.parse) {
    const p = c.parse;
    if (p.format === 'silverlight') o.servedFrom = `${p.scheme ?? 'http'}://host.example/clientaccesspolicy.xml`;
    else if (p.kind === 'socket') o.servedFrom = p.master === false ? 'xmlsocket://host.example:1843' : 'xmlsocket://host.example:843';
    else o.servedFrom = `${p.scheme ?? 'http'}://host.example/${p.master === false ? 'sub/policy.xml' : 'crossdomain.xml'}`;
  }
  return o;
}
