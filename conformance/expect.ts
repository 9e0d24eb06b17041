/**
 * The operator's expectations (`certify --expect FILE`): which origins must be allowed or denied
 * to which ports or URLs, per client. certify decides each one with `decide` over what the target
 * served and fails where the served policy disagrees.
 *
 * The format (JSON):
 *
 * ```json
 * {
 *   "accept": ["LINT-DOMAIN-WILDCARD"],
 *   "rules": [
 *     { "client": "flash", "origins": ["http://game.example/app.swf"], "ports": [4502, "5000-5010"], "expect": "allow" },
 *     { "client": "all", "origins": ["http://evil.example/x.swf"], "ports": ["4502-4534"], "expect": "deny" },
 *     { "client": "flash", "origins": ["http://game.example/app.swf"], "urls": ["/api/data.xml"], "expect": "allow" }
 *   ],
 *   "matrix": { "origins": ["http://game.example/app.swf"], "ports": [843, 4502, 8080] }
 * }
 * ```
 *
 * - `ports` are checked against every socket target of the run (`socket://<its host>:<port>`);
 *   `urls` against every HTTP target (relative URLs resolve against the target's URL).
 * - `client` is `all` (default: the reference of each family a target is certified for), a family
 *   (`flash`, `silverlight`) or any client profile (`lightspark`, `flash9`, `moonlight`, …: spec/profiles.md),
 *   decided under that profile wherever its family is certified.
 * - `accept` lists lint finding IDs the operator accepts: they no longer fail the lint case. An ID
 *   the lint catalogue lacks is an error (a typo would otherwise accept nothing, silently).
 * - `matrix` replaces an axis of the decision matrix (HTML and JSON reports): `origins` (caller
 *   URLs, the rows), `ports` (socket targets' columns, numbers or ranges), `paths` (URL targets'
 *   columns). Without it, each axis is what the served policy and the rules name, plus a standard
 *   set (ports 80, 443, 843, 943, 1023, 1024, 4502, 4534, 8080; four origins, one hostile).
 *
 * @module
 */
import { PROFILE_NAMES, type ClientProfile, type ProfileName } from '../src/decision/types.js';
import { profileFamily } from '../src/profiles/index.js';
import { CHECK_IDS } from '../src/lint/catalogue.js';

/** One expectation rule. */
export interface ExpectationRule {
  client?: ProfileName | 'all';
  origins: string[];
  ports?: (number | string)[];
  urls?: string[];
  expect: 'allow' | 'deny';
  note?: string;
}

/** A parsed `--expect` file. */
export interface Expectations {
  accept: string[];
  rules: ExpectationRule[];
  matrix?: { origins?: string[]; ports?: (number | string)[]; paths?: string[] };
}

/** At most this many ports are expanded from one rule's ranges (keeps a run bounded). */
export const MAX_EXPANDED_PORTS = 2048;

/** Expands `[4502, "5000-5002"]` to port numbers; returns an error message on a bad entry. */
export function expandPorts(ports: (number | string)[]): number[] | { error: string } {
  const out: number[] = [];
  for (const p of ports) {
    const text = String(p).trim();
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
    if (!m) return { error: `'${text}' is not a port or a range A-B` };
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to > 65535 || from > to) return { error: `'${text}' is not a port range within 1-65535` };
    for (let q = from; q <= to; q++) {
      out.push(q);
      if (out.length > MAX_EXPANDED_PORTS) return { error: `more than ${MAX_EXPANDED_PORTS} ports` };
    }
  }
  return out;
}

