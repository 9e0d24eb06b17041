/**
 * Reports of a run: a progress line per case and the human summary (stderr/stdout), the JSON
 * document (the {@link CertifyReport} value itself), JUnit XML (h2spec's `-j`) and a
 * self-contained HTML page with the case table and an origin × port decision matrix per client
 * (Autobahn|Testsuite's `index.html`). All pure: text in, text out.
 *
 * @module
 */
import { maxOf, minOf } from '../src/collections.js';
import { seconds } from './client.js';
import { diagnosisText } from './diagnose.js';
import type { CaseResult } from './model.js';
import { formatDuration } from './phases.js';
import type { CertifyReport, MatrixReport, PlannedTarget, RunBudget } from './run.js';
import type { AcceptedBy } from './world.js';

const MARK: Record<string, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP', error: 'ERR ', untested: 'NOT TESTED' };

/** One progress line for a finished case. */
export function progressLine(r: CaseResult): string {
  return `  ${MARK[r.verdict.status]} ${r.id}${r.strict ? ' (SHOULD)' : ''} [${r.client} ${r.target}] ${r.durationMs} ms\n`;
}

const CLIENT_NAME: Record<string, string> = { flash: 'Flash', silverlight: 'Silverlight' };

// WIRE-HARNESS-8
/** How a target was planned: which clients it is tested as (not a verdict), or why it could not be tested. */
export function planLine(t: PlannedTarget): string {
  if (!t.reachable) return `target ${t.url}: could not be tested: ${t.error}`;
  return `target ${t.url}: tested as ${t.clients.map((c) => CLIENT_NAME[c]).join(' and ')} (${t.clientReason})`;
}

/** How each target was planned, for the top of the report. */
export function planText(targets: readonly PlannedTarget[]): string {
  return `${targets.map(planLine).join('\n')}\n`;
}

/** The run's stated bound, printed before it starts (WIRE-HARNESS-5). */
export function budgetText(budget: RunBudget): string {
  const lines = [`budget: this run ends within ${formatDuration(budget.ms)}`];
  for (const t of budget.targets) {
    lines.push(`  ${t.target}: at most ${formatDuration(t.ms)} (${t.phases.map((p) => `${p.phase} ${p.cases} case${p.cases === 1 ? '' : 's'} ≤ ${formatDuration(p.ms)}`).join(', ')})`);
  }
  return `${lines.join('\n')}\n`;
}

/** One profile's line of the "accepted by" summary. */
function acceptedText(a: AcceptedBy, reference: string): string {
  if (!a.accepted) return `${a.profile}: reads no policy from the answer${a.why ? ` (${a.why.replace(/\.$/, '')})` : ''}; ${a.allowed} of ${a.cells} allowed`;
  const differs = a.profile === reference ? '' : a.differs === 0 ? `; as ${reference}` : `; differs from ${reference} in ${a.differs}`;
  return `${a.profile}: accepts it; ${a.allowed} of ${a.cells} allowed${differs}`;
}

// WIRE-HARNESS-8
/** The "accepted by" summary of every matrix: which client profiles read what the server answered, and what each grants. */
export function acceptedByText(matrices: readonly MatrixReport[]): string[] {
  const lines: string[] = [];
  for (const m of matrices) {
    const accepted = m.accepted.filter((a) => a.accepted).map((a) => a.profile);
    const refused = m.accepted.filter((a) => !a.accepted).map((a) => a.profile);
    lines.push(`${m.target} (${m.client}): accepted by ${accepted.length > 0 ? accepted.join(', ') : 'no client'}${refused.length > 0 ? `; not by ${refused.join(', ')}` : ''}`);
    for (const a of m.accepted) lines.push(`  ${acceptedText(a, m.client)}`);
  }
  return lines;
}

/** The untested cases of a run, grouped by the reason they could not be judged. */
function untestedText(results: readonly CaseResult[]): string[] {
  const untested = results.filter((r) => r.verdict.status === 'untested');
  if (untested.length === 0) return [];
  const byReason = new Map<string, CaseResult[]>();
  for (const r of untested) byReason.set(r.verdict.actual, [...(byReason.get(r.verdict.actual) ?? []), r]);
  const lines = ['', `Not tested (${untested.length} case${untested.length === 1 ? '' : 's'}):`];
  for (const [reason, rs] of byReason) {
    lines.push(`  ${reason}:`);
    lines.push(`    ${rs.map((r) => r.id).join(', ')}`);
  }
  return lines;
}

