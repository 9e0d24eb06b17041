/**
 * How Moonlight matches local (`file:`) applications (silverlight/9#15), written from what the
 * code does (read for facts only):
 *
 * - The XAP: moon hands mono the final URL of the XAP download (mono/moon plugin/plugin.cpp
 *   2013-2017, 1180-1183 @ cb343939d); `PluginHost.SetPluginHandle` reads it with mono's `Uri` and
 *   stores `GetApplicationIdentity` of it — scheme, `DnsSafeHost`, port unless −1, `AbsolutePath`
 *   (class/System.Windows/System.Windows.Interop/PluginHost.cs 54-60, 76-82) — which
 *   `BaseDomainPolicy` reads again as `ApplicationUri`, whose `GetRoot` is `ApplicationRoot`
 *   (mono/mono mcs/class/System.Net/System.Net.Policy/BaseDomainPolicy.cs 47-50, 60-66 @ 75503013;
 *   CrossDomainPolicyManager.cs 45-51 @ 016a04eb).
 * - A `<domain uri>`: `AllowFrom.CheckDomainUri` (ClientAccessPolicy.cs 203-237 @ 56a925b4). A value
 *   `Uri.TryCreate` accepts with `LocalPath` `/` admits the XAP when its `ToString ()` equals
 *   `ApplicationRoot` (206-209); with another `LocalPath`, when that equals the XAP's and its
 *   `GetRoot` equals `ApplicationRoot` (210-213). A value it refuses is a wildcard only when it
 *   starts with the XAP's scheme and `://*.` (219-236): without the `*.` it must read with
 *   `LocalPath` `/`, no query or fragment, the XAP's port, and the XAP's `DnsSafeHost` must end
 *   with its `DnsSafeHost`.
 *
 * mono's `Uri` (mcs/class/System/System/Uri.cs @ 018e3b25) reads a value with the scheme `file`
 * when it says `file:` in any case, or is a Unix, Windows or UNC path (see `readMonoFileUri`);
 * a value it reads otherwise, or refuses before knowing its scheme, never admits a `file:` XAP
 * (its string and root never start with `file://`, and a wildcard must start with `file`), so the
 * profile's other domain reading (`domainPattern`) keeps it.
 *
 * @module
 */
import type { SilverlightDomainPattern, SilverlightLocalCaller } from '../silverlight/domains.js';
import { monoDnsSafeHost, monoFileRoot, monoFileToString, monoLocalPath, readMonoFileUri } from './moonlight-uri.js';

/** A `file:` XAP as Moonlight reads it: what `CheckDomainUri` compares. */
export interface MonoXap {
  /** `ApplicationRoot`: `file://host/` (`file:///` without a host). */
  root: string;
  /** `ApplicationUri.LocalPath` (`/home/u/app.xap`; `C:\apps\app.xap` for a Windows path). */
  localPath: string;
  /** `ApplicationUri.DnsSafeHost` and `Port` (−1). */
  host: string;
  port: number;
}

/**
 * The XAP at `href` (the URL as the browser gives it: our request reader's normalised `file:` URL)
 * as `ApplicationUri` reads it, or `null` when mono's `Uri` refuses it (`file:///a:b/c`, a host
 * with `~`): Moonlight then has no application.
 */
export function readMonoXap(href: string): MonoXap | null {
  const source = readMonoFileUri(href);
  if (source === null || typeof source === 'string') return null;
  // GetApplicationIdentity: the scheme, DnsSafeHost, the port unless -1, AbsolutePath (a file URI's path as kept).
  const identity = `file://${monoDnsSafeHost(source)}${source.port === -1 ? '' : `:${source.port}`}${source.path}`;
  const app = readMonoFileUri(identity);
  if (app === null || typeof app === 'string') return null;
  return { root: monoFileRoot(app), localPath: monoLocalPath(app), host: monoDnsSafeHost(app), port: app.port };
}

/** A `<domain uri>` value mono reads with the scheme `file`, as `CheckDomainUri` compares it. */
export type MonoFileDomain =
  /** Read with `LocalPath` `/`: the XAPs whose `ApplicationRoot` is `root` (its `ToString ()`). */
  | { form: 'root'; root: string }
  /** Read with another `LocalPath`: the XAP with that `LocalPath` whose `ApplicationRoot` is `root` (its `GetRoot`). */
  | { form: 'application'; root: string; localPath: string }
  /** `file://*.host`: XAPs on `port` whose `DnsSafeHost` ends with `ending` (no dot boundary; `file://*.` admits every one). */
  | { form: 'host-ending'; ending: string; port: number }
  /** Never admits: why. */
  | { form: 'never'; reason: string };

/** A value as `CheckDomainUri` reads it for a `file:` XAP, or `null` when mono reads it with another scheme (the value never admits a `file:` XAP). */
export function readMonoFileDomain(uri: string): MonoFileDomain | null {
  const read = readMonoFileUri(uri);
  if (read === null) return null;
  if (typeof read !== 'string') {
    const localPath = monoLocalPath(read);
    if (localPath === '/') return { form: 'root', root: monoFileToString(read) };
    return { form: 'application', root: monoFileRoot(read), localPath };
  }
  // TryCreate failed: the wildcard branch, after the XAP's scheme "file" exactly as written.
  if (!uri.startsWith('file://*.')) return { form: 'never', reason: `mono's Uri refuses it (${read}), and it is no file://*. wildcard` };
  const rest = readMonoFileUri(`file://${uri.slice('file://*.'.length)}`);
  if (rest === null || typeof rest === 'string') return { form: 'never', reason: `without its "*." the value is no URL Moonlight reads (${rest ?? 'not file'})` };
  if (monoLocalPath(rest) !== '/' || rest.query !== '' || rest.fragment !== '') return { form: 'never', reason: 'after "*." Moonlight requires the path "/" and no query or fragment' };
  return { form: 'host-ending', ending: monoDnsSafeHost(rest), port: rest.port };
}

/** Whether a value read by {@link readMonoFileDomain} admits the XAP (`null`: one Moonlight cannot read). */
export function monoFileDomainAdmits(domain: MonoFileDomain, xap: MonoXap | null): boolean {
  if (xap === null) return false;
  switch (domain.form) {
    case 'root':
      return xap.root === domain.root;
    case 'application':
      return xap.localPath === domain.localPath && xap.root === domain.root;
    case 'host-ending':
      // String.EndsWith is culture-sensitive: ordinal here (the profile's undecided list).
      return xap.port === domain.port && xap.host.endsWith(domain.ending);
    case 'never':
      return false;
  }
}

/** Each local caller read once, whatever the number of values asked about it. */
const XAPS = new WeakMap<SilverlightLocalCaller, MonoXap | null>();

function xapOf(caller: SilverlightLocalCaller): MonoXap | null {
  let xap = XAPS.get(caller);
  if (xap === undefined) XAPS.set(caller, (xap = readMonoXap(caller.href)));
  return xap;
}

/**
 * The `fileDomainPattern` step (silverlight/9#15): a value mono reads with the scheme `file` as
 * the local callers `CheckDomainUri` admits with it; `null` for any other value (read by
 * `domainPattern`).
 */
export function moonlightFileDomainPattern(uri: string): SilverlightDomainPattern | null {
  const domain = readMonoFileDomain(uri);
  if (domain === null) return null;
  if (domain.form === 'never') return { kind: 'never', reason: domain.reason };
  return { kind: 'local', admits: (caller) => monoFileDomainAdmits(domain, xapOf(caller)) };
}
