/**
 * The reports of `xdpolicy conform`: text (the terminal), JSON, JUnit XML and a self-contained HTML
 * page, all from one {@link ConformReport}.
 *
 * @module
 */
import { escapeXml } from '../report.js';
import type { ConformReport, ConformStatus, ProfileAgreement } from './conform.js';

/** The one-word verdict of a run. */
export function conformVerdict(r: ConformReport): string {
  return r.exitCode === 0 ? 'CONFORMING' : r.exitCode === 1 ? 'NOT CONFORMING' : 'NOT TESTED TO THE END';
}

/** "behaves like lightspark on 97.0 % (485 of 500 cases it decided)". */
export function agreementSentence(r: ConformReport): string {
  const best = r.agreement[0];
  if (best === undefined || best.compared === 0) return 'decided no case: no profile to compare with';
  const others = r.agreement.slice(1).filter((a) => a.compared > 0);
  const show = (a: ProfileAgreement): string => `${a.profile} ${a.percent.toFixed(1)} %`;
  return `behaves like ${best.profile} on ${best.percent.toFixed(1)} % (${best.agree} of the ${best.compared} cases it decided)${others.length ? `; then ${others.map(show).join(', ')}` : ''}`;
}

const counts = (c: Record<ConformStatus, number>): string => `${c.pass} pass, ${c.fail} fail, ${c.skip} skip, ${c.error} error${c.untested ? `, ${c.untested} untested` : ''}`;

/** The text report. */
export function conformTextReport(r: ConformReport): string {
  const s = r.summary;
  const out: string[] = [];
  out.push(`xdpolicy conform: ${r.impl}`);
  out.push(`  cases: ${r.cases}${r.filter ? ` (filter ${r.filter})` : ''}, ${s.total} cases with a ${r.profile} verdict`);
  out.push(`${conformVerdict(r)}: ${s.pass} agree with ${r.profile}, ${s.fail} disagree, ${s.skip} skipped, ${s.error} errors${s.untested ? `, ${s.untested} not answered` : ''} — ${(r.durationMs / 1000).toFixed(2)} s`);
  if (r.run.problem) out.push(`  the run ended early: ${r.run.problem}`);
  out.push(`Your implementation ${agreementSentence(r)}.`);
  out.push('');
  out.push('By requirement (cases: pass, fail, skip, error), by chapter of spec/:');
  for (const ch of r.chapters) {
    out.push(`  ${ch.chapter}${ch.spec ? ` — ${ch.spec}` : ''}: ${counts(ch)}`);
    for (const q of ch.requirements) {
      const mark = q.fail + q.error > 0 ? 'FAIL' : q.pass > 0 ? 'ok  ' : q.untested > 0 ? 'n/t ' : 'skip';
      out.push(`    ${mark} ${q.id.padEnd(14)} ${String(q.pass).padStart(3)} ${String(q.fail).padStart(3)} ${String(q.skip).padStart(3)} ${String(q.error).padStart(3)}  ${q.title}`);
    }
  }
  if (r.disagreements.length) {
    out.push('');
    out.push(`Disagreements (${r.disagreements.length}):`);
    for (const d of r.disagreements) {
      const q = d.request;
      out.push(`  ${d.id} [${d.requirements.join(', ')}]: ${d.note}`);
      out.push(`    request: ${q.origin} -> ${q.target}${q.loadPolicy.length ? ` loadPolicyFile(${q.loadPolicy.join(', ')})` : ''}${q.headers.length ? ` headers(${q.headers.join(', ')})` : ''}${q.method ? ` ${q.method}` : ''}`);
      out.push(`    ${r.profile}: ${d.expected}   yours: ${d.actual}`);
      out.push(`    ${r.profile}'s trace:`);
      for (const line of d.referenceTrace) out.push(`      ${line}`);
    }
  }
  const errors = r.results.filter((x) => x.status === 'error');
  if (errors.length) {
    out.push('');
    out.push(`Errors (${errors.length}):`);
    for (const e of errors) out.push(`  ${e.id}: ${e.detail}`);
  }
  const skips = new Map<string, number>();
  for (const x of r.results) if (x.status === 'skip') skips.set(x.detail ?? '', (skips.get(x.detail ?? '') ?? 0) + 1);
  if (skips.size) {
    out.push('');
    out.push(`Skipped (${s.skip}), by reason:`);
    for (const [why, n] of skips) out.push(`  ${String(n).padStart(4)} × ${why}`);
  }
  if (r.run.end !== 'complete' && r.run.stderrTail.trim()) {
    out.push('');
    out.push('The implementation\'s last words (stderr):');
    for (const line of r.run.stderrTail.trimEnd().split('\n').slice(-20)) out.push(`  | ${line}`);
  }
  out.push('');
  out.push(`Runner: ${r.timing.runnerMsPerCase.toFixed(3)} ms of its own per case; the implementation answered in ${r.timing.implMedianMs === null ? '—' : `${r.timing.implMedianMs.toFixed(3)} ms`} (median, from request to answer); budget ${r.timing.caseBudgetMs} ms a case (and ${r.timing.startupMs} ms for start-up until the first answer).`);
  return `${out.join('\n')}\n`;
}

