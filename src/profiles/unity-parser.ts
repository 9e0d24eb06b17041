/**
 * How the Unity web player reads a policy text: its fork of Moonlight's parser,
 * `FlashCrossDomainPolicyParser.cs` (namespace `MonoForks.System.Windows.Browser.Net`; the copy the
 * code index holds, its repository path UNVERIFIED; lines counted in that copy), and Mono's
 * `SocketPolicyClient.GetPolicyStreamForIP` as Unity built it (zioshin/Unity-mono
 * `mcs/class/System/System.Net.Sockets/SocketPolicyClient.cs` @ a5c709f2). Our own functions,
 * written from what that code does (spec/flash/9-divergences.md, rows UN-*).
 *
 * The XML reader itself (Mono's table-driven `MiniParser`) is not modelled: the reference's reader
 * reads the text, and what `MiniParser` accepts beyond it is UNVERIFIED (spec/profiles.md).
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import type { FlashGrammarRead, FlashPolicyContext, FramedAnswer } from '../flash/effective.js';
import type { FlashAllowAccessFrom, FlashPolicy, FlashSiteControl, MetaPolicy, PortRange, PortSpec } from '../flash/model.js';
import { readFlashXml, sourceOf, type FlashParseOptions, type ToPortsReader } from '../flash/parse.js';
import { MAX_PORT } from '../flash/ports.js';
import type { XmlDocument, XmlElement } from '../xml/document.js';

/** The fork's parser, for sources. */
export const UNITY_PARSER = "Unity's MonoForks FlashCrossDomainPolicyParser.cs (index copy, path UNVERIFIED)";
/** Mono's socket policy client as Unity built it. */
export const UNITY_SOCKET_CLIENT = 'zioshin/Unity-mono mcs/class/System/System.Net.Sockets/SocketPolicyClient.cs';

const INT32_TEXT = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)[\t\n\v\f\r ]*$/;

/**
 * `Int32.TryParse(s)` (NumberStyles.Integer): optional white space around an optional sign and ASCII
 * digits; `null` when that is not the text or the value leaves 32 bits. The white space is the set
 * .NET documents for NumberStyles (U+0009–U+000D, U+0020); what Mono's parser counted as white
 * space beyond it is UNVERIFIED.
 */
export function int32TryParse(text: string): number | null {
  const m = INT32_TEXT.exec(text);
  if (m === null) return null;
  const digits = m[2]!.replace(/^0+(?=[0-9])/, '');
  if (digits.length > 10) return null;
  const value = Number(digits);
  const signed = m[1] === '-' ? -value : value;
  if (signed < -2147483648 || signed > 2147483647) return null;
  return signed === 0 ? 0 : signed;
}

/**
 * Ranges longer than this are taken to exhaust memory: the parser adds every port of a range to an
 * ArrayList of boxed integers one by one. Where the player ran out is UNVERIFIED; a range with its
 * end before its start loops through 2³² − (start − end) values and certainly does.
 */
export const UNITY_RANGE_LIMIT = 1 << 24;

/**
 * `to-ports` as the fork's `Handler.OnStartElement` reads it (parser lines 191–221): exactly `*`
 * is every port; otherwise the value is split at commas, an item with a dash must split into exactly
 * two `Int32.TryParse` numbers (else it is skipped) and adds `start … end − 1` — the loop is
 * `for (i = start; i != end; i++)`, so the end is left out and `5-5` adds nothing — and any other
 * item one `Int32.TryParse` number; an item that does not parse is skipped. Ports outside 1–65535
 * never equal a port asked for, so they are left out. `null`: a range the loop cannot finish (its
 * end before its start, or longer than {@link UNITY_RANGE_LIMIT}), which makes the whole file no
 * policy.
 */
export function unityToPorts(value: string): PortSpec | null {
  if (value === '*') return { any: true };
  const ranges: PortRange[] = [];
  for (const item of value.split(',')) {
    if (item.includes('-')) {
      const parts = item.split('-');
      if (parts.length !== 2) continue;
      const start = int32TryParse(parts[0]!);
      const end = int32TryParse(parts[1]!);
      if (start === null || end === null) continue;
      if (end < start || end - start > UNITY_RANGE_LIMIT) return null;
      const from = Math.max(start, 1);
      const to = Math.min(end - 1, MAX_PORT);
      if (from <= to) ranges.push({ from, to });
    } else {
      const port = int32TryParse(item);
      if (port !== null && port >= 1 && port <= MAX_PORT) ranges.push({ from: port, to: port });
    }
  }
  return { any: false, ranges };
}

