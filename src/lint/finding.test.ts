import { describe, expect, it } from 'vitest';
import { compareFindings, highestSeverity, reaches, SEVERITIES, SEVERITY_RANK, sortFindings, type Finding } from './finding.js';

const f = (id: string, severity: Finding['severity'], line: number, column = 1, value = ''): Finding => ({ id, severity, message: id, line, column, value });

describe('LINT-2: the severity rank table and the report order', () => {
  it('ranks error < high < medium < low < info, one table for sorting and thresholds', () => {
    expect([...SEVERITIES].sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])).toEqual(['error', 'high', 'medium', 'low', 'info']);
    expect(reaches('high', 'medium')).toBe(true);
    expect(reaches('low', 'medium')).toBe(false);
    expect(reaches('medium', 'medium')).toBe(true);
    expect(highestSeverity([f('A', 'low', 1), f('B', 'high', 9)])).toBe('high');
    expect(highestSeverity([])).toBeNull();
  });
  it('sorts by severity, then line, then column, and drops exact duplicates', () => {
    const sorted = sortFindings([f('C', 'low', 1), f('B', 'high', 5, 2), f('A', 'high', 5, 1), f('A', 'high', 5, 1), f('D', 'error', 9)]);
    expect(sorted.map((x) => x.id)).toEqual(['D', 'A', 'B', 'C']);
    expect(compareFindings(f('X', 'info', 1), f('Y', 'info', 1))).toBeLessThan(0);
  });
});