/** The JSON report. */
export function conformJsonReport(r: ConformReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** JUnit XML: one test suite per chapter (of each case's first requirement), one test case per case. */
export function conformJunitReport(r: ConformReport): string {
  const e = escapeXml;
  const chapterOf = new Map<string, string>();
  for (const ch of r.chapters) for (const q of ch.requirements) chapterOf.set(q.id, ch.chapter);
  const suites = new Map<string, typeof r.results>();
  for (const x of r.results) {
    const name = chapterOf.get(x.requirements[0] ?? '') ?? 'other';
    suites.set(name, [...(suites.get(name) ?? []), x]);
  }
  const disagreement = new Map(r.disagreements.map((d) => [d.id, d]));
  const s = r.summary;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="xdpolicy conform (${e(r.profile)})" tests="${s.total}" failures="${s.fail}" errors="${s.error}" skipped="${s.skip + s.untested}" time="${(r.durationMs / 1000).toFixed(3)}">`];
  for (const [name, xs] of suites) {
    const n = (st: ConformStatus): number => xs.filter((x) => x.status === st).length;
    out.push(`  <testsuite name="${e(name)}" tests="${xs.length}" failures="${n('fail')}" errors="${n('error')}" skipped="${n('skip') + n('untested')}">`);
    for (const x of xs) {
      out.push(`    <testcase classname="${e(name)}" name="${e(`${x.id} [${x.requirements.join(', ')}]`)}" time="${((x.ms ?? 0) / 1000).toFixed(6)}">`);
      if (x.status === 'fail') {
        const d = disagreement.get(x.id);
        out.push(`      <failure message="${e(`expected ${x.expected}, got ${x.actual}`)}" type="disagreement">${e(`${d?.note ?? ''}\n${r.profile}'s trace:\n${(d?.referenceTrace ?? []).join('\n')}`)}</failure>`);
      } else if (x.status === 'error') out.push(`      <error message="${e(x.detail ?? '')}"/>`);
      else if (x.status === 'skip' || x.status === 'untested') out.push(`      <skipped message="${e(x.detail ?? '')}"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/** A self-contained HTML page. */
export function conformHtmlReport(r: ConformReport): string {
  const e = escapeXml;
  const s = r.summary;
  const chapters = r.chapters
    .map(
      (ch) =>
        `<h3>${e(ch.chapter)} <span class="note">${e(ch.spec)} — ${e(counts(ch))}</span></h3><table><tr><th>requirement</th><th>pass</th><th>fail</th><th>skip</th><th>error</th><th>failing cases</th></tr>` +
        ch.requirements.map((q) => `<tr class="${q.fail + q.error ? 'fail' : 'pass'}"><td><b>${e(q.id)}</b> ${e(q.title)}</td><td>${q.pass}</td><td>${q.fail}</td><td>${q.skip}</td><td>${q.error}</td><td>${q.failing.map((id) => `<a href="#${e(encodeURIComponent(id))}">${e(id)}</a>`).join('<br>')}</td></tr>`).join('') +
        '</table>',
    )
    .join('\n');
  const disagreements = r.disagreements
    .map((d) => `<li id="${e(encodeURIComponent(d.id))}"><code>${e(d.id)}</code> [${e(d.requirements.join(', '))}] ${e(d.note)}<br><code>${e(d.request.origin)} → ${e(d.request.target)}</code> — ${e(r.profile)}: <b>${d.expected}</b>, yours: <b>${d.actual}</b><pre>${e(d.referenceTrace.join('\n'))}</pre></li>`)
    .join('\n');
  const errors = r.results.filter((x) => x.status === 'error').map((x) => `<li id="${e(encodeURIComponent(x.id))}"><code>${e(x.id)}</code>: ${e(x.detail ?? '')}</li>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>xdpolicy conform — ${e(conformVerdict(r))}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}tr.fail td:first-child{background:#fdd}.note{color:#666;font-weight:normal;font-size:12px}pre{font-size:11px;background:#f6f6f6;padding:.5em}</style></head><body>
<h1>xdpolicy conform: ${e(conformVerdict(r))}</h1>
<p><code>${e(r.impl)}</code> on ${e(r.cases)}${r.filter ? ` (filter ${e(r.filter)})` : ''}: ${s.total} cases, ${s.pass} agree with ${e(r.profile)}, ${s.fail} disagree, ${s.skip} skipped, ${s.error} errors${s.untested ? `, ${s.untested} not answered` : ''}; ${(r.durationMs / 1000).toFixed(2)} s.</p>
${r.run.problem ? `<p><b>The run ended early:</b> ${e(r.run.problem)}</p>` : ''}
<p>Your implementation ${e(agreementSentence(r))}.</p>
<h2>By requirement</h2>
${chapters}
${disagreements ? `<h2>Disagreements</h2><ol>${disagreements}</ol>` : ''}
${errors ? `<h2>Errors</h2><ul>${errors}</ul>` : ''}
<p class="note">Runner: ${r.timing.runnerMsPerCase.toFixed(3)} ms of its own per case; implementation median ${r.timing.implMedianMs === null ? '—' : `${r.timing.implMedianMs.toFixed(3)} ms`}.</p>
</body></html>
`;
}