/** `site-control` as `IsAllowed` reads the stored value: none or empty is `all`; `all`, `master-only`, `by-ftp-filename` stand; anything else refuses every load (read as `none`). */
function siteControlValue(value: string | undefined): MetaPolicy {
  if (value === undefined || value === '') return 'all';
  return value === 'all' || value === 'master-only' || value === 'by-ftp-filename' ? value : 'none';
}

function attribute(el: XmlElement, name: string): string | undefined {
  for (const a of el.attributes) if (a.name === name) return a.value;
  return undefined;
}

/**
 * The fork's `Handler` (parser lines 154–260; `OnStartElement` 168–249) over a document: the root must be
 * `cross-domain-policy`; of its direct children — and of any `cross-domain-policy` nested in it,
 * since the Handler tests only the parent's name (lines 177–240) — `site-control` stores its
 * `permitted-cross-domain-policies` (the last one read wins), `allow-access-from` its `domain`
 * (missing: kept as empty, which no check passes), `secure` and `to-ports`,
 * `allow-http-request-headers-from` its domain, secure and headers, and every other element is
 * skipped; an element inside any of them throws ("Invalid element"), as does a `secure` other than
 * `true` or `false` (`ReadBooleanAttribute`, lines 88–100) or a `to-ports` range the loop cannot
 * finish: then the whole file is no policy. A socket rule without `to-ports` keeps `ToPorts` null,
 * which `IsSocketConnectionAllowed` never tests (FlashCrossDomainPolicy.cs lines 148–161): it grants
 * every port, read here as `*`.
 */
