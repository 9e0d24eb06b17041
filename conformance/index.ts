/**
 * `xdpolicy/conformance`: the certify harness as a library (Node.js only) — what
 * `xdpolicy certify` runs. Parse targets with {@link parseCertifyTarget}, run the cases with
 * {@link runCertification} and render the report in any of the CLI's formats:
 *
 * ```ts
 * const t = parseCertifyTarget('xmlsocket://127.0.0.1:10843');
 * if (!t.ok) throw new Error(t.reason);
 * const report = await runCertification({ targets: [t.value], options: defaultRunOptions(), analyzers: await loadAnalyzers() });
 * console.log(textReport(report), report.exitCode);
 * ```
 *
 * @module xdpolicy/conformance
 */
export { runCertification, allCases, mergeReports, exitCodeOf, summarize } from './run.js';
export type { RunInput, CertifyReport, PlannedTarget, MatrixReport, RunSummary, RunBudget } from './run.js';
export { diagnose, CAUSES } from './diagnose.js';
export type { Diagnosis, RootCause } from './diagnose.js';
export type { Phase } from './model.js';
export type { ServingMode, TargetBudget, PhaseBudget } from './phases.js';
export { parseCertifyTarget, clientFromPort, clientFromPath } from './target.js';
export type { Target, TargetResult } from './target.js';
export { defaultRunOptions, matchCasePattern, verdict } from './model.js';
export type { RunOptions, CaseDefinition, CaseContext, CaseResult, Verdict, VerdictStatus } from './model.js';
export { loadAnalyzers } from './analyze.js';
export type { Analyzers, ServeContext, PolicyValidity, LintFindingLike, PolicyAxes } from './analyze.js';
export { parseExpectations } from './expect.js';
export type { Expectations, ExpectationRule } from './expect.js';
export { textReport, jsonReport, junitReport, htmlReport, planText, progressLine, budgetText } from './report.js';
export { DELAYED_REQUEST_MS } from './probe.js';
export type { Prober, ProbeHooks } from './probe.js';
export type { ExchangeResult, ExchangeOptions, SendStep, EndReason } from './client.js';
export type { HttpFetchResult } from './http.js';
export type { ConsultedLocation, DecisionRow } from './world.js';
// The client conformance kit (`xdpolicy conform`, `xdpolicy adapter`; spec/conform.md).
export { runConform, selectCases, agreementOf, chaptersOf, referenceDecision, traceLines } from './kit/conform.js';
export type { ConformOptions, ConformReport, ConformCaseResult, ConformStatus, ChapterResult, RequirementResult, Disagreement, ProfileAgreement, StatusCounts } from './kit/conform.js';
export { runSession } from './kit/session.js';
export type { SessionOptions, SessionResult, SessionEnd, CaseOutcome } from './kit/session.js';
export { requestOf, protocolLine, readAnswer, splitCommand } from './kit/protocol.js';
export type { ProtocolRequest, ProtocolAnswer } from './kit/protocol.js';
export { buildVectors, corpusVerdict, readVectorFile, serializeVectors, defaultVectorsDir, defaultVectorsFile, VECTOR_FORMAT, VECTOR_FORMAT_VERSION, REFERENCE_PROFILES } from './kit/vectors.js';
export type { VectorFile, VectorCase, VectorRequirement, VectorProfile, ExcludedVector, UncheckedVerdict, SpecRequirementInfo, Verdict as VectorVerdict } from './kit/vectors.js';
export { answerLine, runAdapter, ADAPTER_PROFILES } from './kit/adapter.js';
export { conformTextReport, conformJsonReport, conformJunitReport, conformHtmlReport, agreementSentence, conformVerdict } from './kit/report.js';
