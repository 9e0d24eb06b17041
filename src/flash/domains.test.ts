import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyHost, formatDomainPattern, matchDomain, parseDomainPattern, type DomainPattern } from './domains.js';

const matches = (pattern: string, host: string) => matchDomain(parseDomainPattern(pattern), classifyHost(host));

describe('domain patterns (spec/flash/3-domains.md)', () => {
  it('FLASH-DOM-1: "*" matches every name, every IP address and local SWFs', () => {
    expect(parseDomainPattern('*')).toEqual({ kind: 'any' });
    for (const host of ['a.com', 'localhost', '10.0.0.1', '[::1]', '::1', '']) expect(matches('*', host)).toBe(true);
  });

  it('FLASH-DOM-2: an exact name matches only that host, case-insensitively; subdomains are different domains', () => {
    expect(parseDomainPattern('WWW.Example.COM')).toEqual({ kind: 'name', name: 'www.example.com' });
    expect(matches('example.com', 'example.com')).toBe(true);
    expect(matches('Example.Com', 'EXAMPLE.com')).toBe(true);
    expect(matches('example.com', 'www.example.com')).toBe(false);
    expect(matches('www.example.com', 'example.com')).toBe(false);
    expect(matches('example.com', 'example.com.evil.net')).toBe(false);
    expect(matches('localhost', 'localhost')).toBe(true);
  });

  it('FLASH-DOM-3: "*.suffix" matches the bare suffix and its subdomains, never "evilsuffix"', () => {
    expect(parseDomainPattern('*.Example.com')).toEqual({ kind: 'suffix', suffix: 'example.com' });
    expect(matches('*.example.com', 'example.com')).toBe(true);
    expect(matches('*.example.com', 'www.example.com')).toBe(true);
    expect(matches('*.example.com', 'a.b.EXAMPLE.com')).toBe(true);
    expect(matches('*.example.com', 'evilexample.com')).toBe(false);
    expect(matches('*.example.com', 'example.com.evil.net')).toBe(false);
    expect(matches('*.example.com', 'xample.com')).toBe(false);
  });

  it('FLASH-DOM-3: property: *.x matches x and every label.x but never labelx', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
    const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
    fc.assert(
      fc.property(name, label, (x, l) => {
        const p = parseDomainPattern(`*.${x}`);
        if (/^[0-9.]+$/.test(x)) return p.kind === 'invalid'; // FLASH-DOM-5: *.<digits> is an IP wildcard
        return matchDomain(p, classifyHost(x)) && matchDomain(p, classifyHost(`${l}.${x}`)) && !matchDomain(p, classifyHost(`${l}${x}`));
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['www.*.com'],
    ['*example.com'],
    ['a*'],
    ['*.'],
    ['**.a.com'],
    ['*.*.a.com'],
    ['*.a.*'],
    ['none.*'],
  ])('FLASH-DOM-4: wildcard "%s" outside a leading "*." is invalid and never matches', (value) => {
    const p = parseDomainPattern(value);
    expect(p.kind).toBe('invalid');
    expect(p.kind === 'invalid' && p.requirement).toBe(value === '*.' ? 'FLASH-DOM-6' : 'FLASH-DOM-4');
    for (const host of ['www.a.com', 'example.com', 'a', 'aa', '']) expect(matchDomain(p, classifyHost(host))).toBe(false);
  });

  it('FLASH-DOM-5: IP addresses match exactly, never names (no DNS), and IPv6 is normalized', () => {
    expect(parseDomainPattern('10.0.0.1')).toEqual({ kind: 'ip', address: '10.0.0.1' });
    expect(matches('10.0.0.1', '10.0.0.1')).toBe(true);
    expect(matches('10.0.0.1', '10.0.0.2')).toBe(false);
    expect(matches('127.0.0.1', 'localhost')).toBe(false);
    expect(matches('localhost', '127.0.0.1')).toBe(false);
    expect(parseDomainPattern('[2001:DB8:0:0::1]')).toEqual({ kind: 'ip', address: '2001:db8::1' });
    expect(parseDomainPattern('2001:db8::0:1')).toEqual({ kind: 'ip', address: '2001:db8::1' });
    expect(matches('[2001:db8::1]', '[2001:0db8:0000::1]')).toBe(true);
    expect(matches('2001:db8::1', '2001:db8::2')).toBe(false);
    expect(classifyHost('[::1]')).toEqual({ kind: 'ip', address: '::1' });
  });

  it.each([['*.0.0.1'], ['*.216.0.40'], ['*.1.2.3.4'], ['*.::1'], ['*.[::1]'], ['1.2.3'], ['010.0.0.1'], ['256.1.1.1'], ['1.2.3.4.5'], ['[::1'], ['fe80::1%eth0'], ['1::2::3']])(
    'FLASH-DOM-5: "%s" (IP wildcard or not an address) is invalid and never matches',
    (value) => {
      const p = parseDomainPattern(value);
      expect(p).toMatchObject({ kind: 'invalid', requirement: 'FLASH-DOM-5' });
      expect(matchDomain(p, classifyHost('105.216.0.40'))).toBe(false);
      expect(matchDomain(p, classifyHost('0.0.1'))).toBe(false);
    },
  );

  it('FLASH-DOM-5: host classification uses strict four-part decimal IPv4', () => {
    expect(classifyHost('192.168.0.1')).toEqual({ kind: 'ip', address: '192.168.0.1' });
    // Not four-part decimal: a name (and so no IP pattern can match it).
    expect(classifyHost('0x7f.0.0.1')).toEqual({ kind: 'name', name: '0x7f.0.0.1' });
    expect(classifyHost('127.1')).toEqual({ kind: 'name', name: '127.1' });
    expect(matches('127.0.0.1', '127.1')).toBe(false);
  });

  it.each([
    ['http://a.com'],
    ['https://*.a.com'],
    ['a.com:8080'],
    ['a.com/path'],
    ['a com'],
    [' a.com'],
    ['a.com '],
    ['a..com'],
    ['.a.com'],
    ['a.com.'],
    ['-a.com'],
    ['a-.com'],
    ['bücher.de'],
    ['a@b.com'],
    ['a%2ecom'],
    [''],
    ['x'.repeat(64) + '.com'],
  ])('FLASH-DOM-6: "%s" is not a domain: invalid, never matches', (value) => {
    const p = parseDomainPattern(value);
    expect(p).toMatchObject({ kind: 'invalid', requirement: 'FLASH-DOM-6' });
    expect(matchDomain(p, classifyHost('a.com'))).toBe(false);
  });

  it('FLASH-DOM-7: a local origin (no host) is matched only by "*"', () => {
    const local = classifyHost('');
    expect(local).toEqual({ kind: 'local' });
    expect(matchDomain({ kind: 'any' }, local)).toBe(true);
    for (const p of ['localhost', '*.localhost', '127.0.0.1', '*.com', 'a.com']) expect(matchDomain(parseDomainPattern(p), local)).toBe(false);
  });

  it('FLASH-DOM-1..6: parseDomainPattern never throws and formatDomainPattern re-reads to the same pattern', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const p: DomainPattern = parseDomainPattern(s);
        if (p.kind === 'invalid') return true;
        return JSON.stringify(parseDomainPattern(formatDomainPattern(p))) === JSON.stringify(p);
      }),
      { numRuns: 1000 },
    );
    fc.assert(fc.property(fc.string(), (s) => classifyHost(s) !== undefined), { numRuns: 1000 });
  });
});