export function unityGrammar(doc: XmlDocument, context: FlashPolicyContext, diagnostics: Diagnostic[], toPorts: ToPortsReader): FlashGrammarRead {
  const socket = context.kind === 'socket';
  const reject = (el: XmlElement, why: string, requirement: RequirementId): FlashGrammarRead => {
    diagnostics.push({ severity: 'error', code: 'unity-parser-throws', message: `Unity's parser throws at <${el.name}> (line ${el.location.line}): ${why}; the file is no policy.`, line: el.location.line, column: el.location.column, requirement });
    return { policy: null, stoppedAt: null };
  };
  const root = doc.root;
  if (root.name !== 'cross-domain-policy') return reject(root, 'the root element is not cross-domain-policy', 'FLASH-XML-3');
  const policy: FlashPolicy = { format: 'flash', siteControl: [], allowAccessFrom: [], allowHttpRequestHeadersFrom: [], allowAccessFromIdentity: [] };
  let siteControl: FlashSiteControl | null = null;
  // The Handler tests only the parent's name (`current == "cross-domain-policy"`, parser lines
  // 177–240): the children of a cross-domain-policy element nested in one are read as the root's.
  // Read in document order (the last site-control read wins); `null` once the parser has thrown.
  const readChildren = (parent: XmlElement): FlashGrammarRead | null => {
    for (const node of parent.children) {
      if (node.kind !== 'element') continue;
      if (node.name === 'allow-access-from' || node.name === 'allow-http-request-headers-from') {
        const secure = attribute(node, 'secure');
        if (secure !== undefined && secure !== 'true' && secure !== 'false') return reject(node, `secure="${secure}" is neither true nor false (ReadBooleanAttribute)`, 'FLASH-GRAM-8');
        const domain = attribute(node, 'domain') ?? '';
        const secureValue = secure === undefined ? null : secure === 'true';
        if (node.name === 'allow-access-from') {
          const written = attribute(node, 'to-ports');
          let ports: PortSpec | null = null;
          if (written !== undefined) {
            ports = toPorts(written, diagnostics, node.location);
            if (ports === null) return reject(node, `to-ports="${written}" has a range whose loop never ends before memory does`, 'FLASH-PORT-4');
          } else if (socket) {
            ports = { any: true };
            diagnostics.push({ severity: 'info', code: 'unity-every-port', message: `A socket rule without to-ports (line ${node.location.line}): Unity never tests its ports, so it grants every port.`, line: node.location.line, column: node.location.column, requirement: 'FLASH-GRAM-7' });
          }
          const rule: FlashAllowAccessFrom = { domain, toPorts: ports, secure: secureValue, source: sourceOf(node) };
          policy.allowAccessFrom.push(rule);
        } else {
          const headers = (attribute(node, 'headers') ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');
          policy.allowHttpRequestHeadersFrom.push({ domain, headers, secure: secureValue, source: sourceOf(node) });
        }
      } else if (node.name === 'site-control') {
        siteControl = { permittedCrossDomainPolicies: siteControlValue(attribute(node, 'permitted-cross-domain-policies')), source: sourceOf(node) };
      } else if (node.name === 'cross-domain-policy') {
        diagnostics.push({ severity: 'warning', code: 'unity-nested-root', message: `A cross-domain-policy inside another (line ${node.location.line}): Unity's parser reads its children as the root's.`, line: node.location.line, column: node.location.column, requirement: 'FLASH-GRAM-2' });
        const thrown = readChildren(node);
        if (thrown !== null) return thrown;
        continue;
      }
      for (const child of node.children) {
        if (child.kind === 'element') return reject(child, `an element inside <${node.name}> ("Invalid element")`, 'FLASH-GRAM-3');
      }
    }
    return null;
  };
  const thrown = readChildren(root);
  if (thrown !== null) return thrown;
  if (siteControl !== null) policy.siteControl.push(siteControl);
  return { policy, stoppedAt: null };
}

/**
 * `FromStream`'s `StripTrailing0` (parser lines 115–152): the text up to the first NUL is the
 * policy, in URL responses too; an empty stream throws (no policy). The rest is read by the
 * reference's XML reader (MiniParser UNVERIFIED).
 */
export function unityXmlDocument(text: string, diagnostics: Diagnostic[], options: FlashParseOptions): XmlDocument | null {
  const nul = text.indexOf('\0');
  const cut = nul === -1 ? text : text.slice(0, nul);
  if (cut === '') {
    diagnostics.push({ severity: 'error', code: 'unity-empty-stream', message: "Nothing before the first NUL: Unity's FromStream throws on an empty stream, so there is no policy.", line: 1, column: 1, requirement: 'FLASH-XML-1' });
    return null;
  }
  return readFlashXml(cut, diagnostics, options);
}

/** The receive buffer of `GetPolicyStreamForIP`: one `Receive` of at most this many bytes is the whole answer. */
export const UNITY_RECEIVE_BYTES = 5000;

/**
 * A socket answer as `GetPolicyStreamForIP` reads it (SocketPolicyClient.cs lines 29, 63, 81): one
 * `Receive` into a 5,000-byte buffer — whatever arrived, NUL or not, the server closing or not — then
 * `StripTrailing0` cuts it at the first NUL. Bytes beyond 5,000 are never read. Nothing read is an
 * empty stream: no policy.
 */
export function unityFraming(answer: string): FramedAnswer {
  let text = answer;
  const diagnostics: Diagnostic[] = [];
  // A UTF-16 unit is at most 3 UTF-8 bytes: only a long answer can pass the buffer.
  if (answer.length * 3 > UNITY_RECEIVE_BYTES) {
    const bytes = new TextEncoder().encode(answer);
    if (bytes.length > UNITY_RECEIVE_BYTES) {
      text = new TextDecoder().decode(bytes.subarray(0, UNITY_RECEIVE_BYTES));
      diagnostics.push({ severity: 'warning', code: 'unity-receive-buffer', message: `The answer is ${bytes.length} bytes: Unity reads one Receive of ${UNITY_RECEIVE_BYTES} bytes and never the rest.`, line: 1, column: 1, requirement: 'FLASH-SOCK-2' });
    }
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) text = text.slice(0, nul);
  if (text === '') return { text: null, framing: null, answered: 'empty', why: "nothing before the first NUL in Unity's one read: FromStream throws on an empty stream, no policy", requirements: ['FLASH-SOCK-2'] };
  return { text, framing: null, how: `a policy: Unity's one read (up to ${UNITY_RECEIVE_BYTES} bytes), cut at the first NUL`, diagnostics };
}