/** The human summary: a table of counts per target and client, then every failing case in detail. */
export function textReport(report: CertifyReport): string {
  const lines: string[] = [];
  lines.push('');
  for (const w of report.warnings) lines.push(`WARNING: ${w}`);
  // WIRE-HARNESS-7: the root causes first, each with what to change.
  const diagnosis = diagnosisText(report.diagnoses);
  if (diagnosis.length > 0) {
    for (const l of diagnosis) lines.push(l);
    lines.push('');
  }
  lines.push(planText(report.targets).trimEnd());
  for (const t of report.targets) if (t.serving) lines.push(`  ${t.url} ${t.serving.detail}`);
  for (const m of report.matrices) {
    for (const c of m.consulted ?? []) lines.push(`  ${m.client} decisions for ${m.target} also read ${c.url} (${c.answered}); it is in the recorded world`);
  }
  const accepted = acceptedByText(report.matrices);
  if (accepted.length > 0) {
    lines.push('', 'Accepted by (client profiles, over the decision matrix):');
    for (const l of accepted) lines.push(`  ${l}`);
  }
  lines.push('');
  const groups = new Map<string, CaseResult[]>();
  for (const r of report.results) {
    const key = `${r.target} (${r.client})`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const head = ['target (client)', 'cases', 'pass', 'fail', 'warn', 'skip', 'error', 'not tested'];
  const statuses = ['pass', 'fail', 'warn', 'skip', 'error', 'untested'] as const;
  const rows = [...groups.entries()].map(([k, rs]) => [k, String(rs.length), ...statuses.map((s) => String(rs.filter((r) => r.verdict.status === s).length))]);
  rows.push(['total', String(report.summary.total), ...statuses.map((s) => String(report.summary[s]))]);
  const widths = head.map((h, i) => Math.max(h.length, maxOf(rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(fmt(head));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(0, -1)) lines.push(fmt(r));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push(fmt(rows[rows.length - 1]!));
  const bad = report.results.filter((r) => r.verdict.status === 'fail' || r.verdict.status === 'error' || r.verdict.status === 'warn');
  if (bad.length > 0) {
    lines.push('');
    lines.push('Failures and warnings:');
    for (const r of bad) {
      lines.push('');
      lines.push(`${MARK[r.verdict.status]} ${r.id} [${r.client} ${r.target}]${r.strict ? ' — SHOULD' : ' — MUST'} (${r.requirementIds.join(', ')})`);
      lines.push(`  ${r.desc}`);
      lines.push(`  Requirement: ${r.requirement}`);
      for (const e of r.verdict.expected) lines.push(`  Expected:    ${e}`);
      lines.push(`  Actual:      ${r.verdict.actual}`);
      if (r.besideOthers) lines.push(`  Alone:       this is the verdict run alone; beside other cases it was ${r.besideOthers.status}: ${r.besideOthers.actual}`);
    }
  }
  for (const l of untestedText(report.results)) lines.push(l);
  lines.push('');
  const verdictLine =
    report.exitCode === 0
      ? `CERTIFIED: every MUST case passed${report.strict ? ' (strict: SHOULD cases counted)' : ''}.`
      : report.exitCode === 1
        ? `NOT CERTIFIED: ${report.results.filter((r) => r.verdict.status === 'fail').length} case(s) failed.`
        : report.targets.some((t) => !t.reachable)
          ? 'NOT TESTED: a target could not be tested at all.'
          : report.summary.error > 0
            ? `NOT TESTED: ${report.summary.error} case(s) ended in a harness error, so the run could not test what it reports.`
            : `NOT TESTED: ${report.summary.untested} case(s) could not be tested.`;
  const quick = report.results.filter((r) => !r.slow);
  const slow = report.results.filter((r) => r.slow);
  if (slow.length > 0 && quick.length > 0) {
    const longest = (rs: CaseResult[]): number => maxOf(rs.map((r) => r.durationMs));
    lines.push(`Timing: the longest ordinary case took ${longest(quick)} ms; the ${slow.length} case${slow.length === 1 ? '' : 's'} that wait for the server's own timeout (in their own phase) up to ${longest(slow)} ms.`);
  }
  for (const w of report.warnings) lines.push(`WARNING: ${w}`);
  const untested = report.summary.untested > 0 ? `, ${report.summary.untested} not tested` : '';
  lines.push(`${report.summary.total} cases, ${report.summary.pass} passed, ${report.summary.fail} failed, ${report.summary.warn} warnings, ${report.summary.skip} skipped, ${report.summary.error} errors${untested} in ${seconds(report.durationMs)} (budget ${formatDuration(report.budget.ms)}). ${verdictLine}`);
  return lines.join('\n') + '\n';
}

/** The JSON report: the report value, pretty-printed. */
export function jsonReport(report: CertifyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Escapes text for XML and HTML content and attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JUnit XML: one testsuite per target and client, one testcase per case. */
export function junitReport(report: CertifyReport): string {
  const groups = new Map<string, CaseResult[]>();
  for (const r of report.results) {
    const key = `${r.target} (${r.client})`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = report.summary;
  // WIRE-HARNESS-8: a warning is a SHOULD not met: a passing test case that says so, never <skipped> (CI views hide those).
  out.push(`<testsuites name="xdpolicy certify" tests="${s.total}" failures="${s.fail}" errors="${s.error}" skipped="${s.skip + s.untested}" time="${(report.durationMs / 1000).toFixed(3)}">`);
  for (const [name, rs] of groups) {
    const count = (st: string): number => rs.filter((r) => r.verdict.status === st).length;
    // Cases run side by side: a suite's time is the wall time it spanned, not the sum of its cases.
    const time = (maxOf(rs.map((r) => r.startMs + r.durationMs), 0) - minOf(rs.map((r) => r.startMs), 0)) / 1000;
    out.push(`  <testsuite name="${escapeXml(name)}" tests="${rs.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('skip') + count('untested')}" time="${time.toFixed(3)}">`);
    // Run warnings (e.g. --insecure) on every suite: CI views often show one suite at a time.
    const warned = count('warn');
    const matrix = report.matrices.find((m) => `${m.target} (${m.client})` === name);
    if (report.warnings.length > 0 || warned > 0 || matrix !== undefined) {
      out.push('    <properties>');
      for (const w of report.warnings) out.push(`      <property name="warning" value="${escapeXml(w)}"/>`);
      if (warned > 0) out.push(`      <property name="should-warnings" value="${warned}"/>`);
      // WIRE-HARNESS-8: which client profiles accept what the target served, and what each grants.
      if (matrix !== undefined) {
        out.push(`      <property name="accepted-by" value="${escapeXml(matrix.accepted.filter((a) => a.accepted).map((a) => a.profile).join(','))}"/>`);
        out.push(`      <property name="not-accepted-by" value="${escapeXml(matrix.accepted.filter((a) => !a.accepted).map((a) => a.profile).join(','))}"/>`);
        for (const a of matrix.accepted) out.push(`      <property name="profile.${escapeXml(a.profile)}" value="${escapeXml(acceptedText(a, matrix.client))}"/>`);
      }
      out.push('    </properties>');
    }
    for (const r of rs) {
      out.push(`    <testcase classname="${escapeXml(name)}" name="${escapeXml(`${r.id}: ${r.desc}`)}" time="${(r.durationMs / 1000).toFixed(3)}">`);
      const body = `Requirement (${r.requirementIds.join(', ')}): ${r.requirement}\nExpected: ${r.verdict.expected.join(' | ')}\nActual: ${r.verdict.actual}`;
      if (r.verdict.status === 'fail') out.push(`      <failure message="${escapeXml(r.verdict.actual)}" type="${r.strict ? 'SHOULD' : 'MUST'}">${escapeXml(body)}</failure>`);
      else if (r.verdict.status === 'error') out.push(`      <error message="${escapeXml(r.verdict.actual)}">${escapeXml(body)}</error>`);
      else if (r.verdict.status === 'skip' || r.verdict.status === 'untested') out.push(`      <skipped message="${escapeXml(r.verdict.actual)}"/>`);
      else if (r.verdict.status === 'warn') {
        out.push(`      <system-out>${escapeXml(r.verdict.actual)}</system-out>`);
        out.push(`      <system-err>${escapeXml(`WARNING: SHOULD not met (counts only under --strict): ${r.verdict.actual}\n${body}`)}</system-err>`);
      } else out.push(`      <system-out>${escapeXml(r.verdict.actual)}</system-out>`);
      out.push('    </testcase>');
    }
    // The JUnit schema puts system-err after the test cases.
    const suiteWarnings = [...report.warnings.map((w) => `WARNING: ${w}`), ...rs.filter((r) => r.verdict.status === 'warn').map((r) => `WARNING: SHOULD not met: ${r.id}: ${r.verdict.actual}`)];
    if (suiteWarnings.length > 0) out.push(`    <system-err>${escapeXml(suiteWarnings.join('\n'))}</system-err>`);
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

// WIRE-HARNESS-8
/**
 * The client × origin × port (or path) view of a matrix: the "accepted by" list, then one table
 * whose cells hold every profile's verdict; a cell where the profiles disagree is marked.
 */
function profileView(m: MatrixReport): string {
  const e = escapeXml;
  if (m.profiles.length === 0) return '';
  const all = [{ profile: m.client, rows: m.rows }, ...m.profiles];
  const list = m.accepted.map((a) => `<li class="${a.accepted ? 'acc' : 'nacc'}"><b>${e(a.profile)}</b>: ${e(acceptedText(a, m.client).replace(/^[^:]+: /, ''))}</li>`).join('');
  const head = `<tr><th>origin \\ ${m.columns.length && /^\d+$/.test(m.columns[0]!) ? 'port' : 'path'}</th>${m.columns.map((c) => `<th>${e(c)}</th>`).join('')}</tr>`;
  const body = m.origins
    .map((o, i) => {
      const cells = m.columns.map((_c, j) => {
        const verdicts = all.map((p) => ({ profile: p.profile, d: p.rows[i]?.[j] }));
        const differ = new Set(verdicts.map((v) => v.d?.decision)).size > 1;
        const inner = verdicts.map((v) => `<span class="pv d-${e(v.d?.decision ?? 'unavailable')}" title="${e(`${v.profile}: ${v.d?.reason ?? ''}`)}">${e(v.profile)} ${v.d?.decision === 'allow' ? '✓' : '✗'}</span>`).join('');
        return `<td class="${differ ? 'differ' : ''}" data-profiles="${e(verdicts.map((v) => `${v.profile}=${v.d?.decision ?? 'unavailable'}`).join(' '))}">${inner}</td>`;
      });
      return `<tr><th><code>${e(o)}</code></th>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<h4>Accepted by</h4><ul class="accepted">${list}</ul><h4>Client × origin × ${m.columns.length && /^\d+$/.test(m.columns[0]!) ? 'port' : 'path'}</h4><table class="matrix profiles">${head}\n${body}</table>`;
}

/** A self-contained HTML page: summary, case table with details, and the decision matrices. */
export function htmlReport(report: CertifyReport): string {
  const e = escapeXml;
  const s = report.summary;
  const status = report.exitCode === 0 ? 'CERTIFIED' : report.exitCode === 1 ? 'NOT CERTIFIED' : 'NOT TESTED';
  // Failures first, then warnings and errors, then the rest, in run order within each group.
  const rank: Record<string, number> = { fail: 0, error: 1, warn: 2, untested: 3, skip: 4, pass: 5 };
  const rows = [...report.results]
    .sort((a, b) => rank[a.verdict.status]! - rank[b.verdict.status]!)
    .map((r) => {
      const detail = `<div class="req"><b>${e(r.requirementIds.join(', '))}</b> ${e(r.requirement)}</div>` +
        `<div><b>Expected:</b> ${r.verdict.expected.map(e).join('<br>') || '—'}</div>` +
        `<div><b>Actual:</b> ${e(r.verdict.actual)}</div>` +
        (r.besideOthers ? `<div class="note">Run again alone; beside other cases it was ${e(r.besideOthers.status)}: ${e(r.besideOthers.actual)}</div>` : '') +
        (r.verdict.details ? `<details><summary>details</summary><pre>${e(JSON.stringify(r.verdict.details, null, 2))}</pre></details>` : '');
      return `<tr class="${r.verdict.status}"><td class="st">${r.verdict.status === 'untested' ? 'NOT TESTED' : r.verdict.status.toUpperCase()}</td><td><code>${e(r.id)}</code><div class="desc">${e(r.desc)}</div></td><td>${r.strict ? 'SHOULD' : 'MUST'}</td><td>${e(r.client)}<br><code>${e(r.target)}</code></td><td>${detail}</td><td class="num">${r.durationMs}</td></tr>`;
    })
    .join('\n');
  const matrices = report.matrices
    .map((m) => {
      const head = `<tr><th>origin \\ ${m.columns.length && /^\d+$/.test(m.columns[0]!) ? 'port' : 'path'}</th>${m.columns.map((c) => `<th>${e(c)}</th>`).join('')}</tr>`;
      const body = m.rows
        .map((row, i) => `<tr><th><code>${e(m.origins[i]!)}</code></th>${row.map((c) => `<td class="d-${c.decision}" title="${e(`${c.target}: ${c.reason}`)}">${c.decision === 'unavailable' ? 'n/a' : c.decision}</td>`).join('')}</tr>`)
        .join('\n');
      const alias = m.aliasedFrom ? `<p class="note">The answer of <code>${e(m.aliasedFrom)}</code> is evaluated as if served from the ${m.client === 'flash' ? 'master port 843' : 'Silverlight port 943'} of the same host, where it will be deployed.</p>` : '';
      const consulted = (m.consulted ?? []).map((c) => `<p class="note">These decisions also read <code>${e(c.url)}</code> (${e(c.answered)}), fetched and recorded.</p>`).join('');
      const note = alias + consulted;
      return `<h3>${e(m.client)} — <code>${e(m.target)}</code></h3>${note}<table class="matrix">${head}\n${body}</table>${profileView(m)}`;
    })
    .join('\n');
  const targets = report.targets
    .map((t) => `<li><code>${e(t.url)}</code>: ${t.reachable ? `tested as ${e(t.clients.map((c) => CLIENT_NAME[c]).join(' and '))} (${e(t.clientReason)})${t.serving ? `; ${e(t.serving.detail)}` : ''}` : `<b>could not be tested</b>: ${e(t.error ?? '')}`}</li>`)
    .join('');
  const diagnoses = report.diagnoses
    .map((d) => `<li class="diag ${d.level === 'MUST' ? 'must' : 'should'}"><b>[${d.level}] ${e(d.title)}</b> <span class="note">(${e(d.target)}, ${e(d.client)}; ${e(d.requirementIds.join(', '))})</span><div><b>Fix:</b> ${e(d.fix)}</div><ul>${d.cases.map((c) => `<li><code>${e(c.id)}</code> ${e(c.status.toUpperCase())}: ${e(c.actual)}</li>`).join('')}${d.notes.map((n) => `<li class="note">${e(n)}</li>`).join('')}</ul></li>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>xdpolicy certify — ${e(status)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1 .st{padding:.1em .5em;border-radius:4px;color:#fff;background:${report.exitCode === 0 ? '#2a7d2a' : report.exitCode === 1 ? '#b32' : '#777'}}
table{border-collapse:collapse;margin:1em 0}table.cases{width:100%}table.cases td:nth-child(2){width:24%}table.cases td:nth-child(5){width:46%}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
tr.pass .st{background:#dfd}tr.fail .st{background:#f99}tr.warn .st{background:#fe9}tr.skip .st{background:#eee}tr.error .st{background:#c9f}tr.untested .st{background:#ccc}
li.diag{margin:.5em 0}li.diag.must>b{color:#b32}
.desc{color:#555;font-size:12px}.req{font-size:12px;color:#333}.num{text-align:right}
.matrix td{text-align:center;font-weight:bold}.profiles td{font-weight:normal;font-size:11px}.profiles td.differ{outline:3px solid #c60}.pv{display:block;padding:0 3px}li.nacc{color:#777}.d-allow{background:#cfc}.d-deny{background:#fcc}.d-unavailable{background:#eee}
.warning{background:#fe9;border:2px solid #c90;padding:.5em 1em;font-weight:bold}.note{color:#555}pre{max-width:60em;overflow:auto;font-size:11px}
</style></head><body>
<h1>xdpolicy certify <span class="st">${e(status)}</span></h1>
<p>${s.total} cases: ${s.pass} passed, ${s.fail} failed, ${s.warn} warnings (SHOULD, counted only with --strict), ${s.skip} skipped, ${s.error} errors, ${s.untested} not tested — ${report.durationMs} ms (budget ${e(formatDuration(report.budget.ms))}), started ${e(report.startedAt)}${report.strict ? ', strict' : ''}.</p>
${report.warnings.map((w) => `<p class="warning"><b>WARNING:</b> ${e(w)}</p>`).join('\n')}
${diagnoses ? `<h2>Diagnosis</h2>\n<ol>${diagnoses}</ol>` : ''}
<ul>${targets}</ul>
<h2>Cases</h2>
<table class="cases"><tr><th>verdict</th><th>case</th><th>level</th><th>client / target</th><th>requirement, expected, actual</th><th>ms</th></tr>
${rows}
</table>
<h2>Decisions (origin × port or path)</h2>
<p>What each client decides under the served policy, by <code>decide</code> over the recorded world (hover a cell for the reason).</p>
${matrices || '<p>No matrix (no target answered).</p>'}
</body></html>
`;
}
