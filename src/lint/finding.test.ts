import { describe, expect, it } from 'vitest';
import { compareFindings, highestSeverity, reaches, REPORT_ORDER, REPORT_RANK, SEVERITIES, SEVERITY_RANK, sortFindings, type Finding, type FindingId } from './finding.js';

const f = (id: FindingId, severity: Finding['severity'], line: number, column = 1, value = ''): Finding => ({ id, severity, message: id, line, column, value });

describe('LINT-2: the severity rank table and the report order', () => {
  it('ranks error < high < medium < low < info for thresholds', () => {
    expect([...SEVERITIES].sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])).toEqual(['error', 'high', 'medium', 'low', 'info']);
    expect(reaches('high', 'medium')).toBe(true);
    expect(reaches('low', 'medium')).toBe(false);
    expect(reaches('medium', 'medium')).toBe(true);
    expect(highestSeverity([f('LINT-DOMAIN-ANY', 'low', 1), f('LINT-PORT-ANY', 'high', 9)])).toBe('high');
    expect(highestSeverity([])).toBeNull();
  });
  it('reports live exposure first: a live `*` grant (high) and a medium finding above an error on a dead element', () => {
    expect([...SEVERITIES].sort((a, b) => REPORT_RANK[a] - REPORT_RANK[b])).toEqual([...REPORT_ORDER]);
    expect(REPORT_ORDER).toEqual(['high', 'medium', 'error', 'low', 'info']);
    const sorted = sortFindings([f('LINT-PARSE-VOIDED', 'error', 2), f('LINT-DOMAIN-ANY', 'high', 7), f('LINT-HEADERS-ALL', 'medium', 8)]);
    expect(sorted.map((x) => x.id)).toEqual(['LINT-DOMAIN-ANY', 'LINT-HEADERS-ALL', 'LINT-PARSE-VOIDED']);
    // Thresholds are unchanged: an error still reaches --fail-on high.
    expect(reaches('error', 'high')).toBe(true);
  });
  it('sorts by report rank, then line, then column, and drops exact duplicates', () => {
    const sorted = sortFindings([f('LINT-RULE-SHADOWED', 'low', 1), f('LINT-PORT-ANY', 'high', 5, 2), f('LINT-DOMAIN-ANY', 'high', 5, 1), f('LINT-DOMAIN-ANY', 'high', 5, 1), f('LINT-PARSE-REJECTED', 'error', 9)]);
    expect(sorted.map((x) => x.id)).toEqual(['LINT-DOMAIN-ANY', 'LINT-PORT-ANY', 'LINT-PARSE-REJECTED', 'LINT-RULE-SHADOWED']);
    expect(compareFindings(f('LINT-CONTEXT-CLIENT', 'info', 1), f('LINT-CONTEXT-INFERRED', 'info', 1))).toBeLessThan(0);
  });
});
