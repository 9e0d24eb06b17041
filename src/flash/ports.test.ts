import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Diagnostic } from '../diagnostics.js';
import { formatPortSpec, parsePortRanges, portSpecContains } from './ports.js';
import type { PortRange, PortSpec } from './model.js';

const spec = (value: string): PortSpec => {
  const why: Diagnostic[] = [];
  const r = parsePortRanges(value, why);
  if (r === null) throw new Error(`expected ${value} to parse: ${why[0]?.message}`);
  return r;
};
/** The failure of a value that must not parse: null, and one invalid-to-ports error naming the rule. */
const failure = (value: string): { spec: PortSpec | null; requirement: string | undefined; code: string | undefined } => {
  const why: Diagnostic[] = [];
  const r = parsePortRanges(value, why);
  return { spec: r, requirement: why[0]?.requirement, code: why[0]?.code };
};

describe('to-ports (spec/flash/4-ports.md)', () => {
  it('FLASH-PORT-1: a list of ports and inclusive ranges, spaces around items tolerated', () => {
    expect(spec('507')).toEqual({ any: false, ranges: [{ from: 507, to: 507 }] });
    expect(spec('507,516-523')).toEqual({ any: false, ranges: [{ from: 507, to: 507 }, { from: 516, to: 523 }] });
    expect(spec(' 123 , 456-458\t')).toEqual({ any: false, ranges: [{ from: 123, to: 123 }, { from: 456, to: 458 }] });
    // The sample shipped with Adobe's daemon: "allow access to ports 123, 456, 457 and 458".
    const s = spec('123,456-458');
    expect([122, 123, 124, 455, 456, 457, 458, 459].filter((p) => portSpecContains(s, p))).toEqual([123, 456, 457, 458]);
  });

  it('FLASH-PORT-2: "*" alone grants every port; combined with other items it is invalid', () => {
    expect(spec('*')).toEqual({ any: true });
    expect(spec(' * ')).toEqual({ any: true });
    for (const p of [1, 80, 843, 1024, 65535]) expect(portSpecContains({ any: true }, p)).toBe(true);
    for (const v of ['*,80', '80,*', '*-80', '8*']) expect(failure(v)).toEqual({ spec: null, requirement: 'FLASH-PORT-2', code: 'invalid-to-ports' });
  });

  it.each([[''], [' '], ['80,'], [',80'], ['80,,81'], ['0'], ['65536'], ['-1'], ['+80'], ['0x50'], ['80.0'], ['1e3'], ['8 0'], ['80-'], ['-80'], ['1-2-3'], ['100000'], ['abc'], ['80;81']])(
    'FLASH-PORT-3: "%s" is not a port list: the whole value is invalid',
    (value) => {
      expect(failure(value)).toEqual({ spec: null, requirement: 'FLASH-PORT-3', code: 'invalid-to-ports' });
    },
  );

  it('FLASH-PORT-3: the bounds 1 and 65535 are ports', () => {
    expect(spec('1,65535')).toEqual({ any: false, ranges: [{ from: 1, to: 1 }, { from: 65535, to: 65535 }] });
    expect(spec('1-65535')).toEqual({ any: false, ranges: [{ from: 1, to: 65535 }] });
  });

  it('FLASH-PORT-4: a reversed range is invalid', () => {
    expect(failure('458-456')).toEqual({ spec: null, requirement: 'FLASH-PORT-4', code: 'invalid-to-ports' });
    expect(failure('80,2000-1000')).toEqual({ spec: null, requirement: 'FLASH-PORT-4', code: 'invalid-to-ports' });
    expect(spec('456-456')).toEqual({ any: false, ranges: [{ from: 456, to: 456 }] });
  });

  it('FLASH-PORT-5: a port is granted when it lies in one of the items; nothing outside 1-65535 is', () => {
    const s = spec('80,443,1000-2000');
    expect(portSpecContains(s, 80)).toBe(true);
    expect(portSpecContains(s, 1000)).toBe(true);
    expect(portSpecContains(s, 2000)).toBe(true);
    expect(portSpecContains(s, 2001)).toBe(false);
    expect(portSpecContains(s, 81)).toBe(false);
    expect(portSpecContains({ any: true }, 0)).toBe(false);
    expect(portSpecContains({ any: true }, 65536)).toBe(false);
    expect(portSpecContains({ any: true }, 80.5)).toBe(false);
  });

  const range = fc.tuple(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 40 })).map(([a, n]): PortRange => ({ from: a, to: a + n }));
  const ranges = fc.array(range, { minLength: 1, maxLength: 6 });

  it('FLASH-PORT-5: property: membership equals membership in the explicit expansion', () => {
    fc.assert(
      fc.property(ranges, fc.integer({ min: 0, max: 2100 }), (rs, port) => {
        const text = rs.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',');
        const s = spec(text);
        const expansion = new Set<number>();
        for (const r of rs) for (let p = r.from; p <= r.to; p++) expansion.add(p);
        return portSpecContains(s, port) === expansion.has(port);
      }),
      { numRuns: 1000 },
    );
  });

  it('FLASH-PORT-1, FLASH-GRAM-13: formatPortSpec is canonical and parses back to the same spec', () => {
    expect(formatPortSpec(spec(' 80 ,  1000-2000,7-7'))).toBe('80,1000-2000,7');
    fc.assert(
      fc.property(ranges, (rs) => {
        const s: PortSpec = { any: false, ranges: rs };
        return JSON.stringify(spec(formatPortSpec(s))) === JSON.stringify(s);
      }),
      { numRuns: 500 },
    );
    expect(spec(formatPortSpec({ any: true }))).toEqual({ any: true });
  });

  it('FLASH-PORT-1..4: parsePortRanges never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (s) => { const why: Diagnostic[] = []; const r = parsePortRanges(s, why); return r !== null ? why.length === 0 : why.length === 1; }), { numRuns: 1000 });
  });
});
