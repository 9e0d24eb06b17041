import { describe, expect, it } from 'vitest';
import {
  directoryOf,
  indexWorld,
  lookupLocation,
  masterSocketLocation,
  masterUrlLocation,
  normalizeLocation,
  parseOriginUrl,
  parseSocketTarget,
  parseTarget,
  resolveRedirect,
  type Reading,
} from './locations.js';
import { parseWorld, responseHeader } from './parse.js';
import { endedByClose } from './world.js';

const reading = (what = 'test'): Reading => ({ what, requirement: 'DECIDE-1', diagnostics: [] });

describe('world locations', () => {
  it.each([
    ['XMLSOCKET://Example.COM:843', 'xmlsocket://example.com:843'],
    ['xmlsocket://example.com:843/', 'xmlsocket://example.com:843'],
    ['xmlsocket://[0:0:0:0:0:0:0:1]:843', 'xmlsocket://[::1]:843'],
    ['xmlsocket://127.1:843', 'xmlsocket://127.0.0.1:843'],
    ['HTTP://Example.com:80/crossdomain.xml', 'http://example.com/crossdomain.xml'],
    ['https://example.com:443/a/p.xml', 'https://example.com/a/p.xml'],
    ['https://example.com:8443/crossdomain.xml', 'https://example.com:8443/crossdomain.xml'],
    ['http://[::1]:8080/crossdomain.xml', 'http://[::1]:8080/crossdomain.xml'],
    ['http://example.com', 'http://example.com/'],
  ])('normalises %s', (key, norm) => {
    expect(normalizeLocation(key)).toBe(norm);
  });

  it.each([
    'xmlsocket://example.com',
    'xmlsocket://example.com:0',
    'xmlsocket://example.com:65536',
    'xmlsocket://example.com:843/path',
    'xmlsocket://:843',
    'socket://example.com:843',
    'ftp://example.com/crossdomain.xml',
    'http://example.com/crossdomain.xml?x=1',
    'http://user:pw@example.com/crossdomain.xml',
    'http://exa mple.com/',
    'example.com',
  ])('rejects the location key %s', (key) => {
    expect(normalizeLocation(key)).toBeNull();
  });

  it('FLASH-SOCK-4 names the master socket location of a host', () => {
    expect(masterSocketLocation('example.com').key).toBe('xmlsocket://example.com:843');
  });

  it('FLASH-URL-1 names the master URL location at the target scheme, host and port', () => {
    expect(masterUrlLocation({ scheme: 'https', host: 'example.com', port: 8443 }).key).toBe('https://example.com:8443/crossdomain.xml');
    expect(masterUrlLocation({ scheme: 'http', host: 'example.com', port: 80 }).key).toBe('http://example.com/crossdomain.xml');
  });

  it('DECIDE-1 parses socket targets and refuses malformed ones, saying why with the caller\'s rule', () => {
    expect(parseSocketTarget('socket://Game.Example.com:5000', reading())).toEqual({ kind: 'socket', host: 'game.example.com', port: 5000 });
    for (const bad of ['socket://game.example.com', 'socket://game.example.com:99999', 'socket://user@game.example.com:5000']) {
      const r = reading('socket target');
      expect(parseSocketTarget(bad, r), bad).toBeNull();
      expect(r.diagnostics[0], bad).toMatchObject({ severity: 'error', requirement: 'DECIDE-1' });
      expect(r.diagnostics[0]?.message, bad).toContain('socket target');
    }
    expect(parseTarget('gopher://x/', reading())).toBeNull();
    expect(parseTarget('HTTP://Data.Example.com/a/./b.xml?q=1', reading())).toMatchObject({ kind: 'url', scheme: 'http', host: 'data.example.com', port: 80, path: '/a/b.xml', rawPath: '/a/./b.xml' });
  });

  it('DECIDE-1 refuses URLs carrying credentials, as origin and as target', () => {
    for (const read of [(t: string, r: Reading) => parseOriginUrl(t, r), (t: string, r: Reading) => parseTarget(t, r)]) {
      const r = reading();
      expect(read('http://user:pw@a.com/app.xap', r)).toBeNull();
      expect(r.diagnostics.map((d) => d.code)).toEqual(['credentials']);
    }
  });

  it('FLASH-DOM-7 reads a file: origin as local (no host); DECIDE-1 classifies the host once', () => {
    expect(parseOriginUrl('file:///C:/games/m.swf', reading())).toMatchObject({ scheme: 'file', host: '', hostKind: 'local' });
    expect(parseOriginUrl('http://A.com/m.swf', reading())).toMatchObject({ scheme: 'http', host: 'a.com', hostKind: 'name', port: 80, path: '/m.swf' });
    expect(parseOriginUrl('http://127.1/m.swf', reading())).toMatchObject({ host: '127.0.0.1', hostKind: 'ipv4', address: '127.0.0.1' });
    expect(parseOriginUrl('https://[0:0:0:0:0:0:0:1]:8443/m.swf', reading())).toMatchObject({ host: '[::1]', hostKind: 'ipv6', address: '::1', port: 8443 });
    expect(parseOriginUrl('javascript:alert(1)', reading())).toBeNull();
    expect(parseOriginUrl('not a url', reading())).toBeNull();
  });

  it('looks locations up after normalisation', () => {
    const world = indexWorld({ 'XMLSOCKET://A.COM:843': { body: 'x' }, 'http://a.com:80/crossdomain.xml': { body: 'y' } });
    expect(lookupLocation(world, 'xmlsocket://a.com:843')?.body).toBe('x');
    expect(lookupLocation(world, 'http://A.com/crossdomain.xml')?.body).toBe('y');
    expect(lookupLocation(world, 'http://a.com:8080/crossdomain.xml')).toBeUndefined();
  });

  it('FLASH-URL-8 resolves redirects relative to the location', () => {
    const from = masterUrlLocation({ scheme: 'http', host: 'a.com', port: 80 });
    expect(resolveRedirect(from, '/sub/policy.xml', reading())?.key).toBe('http://a.com/sub/policy.xml');
    expect(resolveRedirect(from, 'javascript:x', reading())).toBeNull();
  });

  it('FLASH-URL-4 takes the directory of a path', () => {
    expect(directoryOf('/a/b/crossdomain.xml')).toBe('/a/b/');
    expect(directoryOf('/crossdomain.xml')).toBe('/');
    expect(directoryOf('/a/')).toBe('/a/');
  });
});

