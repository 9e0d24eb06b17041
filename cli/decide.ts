/**
 * `xdpolicy decide` — may content from an origin reach a target, under a world of policies?
 *
 * ```
 * xdpolicy decide --client NAME|all --origin URL --target URL (--world FILE | --policy FILE)
 *                 [--load-policy URL]... [--header NAME]... [--client-config FILE] [--mms-cfg FILE] [--json]
 * ```
 * Exit status: 0 allow, 1 deny, 2 usage error or unreadable input (the message names the problem).
 * Other tools (certify, the docs) depend on this contract: change it only with them.
 *
 * @module
 */
import { resolve } from 'node:path';
import { createDecider } from '../src/decision/decide.js';
import { profileFamily } from '../src/profiles/index.js';
import { maxOf } from '../src/collections.js';
import { masterPolicyWorld } from '../src/decision/placement.js';
import { readClientConfig } from '../src/decision/client-config.js';
import { readRequest } from '../src/decision/request.js';
import { PROFILE_NAMES as CLIENTS, type ClientProfile, type Decision, type ParsedClientConfig, type ParsedRequest, type ProfileName } from '../src/decision/types.js';
import type { Diagnostic } from '../src/diagnostics.js';
import { parseMmsCfg } from '../src/flash/mms-cfg.js';
import { parseWorld } from '../src/world/parse.js';
import type { WorldSnapshot } from '../src/world/world.js';
import { UsageError, type CliIO } from './io.js';
import { choiceOption, invalidValue, missingOption, parseOptions, type OptionSpecs } from './options.js';
import { CONFIG_FILE_LIMIT, POLICY_FILE_LIMIT, readBoundedFile, WORLD_FILE_LIMIT, type InputLimit, type ReadResult } from './read.js';

/** The help text of `xdpolicy decide`. */
export const DECIDE_USAGE = `usage: xdpolicy decide --client NAME|all --origin URL --target URL (--world FILE | --policy FILE)
                       [--load-policy URL]... [--header NAME]... [--client-config FILE] [--mms-cfg FILE] [--json]

Decides whether content loaded from --origin may reach --target, following the client's
procedure over a world of policy files, and explains the decision.

  --client NAME       client profile: flash (Flash Player 10+, strict sockets) or
                      silverlight (Silverlight 4/5 in the browser; sockets only to ports 4502-4534),
                      the references; or a client modelled on one of them: flash9, lightspark,
                      unity, swfdec, gnash (Flash), moonlight (Silverlight) — spec/profiles.md. 'all': every profile,
                      one line each (verdict; the reason where it differs from its reference);
                      with --json a map from profile to decision; exit 0 only if all allow
  --origin URL        URL of the requesting SWF or XAP, e.g. http://a.com/m.swf, http://a.com/app.xap
  --target URL        socket://host:port for a socket connection, or an http(s):// URL for a data load
  --world FILE        JSON object keyed by policy location (xmlsocket://host:port or
                      http(s)://host[:port]/path); each value is {"body": string, "status"?: number,
                      "contentType"?: string, "headers"?: {name: value}, "error"?: "timeout"|"refused"|"reset",
                      "end"?: "close"|"timeout"|"reset"|"limit"}; "end" says how the answer in body
                      ended (absent: close); without a NUL, only close ends a socket answer
  --policy FILE       shorthand: a world in which only the target's master location serves FILE
                      (xmlsocket://host:843 for sockets, NUL-terminated; /crossdomain.xml at the
                      target's scheme, host and port for URLs, as text/x-cross-domain-policy);
                      silverlight: xmlsocket://host:943 for sockets (no NUL), /clientaccesspolicy.xml
                      at the target's scheme, host and port for URLs, as text/xml
  --load-policy URL   a Security.loadPolicyFile(URL) call made before the request (repeatable;
                      an xmlsocket://, http:// or https:// policy location, else exit 2)
  --header NAME       a request header the content wants to send (repeatable)
  --client-config FILE
                      the client configuration, decided before any policy (spec/client-config.md):
                      {"deny": {"ports": [25, "6000-6063"], "addresses": ["10.0.0.0/8"]},
                       "flash": {"disableSockets": true, "enableSocketsTo": ["host"]},
                       "silverlight": {"elevatedTrust": true}}, every part optional
  --mms-cfg FILE      Flash Player's mms.cfg (name = value lines): its DisableSockets and
                      EnableSocketsTo are the configuration's "flash" part; other settings are
                      reported on stderr and not applied
  --json              print the decision and its trace as JSON
  -h, --help          show this help

Exit status: 0 allow, 1 deny, 2 usage error or unreadable input.
`;

/** The parsed command line of `decide`. */
export interface DecideOptions {
  /** A profile, or `all` for every profile. */
  client: ProfileName | 'all';
  origin: string;
  target: string;
  world: string | null;
  policy: string | null;
  loadPolicy: string[];
  headers: string[];
  json: boolean;
  /** `--client-config FILE`, if given. */
  clientConfig: string | null;
  /** `--mms-cfg FILE`, if given. */
  mmsCfg: string | null;
  /** The request as the one request reader read it (DECIDE-1), without the client configuration (read from its files by {@link loadClientConfig}). */
  request: ParsedRequest;
}

