/**
 * Reading Flash Player's `mms.cfg` (CLIENT-7): the administrator's file of `name = value` lines,
 * into the Flash part of a client configuration (`DisableSockets`, `EnableSocketsTo`).
 *
 * Exact about the two settings that change a decision, lenient about the rest of a real file: every
 * other line is reported and none is applied. Failure follows the core's convention: `flash: null`
 * plus diagnostics, each naming its line and the rule.
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import { readConfigHost } from '../decision/client-config.js';
import type { ClientConfig } from '../decision/types.js';

/** Diagnostic codes of the mms.cfg reader. */
export const MMS_CFG_DIAGNOSTIC_CODES = ['not-utf8', 'not-a-setting', 'setting-name-case', 'invalid-value', 'duplicate-setting', 'invalid-host', 'not-modelled', 'not-read', 'no-effect'] as const;
/** One of {@link MMS_CFG_DIAGNOSTIC_CODES}. */
export type MmsCfgDiagnosticCode = (typeof MMS_CFG_DIAGNOSTIC_CODES)[number];

/** The Flash settings of a client configuration, in its JSON form. */
export type FlashClientSettings = NonNullable<ClientConfig['flash']>;

/** What {@link parseMmsCfg} returns: the Flash settings, or `null` when the file has errors; warnings either way. */
export interface MmsCfgResult {
  flash: FlashClientSettings | null;
  diagnostics: Diagnostic[];
}

/** The two settings the reference applies (CLIENT-5, CLIENT-6), spelled as the Admin Guide spells them. */
export const MMS_CFG_SETTINGS = ['DisableSockets', 'EnableSocketsTo'] as const;

// CLIENT-7
/**
 * mms.cfg settings that govern network access the reference does not model, and what they govern.
 * Names from the Flash Player Administration Guide; the allow-list settings (Flash Player 27 and
 * later) as third-party tooling spells them.
 */
export const MMS_CFG_UNMODELLED_NETWORK_SETTINGS: Readonly<Record<string, string>> = {
  DisableNetworkAndFilesystemInHostApp: 'it turns networking off inside the named host application, and the model has no host application',
  FileDownloadDisable: 'it governs FileReference downloads, which decide does not model',
  FileUploadDisable: 'it governs FileReference uploads, which decide does not model',
  FileDownloadEnabledDomain: 'it governs FileReference downloads, which decide does not model',
  FileUploadEnabledDomain: 'it governs FileReference uploads, which decide does not model',
  LegacyDomainMatching: 'it governs content for Flash Player 6 and earlier, outside the Flash Player 10 profile',
  EnableAllowList: "it restricts where Flash Player runs content (Flash Player 27 and later), whose rules could not be read",
  AllowListUrlPattern: "it restricts where Flash Player runs content (Flash Player 27 and later), whose rules could not be read",
  AllowListRootMovieOnly: "it restricts where Flash Player runs content (Flash Player 27 and later), whose rules could not be read",
};

function diag(diagnostics: Diagnostic[], severity: Diagnostic['severity'], code: MmsCfgDiagnosticCode, line: number, message: string, requirement: RequirementId = 'CLIENT-7', value?: string): void {
  const d: Diagnostic = { severity, code, message: `line ${line}: ${message}`, line, column: 1, requirement };
  if (value !== undefined) d.value = value;
  diagnostics.push(d);
}

/** The text of the file: UTF-8 with an optional byte order mark, or `null` (reported) when it is not. */
function decodeUtf8(input: string | Uint8Array, diagnostics: Diagnostic[]): string | null {
  let text: string;
  if (typeof input === 'string') {
    text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  } else {
    if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
      diag(diagnostics, 'error', 'not-utf8', 1, 'the file starts with a UTF-16 byte order mark; mms.cfg is a UTF-8 text file: save it as UTF-8');
      return null;
    }
    try {
      // ignoreBOM: false drops a leading UTF-8 byte order mark.
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
    } catch {
      diag(diagnostics, 'error', 'not-utf8', 1, 'the file is not UTF-8 text (mms.cfg is a UTF-8 text file)');
      return null;
    }
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split(/\r\n|\r|\n/).length;
    diag(diagnostics, 'error', 'not-utf8', line, 'the file holds a NUL character: it is not UTF-8 text (a UTF-16 file?); mms.cfg is a UTF-8 text file');
    return null;
  }
  return text;
}