/** Parses and checks an expectations document; never throws. */
export function parseExpectations(text: string): Expectations | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { error: `not valid JSON: ${(err as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'the top level must be an object with "rules"' };
  const doc = raw as Record<string, unknown>;
  const rules = doc['rules'] ?? [];
  if (!Array.isArray(rules)) return { error: '"rules" must be an array' };
  const accept = doc['accept'] ?? [];
  if (!Array.isArray(accept) || !accept.every((a) => typeof a === 'string')) return { error: '"accept" must be an array of finding IDs' };
  // An ID that names no check would accept nothing: a typo would leave the finding failing with
  // no hint why, or hide that a check was renamed.
  for (const [i, id] of (accept as string[]).entries()) {
    if (!(CHECK_IDS as readonly string[]).includes(id)) return { error: `accept[${i}]: '${id}' is not a finding ID of the lint catalogue (spec/lint.md)` };
  }
  for (const [i, r] of rules.entries()) {
    const where = `rules[${i}]`;
    if (typeof r !== 'object' || r === null) return { error: `${where} must be an object` };
    const rule = r as Record<string, unknown>;
    if (rule['expect'] !== 'allow' && rule['expect'] !== 'deny') return { error: `${where}.expect must be "allow" or "deny"` };
    if (rule['client'] !== undefined && !['all', ...PROFILE_NAMES].includes(rule['client'] as string)) return { error: `${where}.client must be all or a client profile (${PROFILE_NAMES.join(', ')})` };
    const origins = rule['origins'];
    if (!Array.isArray(origins) || origins.length === 0 || !origins.every((o) => typeof o === 'string')) return { error: `${where}.origins must be a non-empty array of URLs` };
    for (const o of origins as string[]) {
      try {
        new URL(o);
      } catch {
        return { error: `${where}.origins: '${o}' is not a URL (e.g. http://a.example/app.swf)` };
      }
    }
    if (rule['ports'] === undefined && rule['urls'] === undefined) return { error: `${where} needs "ports" or "urls"` };
    if (rule['ports'] !== undefined) {
      if (!Array.isArray(rule['ports'])) return { error: `${where}.ports must be an array` };
      const e = expandPorts(rule['ports'] as (number | string)[]);
      if ('error' in e) return { error: `${where}.ports: ${e.error}` };
    }
    if (rule['urls'] !== undefined && (!Array.isArray(rule['urls']) || !(rule['urls'] as unknown[]).every((u) => typeof u === 'string'))) {
      return { error: `${where}.urls must be an array of URLs or paths` };
    }
  }
  const result: Expectations = { accept: accept as string[], rules: rules as ExpectationRule[] };
  if (doc['matrix'] !== undefined) {
    const m = doc['matrix'];
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return { error: '"matrix" must be an object with "origins", "ports" or "paths"' };
    const matrix = m as Record<string, unknown>;
    const unknownKey = Object.keys(matrix).find((k) => !['origins', 'ports', 'paths'].includes(k));
    if (unknownKey !== undefined) return { error: `matrix.${unknownKey} is not a matrix axis (origins, ports, paths)` };
    const origins = matrix['origins'];
    if (origins !== undefined) {
      if (!Array.isArray(origins) || origins.length === 0 || !origins.every((o) => typeof o === 'string')) return { error: 'matrix.origins must be a non-empty array of URLs' };
      for (const o of origins as string[]) {
        try {
          new URL(o);
        } catch {
          return { error: `matrix.origins: '${o}' is not a URL (e.g. http://a.example/app.swf)` };
        }
      }
    }
    if (matrix['ports'] !== undefined) {
      if (!Array.isArray(matrix['ports']) || matrix['ports'].length === 0) return { error: 'matrix.ports must be a non-empty array of ports or ranges' };
      const e = expandPorts(matrix['ports'] as (number | string)[]);
      if ('error' in e) return { error: `matrix.ports: ${e.error}` };
    }
    const paths = matrix['paths'];
    if (paths !== undefined && (!Array.isArray(paths) || paths.length === 0 || !paths.every((x) => typeof x === 'string'))) return { error: 'matrix.paths must be a non-empty array of paths or URLs' };
    result.matrix = matrix as Expectations['matrix'] & object;
  }
  return result;
}

/** True when a rule applies to a target certified for `family`: `all`, or a profile of that family. */
export function ruleAppliesTo(rule: ExpectationRule, family: ClientProfile): boolean {
  return rule.client === undefined || rule.client === 'all' || profileFamily(rule.client) === family;
}

/** The profile a rule is decided under on a target certified for `family`: the one it names, else the family's reference. */
export function ruleProfile(rule: ExpectationRule, family: ClientProfile): ProfileName {
  return rule.client === undefined || rule.client === 'all' ? family : rule.client;
}