/** The options of `decide` (every one is in the usage line). */
export const DECIDE_OPTIONS = {
  client: { type: 'string' },
  origin: { type: 'string' },
  target: { type: 'string' },
  world: { type: 'string' },
  policy: { type: 'string' },
  'load-policy': { type: 'string', multiple: true },
  header: { type: 'string', multiple: true },
  'client-config': { type: 'string' },
  'mms-cfg': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpecs;

/** Parses `decide`'s arguments; throws {@link UsageError} naming the problem. `null` means `--help`. */
export function parseDecideArgs(args: readonly string[]): DecideOptions | null {
  const { values, help } = parseOptions(args, DECIDE_OPTIONS, { usage: DECIDE_USAGE });
  if (help) return null;
  const loadPolicy = values['load-policy'] ?? [];
  const headers = values.header ?? [];
  const json = values.json ?? false;
  if (values.client === undefined) throw missingOption('--client', 'NAME', `one of ${CLIENTS.join(', ')}, or all`);
  const client = choiceOption('--client', values.client, [...CLIENTS, 'all'] as const) as ProfileName | 'all';
  const origin = values.origin;
  if (origin === undefined) throw missingOption('--origin', 'URL');
  const target = values.target;
  if (target === undefined) throw missingOption('--target', 'URL');
  const world = values.world ?? null;
  const policy = values.policy ?? null;
  if (world === null && policy === null) throw new UsageError('one of --world FILE or --policy FILE is required');
  if (world !== null && policy !== null) throw new UsageError('--world and --policy cannot be used together');
  for (const h of headers) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h)) throw invalidValue('--header', `'${h}' is not an HTTP header name`);
  }
  // With 'all' the request is read once as the Flash reference reads it; each profile reads it again when deciding.
  const read = readRequest({ client: client === 'all' ? 'flash' : client, origin, target, loadPolicy, headers });
  if (read.request === null) throw invalidValue(read.failed === 'target' ? '--target' : '--origin', read.diagnostics[0]?.message ?? 'cannot be read');
  // A loadPolicyFile URL the client could not read is a mistake on the command line: the core
  // records it and carries on (as the client would), but a decision made without it would answer
  // another question than the one asked.
  for (const l of read.request.loadPolicy) {
    if (l.location === null) throw invalidValue(`--load-policy ${l.text}`, l.diagnostics[0]?.message ?? 'not a policy file URL');
  }
  return { client, origin, target, world, policy, loadPolicy, headers, json, clientConfig: values['client-config'] ?? null, mmsCfg: values['mms-cfg'] ?? null, request: read.request };
}

async function readFile(io: CliIO, option: string, file: string, limit: InputLimit): Promise<Extract<ReadResult, { ok: true }>> {
  const read = await readBoundedFile(resolve(io.cwd, file), limit);
  if (!read.ok) throw new UsageError(`${option} ${file}: cannot read the file: ${read.reason}`);
  return read;
}

async function readInput(io: CliIO, option: string, file: string, limit: InputLimit): Promise<string> {
  return (await readFile(io, option, file, limit)).text;
}

const messages = (diagnostics: readonly Diagnostic[]): string => diagnostics.map((d) => d.message).join('\n  ');

// CLIENT-1, CLIENT-7
/**
 * Reads the client configuration the options name (`--client-config` JSON, `--mms-cfg` for its
 * `flash` part) with the core's readers; `null` when neither is given. Warnings of the mms.cfg
 * reader (settings not applied) go to stderr; errors throw {@link UsageError} naming the file and
 * the setting or line.
 */
export async function loadClientConfig(options: DecideOptions, io: CliIO): Promise<ParsedClientConfig | null> {
  if (options.clientConfig === null && options.mmsCfg === null) return null;
  let input: unknown = {};
  if (options.clientConfig !== null) {
    const text = await readInput(io, '--client-config', options.clientConfig, CONFIG_FILE_LIMIT);
    try {
      input = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`--client-config ${options.clientConfig}: not valid JSON (${(err as Error).message})`);
    }
  }
  if (options.mmsCfg !== null) {
    // A configuration that is not an object is left as it is: the reader below says what is wrong.
    const object = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : null;
    if (object?.flash !== undefined) throw new UsageError(`--client-config ${options.clientConfig} has a "flash" part and --mms-cfg ${options.mmsCfg} gives the Flash settings too: give one of them`);
    const read = await readFile(io, '--mms-cfg', options.mmsCfg, CONFIG_FILE_LIMIT);
    const { flash, diagnostics } = parseMmsCfg(read.bytes);
    if (flash === null) throw new UsageError(`--mms-cfg ${options.mmsCfg}: not a valid mms.cfg:\n  ${messages(diagnostics.filter((d) => d.severity === 'error'))}`);
    for (const d of diagnostics) io.stderr.write(`--mms-cfg ${options.mmsCfg}: ${d.severity}: ${d.message}\n`);
    if (object !== null) input = { ...object, flash };
  }
  const diagnostics: Diagnostic[] = [];
  const config = readClientConfig(input, diagnostics);
  // The mms.cfg part was read above, so an error here names a setting of --client-config.
  if (config === null) throw new UsageError(`--client-config ${options.clientConfig}: not a valid client configuration:\n  ${messages(diagnostics)}`);
  return config;
}