describe('DECIDE-3 parseWorld', () => {
  it('accepts the documented format and normalises keys', () => {
    const { world, diagnostics } = parseWorld({
      'XMLSOCKET://A.com:843': { body: '<cross-domain-policy/>\u0000' },
      'xmlsocket://a.com:5000': { error: 'timeout' },
      'HTTP://a.com/crossdomain.xml': { body: 'x', status: 200, contentType: 'text/xml', headers: { 'X-Permitted-Cross-Domain-Policies': 'all' } },
    });
    expect(diagnostics).toEqual([]);
    expect(Object.keys(world!)).toEqual(['xmlsocket://a.com:843', 'xmlsocket://a.com:5000', 'http://a.com/crossdomain.xml']);
    expect(world!['xmlsocket://a.com:5000']).toEqual({ body: '', error: 'timeout' });
    expect(responseHeader(world!['http://a.com/crossdomain.xml']!, 'x-permitted-cross-domain-policies')).toBe('all');
  });

  it('WIRE-HARNESS-4 reads how an answer ended (end), on socket and URL locations', () => {
    const { world, diagnostics } = parseWorld({
      'xmlsocket://a.com:843': { body: '<cross-domain-policy/>', end: 'timeout' },
      'xmlsocket://a.com:943': { body: '<access-policy/>', end: 'close' },
      'http://a.com/crossdomain.xml': { body: '<cross-domain-policy>', status: 200, contentType: 'text/xml', end: 'limit' },
      'http://a.com/other.xml': { body: 'x', end: 'reset' },
    });
    expect(diagnostics).toEqual([]);
    expect(world!['xmlsocket://a.com:843']).toEqual({ body: '<cross-domain-policy/>', end: 'timeout' });
    expect(endedByClose(world!['xmlsocket://a.com:843']!)).toBe(false);
    expect(endedByClose(world!['xmlsocket://a.com:943']!)).toBe(true);
    expect(endedByClose({ body: 'x' })).toBe(true);
    expect(world!['http://a.com/crossdomain.xml']!.end).toBe('limit');
  });

  it('keeps a header named __proto__ (JSON.parse makes it an own key; a plain object would drop it)', () => {
    const json: unknown = JSON.parse('{"http://a.com/crossdomain.xml": {"body": "x", "headers": {"__proto__": "kept", "X-Permitted-Cross-Domain-Policies": "all"}}}');
    const { world, diagnostics } = parseWorld(json);
    expect(diagnostics).toEqual([]);
    const response = world!['http://a.com/crossdomain.xml']!;
    expect(Object.keys(response.headers!)).toEqual(['__proto__', 'X-Permitted-Cross-Domain-Policies']);
    expect(responseHeader(response, '__proto__')).toBe('kept');
    expect(JSON.parse(JSON.stringify(world))).toEqual(json);
    // No key of the world reads an inherited member either.
    expect(world!['constructor']).toBeUndefined();
    expect(response.headers!['toString']).toBeUndefined();
  });

  it('reports a world key named __proto__ rather than dropping it', () => {
    const { world, diagnostics } = parseWorld(JSON.parse('{"__proto__": {"body": ""}}'));
    expect(world).toBeNull();
    expect(diagnostics.map((d) => d.message).join('\n')).toContain("world key '__proto__'");
  });

  it.each([
    [[], 'must be a JSON object'],
    [null, 'must be a JSON object'],
    [{ 'xmlsocket//a.com:843': { body: '' } }, "world key 'xmlsocket//a.com:843'"],
    [{ 'xmlsocket://a.com:843': 'text' }, "world key 'xmlsocket://a.com:843': the value must be an object"],
    [{ 'xmlsocket://a.com:843': { body: 1 } }, "'body' must be a string"],
    [{ 'xmlsocket://a.com:843': {} }, "'body' is required"],
    [{ 'xmlsocket://a.com:843': { body: '', contentType: 'text/xml' } }, "field 'contentType' does not apply to a socket location"],
    [{ 'http://a.com/crossdomain.xml': { body: '', contenttype: 'text/xml' } }, "unknown field 'contenttype'"],
    [{ 'http://a.com/crossdomain.xml': { body: '', status: '200' } }, "'status' must be an integer"],
    [{ 'http://a.com/crossdomain.xml': { body: '', status: 99 } }, "'status' must be an integer"],
    [{ 'http://a.com/crossdomain.xml': { body: '', error: 'eof' } }, "'error' must be one of"],
    [{ 'xmlsocket://a.com:843': { body: '', end: 'nul' } }, "'end' must be one of close, reset, timeout, limit"],
    [{ 'http://a.com/crossdomain.xml': { body: '', end: true } }, "'end' must be one of"],
    [{ 'http://a.com/crossdomain.xml': { body: '', headers: ['a'] } }, "'headers' must be an object"],
    [{ 'http://a.com/crossdomain.xml': { body: '', headers: { 'X A': 'b' } } }, 'is not a valid HTTP header name'],
    [{ 'http://a.com/crossdomain.xml': { body: '', headers: { A: 1 } } }, "header 'A' must have a string value"],
    [{ 'http://a.com/crossdomain.xml': { body: '', headers: { A: 'x', a: 'y' } } }, 'is given twice'],
    [{ 'http://a.com/crossdomain.xml': { body: '' }, 'http://A.COM:80/crossdomain.xml': { body: '' } }, 'names the same location'],
  ])('rejects %j with an error naming the problem', (json, message) => {
    const { world, diagnostics } = parseWorld(json);
    expect(world).toBeNull();
    expect(diagnostics.map((d) => d.message).join('\n')).toContain(message);
  });
});