// CLIENT-7
/**
 * Reads an mms.cfg (text, or the file's bytes) into the Flash settings of a client configuration:
 * `DisableSockets` (`0` or `1`, at most once) and `EnableSocketsTo` (a host, repeatable), matched
 * exactly. Empty lines and `#` lines are skipped; every other setting is a warning saying it is not
 * applied. Errors (a line that is not `name = value`, a modelled name in another case, a bad value,
 * a second `DisableSockets`, a host that cannot be read) give `flash: null`.
 */
export function parseMmsCfg(input: string | Uint8Array): MmsCfgResult {
  const diagnostics: Diagnostic[] = [];
  const text = decodeUtf8(input, diagnostics);
  if (text === null) return { flash: null, diagnostics };
  let disableSockets: { value: boolean; line: number } | null = null;
  const enableSocketsTo: { host: string; line: number }[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const eq = trimmed.indexOf('=');
    const name = eq < 0 ? '' : trimmed.slice(0, eq).replace(/[ \t]+$/, '');
    if (eq < 0 || name === '') {
      diag(diagnostics, 'error', 'not-a-setting', line, `${JSON.stringify(trimmed)} is not a setting: mms.cfg holds one "name = value" per line`, 'CLIENT-7', trimmed);
      return;
    }
    const value = trimmed.slice(eq + 1).replace(/^[ \t]+/, '');
    const modelled = MMS_CFG_SETTINGS.find((s) => s.toLowerCase() === name.toLowerCase());
    if (modelled !== undefined && modelled !== name) {
      diag(diagnostics, 'error', 'setting-name-case', line, `${name}: the setting is spelled ${modelled}; how Flash Player reads other spellings is not documented, so this one is not guessed at`, 'CLIENT-7', name);
      return;
    }
    if (name === 'DisableSockets') {
      if (value !== '0' && value !== '1') {
        diag(diagnostics, 'error', 'invalid-value', line, `DisableSockets = ${value}: the value must be 0 (sockets enabled) or 1 (sockets disabled)`, 'CLIENT-5', value);
      } else if (disableSockets !== null) {
        diag(diagnostics, 'error', 'duplicate-setting', line, `DisableSockets is set again (first on line ${disableSockets.line}); which one Flash Player uses is not documented`, 'CLIENT-7', value);
      } else {
        disableSockets = { value: value === '1', line };
      }
      return;
    }
    if (name === 'EnableSocketsTo') {
      const why: Diagnostic[] = [];
      const host = value === '' ? null : readConfigHost(value, why, 'EnableSocketsTo');
      if (host === null) diag(diagnostics, 'error', 'invalid-host', line, why[0]?.message ?? 'EnableSocketsTo needs a host name or an IP address', 'CLIENT-6', value);
      else enableSocketsTo.push({ host, line });
      return;
    }
    const unmodelled = MMS_CFG_UNMODELLED_NETWORK_SETTINGS[name];
    if (unmodelled !== undefined) {
      diag(diagnostics, 'warning', 'not-modelled', line, `${name} is not applied: ${unmodelled}; decisions made with this file hold only where it does not apply`, 'CLIENT-7', name);
    } else {
      diag(diagnostics, 'warning', 'not-read', line, `${name} is not applied: it is not a setting the reference reads (only DisableSockets and EnableSocketsTo change its decisions)`, 'CLIENT-7', name);
    }
  });
  const disable = disableSockets as { value: boolean; line: number } | null;
  if (enableSocketsTo.length > 0 && disable?.value !== true) {
    diag(diagnostics, 'warning', 'no-effect', enableSocketsTo[0]!.line, 'EnableSocketsTo has no effect: it applies only while DisableSockets = 1', 'CLIENT-6');
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { flash: null, diagnostics };
  return { flash: { disableSockets: disable?.value ?? false, enableSocketsTo: enableSocketsTo.map((e) => e.host) }, diagnostics };
}