/** Loads the world the options name (`--world` or `--policy`); throws {@link UsageError} on bad input. */
export async function loadDecideWorld(options: DecideOptions, io: CliIO, family: ClientProfile = options.request.family): Promise<WorldSnapshot> {
  if (options.world !== null) {
    const text = await readInput(io, '--world', options.world, WORLD_FILE_LIMIT);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`--world ${options.world}: not valid JSON (${(err as Error).message})`);
    }
    const { world, diagnostics } = parseWorld(json);
    if (world === null) throw new UsageError(`--world ${options.world}: not a valid world:\n  ${diagnostics.map((d) => d.message).join('\n  ')}`);
    return world;
  }
  const text = await readInput(io, '--policy', options.policy!, POLICY_FILE_LIMIT);
  return masterPolicyWorld(family, options.request.target, text);
}

/** A short explanation for people: the verdict, which location decided, which rule, which requirement. */
export function formatDecision(d: Decision): string {
  const lines = [`${d.decision.toUpperCase()}: ${d.origin} -> ${d.target} (client ${d.client})`, `  why:         ${d.reason}`];
  if (d.decidedBy.location) lines.push(`  decided by:  ${d.decidedBy.location}`);
  const settings = d.trace.filter((e) => e.setting !== undefined);
  if (settings.length) lines.push(`  setting:     ${settings.map((e) => `${e.setting} (${e.step})`).join(', ')}`);
  const r = d.decidedBy.rule;
  if (r) {
    const attrs = Object.entries(r.attributes).map(([k, v]) => `${k}="${v}"`).join(' ');
    lines.push(`  rule:        <${r.element}${attrs ? ` ${attrs}` : ''}/>${r.line > 0 ? ` at line ${r.line}, column ${r.column}` : ''}`);
  }
  if (d.decidedBy.requirements.length) lines.push(`  requirement: ${[...new Set(d.decidedBy.requirements)].join(', ')}`);
  const consulted = d.trace.filter((e) => e.answered !== undefined);
  if (consulted.length) {
    lines.push('  consulted:');
    for (const e of consulted) lines.push(`    ${e.location} -> ${e.answered}${e.used ? ' (used)' : ' (not used)'}: ${e.why}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The `--client all` text: one line per profile, its verdict, and its reason where it differs from its family's reference. */
export function formatProfileDecisions(decisions: ReadonlyMap<ProfileName, Decision>): string {
  const width = maxOf([...decisions.keys()].map((n) => n.length), 0);
  const lines: string[] = [];
  for (const [name, d] of decisions) {
    const reference = decisions.get(profileFamily(name));
    const isReference = reference === undefined || reference === d;
    let line = `${name.padEnd(width)}  ${d.decision.toUpperCase().padEnd(5)}`;
    if (isReference) line += `  ${d.reason}`;
    else if (reference.decision !== d.decision) line += `  (${reference.client} ${reference.decision}s) ${d.reason}`;
    else if (reference.reason !== d.reason) line += `  (same verdict, other reason) ${d.reason}`;
    lines.push(line.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/** Runs `xdpolicy decide`; resolves to 0 (allow), 1 (deny) or 2 (usage error, unreadable input). With `--client all`: 0 when every profile allows, else 1. */
export async function runDecide(args: string[], io: CliIO): Promise<number> {
  const options = parseDecideArgs(args);
  if (options === null) {
    io.stdout.write(DECIDE_USAGE);
    return 0;
  }
  const clientConfig = await loadClientConfig(options, io);
  if (options.client === 'all') {
    // One world per family (with --policy each family finds the file where it looks); one decider each.
    const deciders = new Map<ClientProfile, ReturnType<typeof createDecider>>();
    const decisions = new Map<ProfileName, Decision>();
    for (const name of CLIENTS) {
      const family = profileFamily(name);
      let decider = deciders.get(family);
      if (decider === undefined) deciders.set(family, (decider = createDecider(await loadDecideWorld(options, io, family))));
      const asked = { client: name, origin: options.origin, target: options.target, loadPolicy: options.loadPolicy, headers: options.headers };
      const read = readRequest(asked);
      decisions.set(name, read.request === null ? decider.decide(asked) : decider.decideParsed(clientConfig === null ? read.request : { ...read.request, clientConfig }));
    }
    io.stdout.write(options.json ? `${JSON.stringify(Object.fromEntries(decisions), null, 2)}\n` : formatProfileDecisions(decisions));
    return [...decisions.values()].every((d) => d.decision === 'allow') ? 0 : 1;
  }
  const world = await loadDecideWorld(options, io);
  const request = clientConfig === null ? options.request : { ...options.request, clientConfig };
  const decision = createDecider(world).decideParsed(request);
  io.stdout.write(options.json ? `${JSON.stringify(decision, null, 2)}\n` : formatDecision(decision));
  return decision.decision === 'allow' ? 0 : 1;
}
