/**
 * The one decision builder both clients use: it collects the trace, remembers the obstacles met on
 * the way (policies found but ignored, or unable to grant) for the reason of a denial, and ends the
 * trace with `allow` or `deny`.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import type { Decision, ParsedEndpoints, ParsedRequest, ProfileName, TraceEntry, TraceRule } from './types.js';

/** Builds one decision: add steps, then {@link DecisionBuilder.allow} or a denial. */
export class DecisionBuilder {
  readonly trace: TraceEntry[] = [];
  /** Policies found that could not help, in the order met: the reason of a denial lists them. */
  private readonly obstacles: { why: string; requirements: RequirementId[] }[] = [];

  constructor(
    private readonly client: ProfileName | null,
    private readonly given: { origin: string; target: string },
    private readonly parsed: ParsedEndpoints | null,
  ) {}

  /** A builder for a request the reader read. */
  static for(request: ParsedRequest): DecisionBuilder {
    return new DecisionBuilder(request.client, request.given, { origin: request.origin, target: request.target });
  }

  add(entry: TraceEntry): void {
    this.trace.push(entry);
  }

  /** Adds a step that explains a denial: a policy found but ignored, or one that could not grant. */
  obstacle(entry: TraceEntry, requirements: RequirementId[] = entry.requirements): void {
    this.trace.push(entry);
    this.obstacles.push({ why: `${entry.location ? `${entry.location}: ` : ''}${entry.why}`, requirements });
  }

  /** Denies, explaining with the obstacles met on the way (their requirements join the decision's). */
  deny(reason: string, requirements: RequirementId[], location: string | null = null): Decision {
    if (this.obstacles.length === 0) return this.finish('deny', reason, location, null, requirements);
    const why = `${reason} (${this.obstacles.map((o) => o.why).join('; ')})`;
    const all = new Set(requirements);
    for (const o of this.obstacles) for (const r of o.requirements) all.add(r);
    return this.finish('deny', why, location, null, [...all]);
  }

  /** Denies with exactly this reason, whatever was met on the way. */
  denyBecause(reason: string, requirements: RequirementId[], location: string | null = null): Decision {
    return this.finish('deny', reason, location, null, requirements);
  }

  /** Allows, naming the location and rule that grant. */
  allow(reason: string, requirements: RequirementId[], location: string | null = null, rule: TraceRule | null = null): Decision {
    return this.finish('allow', reason, location, rule, requirements);
  }

  private finish(decision: 'allow' | 'deny', reason: string, location: string | null, rule: TraceRule | null, requirements: RequirementId[]): Decision {
    const last: TraceEntry = { step: decision, why: reason, requirements };
    if (location !== null) last.location = location;
    if (rule !== null) last.rule = rule;
    this.trace.push(last);
    return {
      decision,
      client: this.client,
      origin: this.given.origin,
      target: this.given.target,
      parsed: this.parsed,
      reason,
      decidedBy: { location, rule, requirements },
      trace: this.trace,
    };
  }
}

/** The rule as the trace names it: element, attributes as written, line and column (0 when unknown). */
export function traceRule(element: string, source: { location: { line: number; column: number }; raw: Readonly<Record<string, string>> } | undefined, fallback: Record<string, string> = {}): TraceRule {
  return {
    element,
    attributes: source ? { ...source.raw } : fallback,
    line: source?.location.line ?? 0,
    column: source?.location.column ?? 0,
  };
}

/** A rule as people read it: `<element a="1"/> (line 3, column 5)`. */
export function describeRule(rule: TraceRule): string {
  const attrs = Object.entries(rule.attributes)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  return `<${rule.element}${attrs ? ` ${attrs}` : ''}/>${rule.line > 0 ? ` (line ${rule.line}, column ${rule.column})` : ''}`;
}
