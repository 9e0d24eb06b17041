import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyDomainUri, matchDomainUri } from '../../src/silverlight/domains.js';
import { isHeaderAllowed, isMethodAllowed, parseMethodList } from '../../src/silverlight/headers.js';
import { findForbiddenPathSequence, isWholeSiteGrant, localRequestPath, matchResourcePath, unresolvedRequestPath } from '../../src/silverlight/paths.js';
import { parseTarget, rawRequestPath, type UrlTarget } from '../../src/world/locations.js';
import { parseSilverlightPolicy } from '../../src/silverlight/parse.js';
import { simple, wrap } from './helpers.js';

const APP = 'http://policy-client.moonlight.test/WebPolicies.xap';

describe('Silverlight domain matching (SL-DOM)', () => {
  it('SL-DOM-1: the XAP URL is matched, not the page; other schemes match nothing', () => {
    expect(matchDomainUri('http://policy-client.moonlight.test/WebPolicies.xap', APP)).toBe(true);
    expect(matchDomainUri('http://policy-client.moonlight.test/WebPolicies.html', APP)).toBe(false);
    expect(matchDomainUri('*', 'ftp://a.test/app.xap')).toBe(false);
    expect(matchDomainUri('*', 'not a url')).toBe(false);
  });
  it('SL-DOM-2: * admits http, https and file callers', () => {
    for (const o of [APP, 'https://a.test:8443/x.xap', 'file:///C:/app.xap']) expect(matchDomainUri('*', o)).toBe(true);
  });
  it('SL-DOM-3: http://* and https://* admit their scheme on its default port only', () => {
    expect(matchDomainUri('http://*', APP)).toBe(true);
    expect(matchDomainUri('http://*', 'http://www.host.com:8080/app.xap')).toBe(false);
    expect(matchDomainUri('http://*', 'https://www.host.com/app.xap')).toBe(false);
    expect(matchDomainUri('https://*', 'https://www.host.com/app.xap')).toBe(true);
    expect(matchDomainUri('https://*', 'https://www.host.com:444/app.xap')).toBe(false);
    expect(matchDomainUri('https://*', APP)).toBe(false);
  });
  it('SL-DOM-4: file:/// admits only file callers; other file uris match nothing', () => {
    expect(matchDomainUri('file:///', 'file:///app.xap')).toBe(true);
    expect(matchDomainUri('file:///', APP)).toBe(false);
    expect(classifyDomainUri('file:///C:/app.xap').kind).toBe('never');
  });
  it('SL-DOM-4, SL-DOM-10: file:/// does not admit a file: XAP with a host (file://server/share/app.xap)', () => {
    expect(matchDomainUri('file:///', 'file://server/share/app.xap')).toBe(false);
    expect(matchDomainUri('*', 'file://server/share/app.xap')).toBe(true);
    expect(matchDomainUri('file:///', 'file:///C:/apps/app.xap')).toBe(true);
  });
  it('SL-DOM-4: four slashes or more are the UNC path \\\\server\\share, not admitted by file:///', () => {
    expect(matchDomainUri('file:///', 'file:////server/share/app.xap')).toBe(false);
    expect(matchDomainUri('file:///', 'file://///server/share/app.xap')).toBe(false);
    expect(matchDomainUri('*', 'file:////server/share/app.xap')).toBe(true);
    expect(matchDomainUri('file:///', 'file:///home/u//app.xap')).toBe(true);
  });
  it('SL-DOM-5: a root admits exactly its scheme, host and port ([ML-DRT] silverlight-8 to 14)', () => {
    expect(matchDomainUri('http://policy-client.moonlight.test', APP)).toBe(true);
    expect(matchDomainUri('http://policy-client.moonlight.test:80', APP)).toBe(true);
    expect(matchDomainUri('http://POLICY-client.moonlight.test/', APP)).toBe(true);
    expect(matchDomainUri('http://policy-client.moonlight.test:8080', APP)).toBe(false);
    expect(matchDomainUri('http://other.moonlight.test', APP)).toBe(false);
    expect(matchDomainUri('policy-client.moonlight.test', APP)).toBe(false);
  });
  it('SL-DOM-6: a uri with a path admits exactly that XAP ([ML-DRT] silverlight-13, 15, 16)', () => {
    expect(matchDomainUri('http://policy-client.moonlight.test/WebPolicies.xap', APP)).toBe(true);
    expect(matchDomainUri('http://policy-client.moonlight.test/WebPolicies', APP)).toBe(false);
    expect(matchDomainUri('http://policy-client.moonlight.test/webpolicies.xap', APP)).toBe(false);
  });
  it('SL-DOM-7: scheme://*.host admits subdomains with a dot boundary ([ML-DRT] silverlight-17 to 23)', () => {
    expect(matchDomainUri('http://*.moonlight.test/', APP)).toBe(true);
    expect(matchDomainUri('http://*.moonlight.test', 'http://a.b.moonlight.test/x.xap')).toBe(true);
    expect(matchDomainUri('http://*.contoso.com', 'http://evilcontoso.com/x.xap')).toBe(false);
    expect(matchDomainUri('http://*.contoso.com', 'http://contoso.com/x.xap')).toBe(false);
    expect(matchDomainUri('http://*.contoso.com', 'https://www.contoso.com/x.xap')).toBe(false);
    expect(matchDomainUri('http://*.contoso.com:8080', 'http://www.contoso.com:8080/x.xap')).toBe(true);
    expect(matchDomainUri('http://*.contoso.com', 'http://www.contoso.com:8080/x.xap')).toBe(false);
    for (const bad of ['http://policy-client.*.test/', 'http://policy-client.moonlight.*/', 'http://*-client.moonlight.test/', 'http://*.moonlight.test/test/file', 'http://*.moonlight.test/file#fragment', 'http://*.moonlight.test/file?query', 'http://*.0.0.1']) {
      expect(matchDomainUri(bad, APP), bad).toBe(false);
      expect(classifyDomainUri(bad).kind, bad).toBe('never');
    }
  });
  it('SL-DOM-7: property — *.x admits every label.x and never labelx or x', () => {
    const label = fc.stringMatching(/^[a-z0-9]{1,10}$/);
    fc.assert(
      fc.property(label, label, (l, x) => {
        const uri = `http://*.${x}.test`;
        expect(matchDomainUri(uri, `http://${l}.${x}.test/a.xap`)).toBe(true);
        expect(matchDomainUri(uri, `http://${l}${x}.test/a.xap`)).toBe(false);
        expect(matchDomainUri(uri, `http://${x}.test/a.xap`)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
  it('SL-DOM-8: values of other shapes never match', () => {
    for (const bad of ['a.com', ' *', 'ftp://a.com', 'http://user@a.com', 'http://a.com?x', 'http://*']) {
      const k = classifyDomainUri(bad).kind;
      if (bad === 'http://*') expect(k).toBe('scheme');
      else expect(k, bad).toBe('never');
    }
  });
  it('SL-DOM-9: no cross-scheme match without an entry for the caller\'s scheme', () => {
    expect(matchDomainUri('https://policy-client.moonlight.test', APP)).toBe(false);
    expect(matchDomainUri('http://a.test', 'https://a.test/x.xap')).toBe(false);
    expect(matchDomainUri('https://a.test', 'https://a.test/x.xap')).toBe(true);
  });
  it('SL-DOM-10: file callers are admitted only by * and file:///', () => {
    for (const uri of ['http://*', 'https://*', 'http://localhost', 'http://*.localhost']) expect(matchDomainUri(uri, 'file:///app.xap')).toBe(false);
    expect(matchDomainUri('file:///', 'file:///app.xap')).toBe(true);
  });
});

describe('Silverlight resource paths (SL-PATH)', () => {
  const sub = (path: string) => ({ path, includeSubpaths: true });
  const exact = (path: string) => ({ path, includeSubpaths: false });
  it('SL-PATH-1: comparison is case-sensitive on the decoded path', () => {
    expect(matchResourcePath(sub('/test'), '/TEST/x')).toBe(false);
    expect(matchResourcePath(sub('/test'), '/test/x')).toBe(true);
    expect(localRequestPath(parseTarget('http://a/t%C3%A9st?x', { what: 'target', requirement: 'SL-HTTP-10', diagnostics: [] }) as UrlTarget)).toBe('/tést');
  });
  it('SL-PATH-2: without include-subpaths the match is exact ([ML-DRT] silverlight-4)', () => {
    expect(matchResourcePath(exact('/'), '/')).toBe(true);
    expect(matchResourcePath(exact('/'), '/clientaccesspolicy.xml')).toBe(false);
    expect(matchResourcePath(exact('/file.txt'), '/file.txt')).toBe(true);
  });
  it('SL-PATH-3: include-subpaths is a prefix at a segment boundary ([ML-DRT] silverlight-2, 3)', () => {
    for (const p of ['/test', '/test/', '/test/x']) expect(matchResourcePath(sub('/test'), p), p).toBe(true);
    for (const p of ['/test-file', '/test-dir/test', '/test2']) expect(matchResourcePath(sub('/test'), p), p).toBe(false);
    expect(matchResourcePath(sub('/test/'), '/test/x')).toBe(true);
    expect(matchResourcePath(sub('/test/'), '/test')).toBe(false);
    expect(matchResourcePath(sub('/test/again/'), '/test/x')).toBe(false);
  });
  it('SL-PATH-4: a path without a leading / never matches', () => {
    for (const p of ['/test', '/test/x', '/']) {
      expect(matchResourcePath(sub('test'), p)).toBe(false);
      expect(matchResourcePath(exact('test'), p)).toBe(false);
    }
  });
  it('SL-PATH-5: .., ./ and % in the undecoded path are found', () => {
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/../x'))).toBe('..');
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/./x'))).toBe('./');
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/using%20x'))).toBe('%');
    expect(findForbiddenPathSequence(rawRequestPath('http://a/a..b'))).toBe('..');
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/x'))).toBeNull();
  });
  it('SL-PATH-5: the test reads \\ as / and drops tab, LF and CR, as the URL parser does before resolving', () => {
    expect(unresolvedRequestPath('/a/.\\b')).toBe('/a/./b');
    expect(unresolvedRequestPath('/x/.\t.')).toBe('/x/..');
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/.\\x'))).toBe('./');
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/x/.\t.'))).toBe('..');
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/x/.\n.'))).toBe('..');
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/.\r/x'))).toBe('./');
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/x/.\\.\\'))).toBe('./');
    // Near misses: a \\ or a tab that forms no dot segment is not refused.
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test\\x'))).toBeNull();
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/a.\tb'))).toBeNull();
    // The host starts after any run of / and \\ (WHATWG), so the path is the parser's path.
    expect(rawRequestPath('http://\\\\a/./x')).toBe('/./x');
  });
  it('SL-PATH-5: a path that passes the test is one the URL parser resolves no dot segment in (property)', () => {
    // Apart from a final "/." (which Moonlight's check lets through too), a path the parser would
    // rewrite by resolving "." or ".." segments must be refused.
    const chars = fc.constantFrom('a', '.', '/', '\\', '\t', '\n', '\r', '%', '2', 'e', 'E');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }), (cs) => {
        const target = `http://h.test/${cs.join('')}`;
        const raw = rawRequestPath(target);
        if (findForbiddenPathSequence(raw) !== null) return;
        // A final "/." is left alone on both sides: Node's parser keeps it after an empty segment
        // ("http://h.test//.a/."), where WHATWG drops it; either way it names the same directory.
        const pathname = new URL(target).pathname.replace(/\/\.$/, '/');
        expect(pathname, JSON.stringify(target)).toBe(unresolvedRequestPath(raw).replace(/\/\.$/, '/'));
      }),
      { numRuns: 2000 },
    );
  });
  it('SL-PATH-6: only a lone path="/" grant with subpaths is the whole-site exception', () => {
    const whole = parseSilverlightPolicy(simple('*', '<resource path="/" include-subpaths="true"/>')).policy!;
    expect(isWholeSiteGrant(whole)).toBe(true);
    const withSocket = parseSilverlightPolicy(simple('*', '<resource path="/" include-subpaths="true"/><socket-resource port="4502" protocol="tcp"/>')).policy!;
    expect(isWholeSiteGrant(withSocket)).toBe(true);
    for (const g of ['<resource path="/"/>', '<resource path="/" include-subpaths="true"/><resource path="/a"/>', '<resource path="/test" include-subpaths="true"/>']) {
      expect(isWholeSiteGrant(parseSilverlightPolicy(simple('*', g)).policy!), g).toBe(false);
    }
    const two = parseSilverlightPolicy(wrap('<policy><allow-from><domain uri="*"/></allow-from><grant-to><resource path="/" include-subpaths="true"/></grant-to></policy><policy/>')).policy!;
    expect(isWholeSiteGrant(two)).toBe(false);
  });
  it('SL-PATH-7: the query and fragment are not part of the path', () => {
    expect(rawRequestPath('http://a/test/path?query=../x')).toBe('/test/path');
    expect(rawRequestPath('http://a/test/path#../x')).toBe('/test/path');
    expect(rawRequestPath('http://a:8080?x')).toBe('/');
    expect(findForbiddenPathSequence(rawRequestPath('http://a/test/path?query=%20'))).toBeNull();
  });
});

describe('Silverlight request headers and methods (SL-HDR)', () => {
  it('SL-HDR-2: Content-Type is always allowed', () => {
    expect(isHeaderAllowed([], 'Content-Type')).toBe(true);
    expect(isHeaderAllowed([], 'content-type')).toBe(true);
  });
  it('SL-HDR-3: * allows every header', () => {
    expect(isHeaderAllowed(['*'], 'X-Anything')).toBe(true);
  });
  it('SL-HDR-4: a trailing * is a case-insensitive prefix; a leading * is literal', () => {
    expect(isHeaderAllowed(['SOAPAction*'], 'SOAPActionX')).toBe(true);
    expect(isHeaderAllowed(['Prefix*'], 'prefix')).toBe(true);
    expect(isHeaderAllowed(['*Suffix'], 'LengthSuffix')).toBe(false);
  });
  it('SL-HDR-5: other items match exactly, case-insensitively', () => {
    expect(isHeaderAllowed(['SOAPAction'], 'soapaction')).toBe(true);
    expect(isHeaderAllowed(['SOAPAction'], 'SOAPActionX')).toBe(false);
  });
  it('SL-HDR-6: no list allows only Content-Type', () => {
    expect(isHeaderAllowed([], 'SOAPAction')).toBe(false);
  });
  it('SL-HDR-8: GET and POST always; other methods only with *', () => {
    expect(isMethodAllowed([], 'get')).toBe(true);
    expect(isMethodAllowed([], 'POST')).toBe(true);
    expect(isMethodAllowed([], 'PUT')).toBe(false);
    expect(isMethodAllowed(['PUT'], 'PUT')).toBe(false);
    expect(isMethodAllowed(['*'], 'delete')).toBe(true);
  });
  it('SL-HDR-8: only the exact value "*" allows other methods (PUT,* and " * " do not)', () => {
    for (const v of ['PUT,*', ' * ', '*,', '*,*', '* ']) expect(isMethodAllowed(parseMethodList(v), 'PUT'), v).toBe(false);
    expect(isMethodAllowed(parseMethodList('*'), 'PUT')).toBe(true);
  });
});
