/**
 * The `moonlight` profile: Moonlight, the open-source Silverlight for Linux — mono/mono
 * `mcs/class/System.Net/System.Net.Policy/` (CrossDomainPolicyManager.cs @ 016a04eb,
 * FlashCrossDomainPolicy.cs @ aa659717) and mono/moon @ cb343939d
 * (`class/System.Windows/System.Net.Browser/PolicyBasedHttpWebRequest.cs`), as chapter 9 of
 * spec/silverlight records it. Each override is our own function written from what that code
 * does (read for facts only), tagged with its record and source.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import { withRule } from '../silverlight/grant.js';
import { isHeaderAllowed, isMethodAllowed } from '../silverlight/headers.js';
import type { SilverlightSteps } from '../silverlight/steps.js';
import { responseHeader } from '../world/parse.js';
import type { ProfileDefinition, StepTag } from './types.js';

const ML = 'mono/mono mcs/class/System.Net/System.Net.Policy/';

const tag = (record: string, departsFrom: RequirementId[], does: string, source: string): StepTag => ({ record, departsFrom, does, source });

/** `CheckContentType`: an ordinal `text/` prefix, or `application/xml` exactly or followed at once by `;`. */
export function moonlightAcceptsContentType(contentType: string | null): boolean {
  const t = contentType ?? '';
  if (t.startsWith('text/')) return true;
  return t === 'application/xml' || t.startsWith('application/xml;');
}

/** Moonlight @ mono aa659717 / moon cb343939d. */
export const MOONLIGHT_PROFILE: ProfileDefinition<SilverlightSteps> = {
  name: 'moonlight',
  base: 'silverlight',
  title: 'Moonlight (mono System.Net.Policy, moon cb343939d)',
  description: "Moonlight, the open-source Silverlight for Linux, as mono's System.Net.Policy and moon's browser HTTP stack decide: a rejected clientaccesspolicy.xml opens the crossdomain.xml fallback, content types by ordinal prefix, the crossdomain.xml subset read as FlashCrossDomainPolicy.IsAllowed does, no elevated-trust bypass for HTTP.",
  overrides: {
    afterRejectedPolicy: {
      run: () => 'fallback',
      tag: tag('silverlight/9#11', ['SL-HTTP-6'], 'a served clientaccesspolicy.xml it cannot read is no policy: crossdomain.xml is asked for next', `${ML}CrossDomainPolicyManager.cs:122-139 @ 016a04eb; mono/moon PolicyBasedHttpWebRequest.cs:187-202 @ cb343939d`),
    },
    acceptsContentType: {
      run: moonlightAcceptsContentType,
      tag: tag('silverlight/9#13', ['SL-HTTP-4'], 'accepts a Content-Type starting with text/ (case-sensitive), or application/xml exactly or followed at once by ;', `${ML}CrossDomainPolicyManager.cs:102-120 @ 016a04eb`),
    },
    clientConfig: {
      run: (config, target) => (target.kind === 'url' && config.silverlight.elevatedTrust ? { ...config, silverlight: { ...config.silverlight, elevatedTrust: false } } : config),
      tag: tag('silverlight/9#16', ['CLIENT-9'], 'its browser HTTP stack checks the policy whatever the trust (elevated trust only lifts the socket check)', 'mono/moon class/System.Windows/System.Net.Browser/PolicyBasedHttpWebRequest.cs:150-176, 225-230 @ cb343939d'),
    },
    decideFlashSubset: {
      run: (b, policy, response, location, caller, scheme, method, headers) => {
        // A non-empty X-Permitted-Cross-Domain-Policies replaces the file's site-control; none of either is 'all'.
        const header = response === undefined ? undefined : responseHeader(response, 'x-permitted-cross-domain-policies');
        const site = header !== undefined && header !== '' ? header : (policy.siteControl[policy.siteControl.length - 1] ?? '');
        const meta = site === '' ? 'all' : site;
        if (meta !== 'all' && meta !== 'master-only' && meta !== 'by-ftp-filename') {
          return b.denyBecause(`${header ? 'X-Permitted-Cross-Domain-Policies' : '<site-control>'} says ${JSON.stringify(meta)}: Moonlight uses the file only under all, master-only or by-ftp-filename; denied`, ['SL-FLASH-5'], location);
        }
        if (!isMethodAllowed([], method)) return b.denyBecause(`method ${method} is not GET or POST; denied`, ['SL-FLASH-8'], location);
        const targetHttps = scheme === 'https';
        const callerHttps = caller.scheme === 'https';
        // AllowAccessFrom.IsAllowed: only domain="*"; secure (default true) keeps HTTPS targets for HTTPS applications.
        const grant = policy.allowAccessFrom.find((e) => e.domain === '*' && (!e.secure || !targetHttps || callerHttps));
        if (policy.allowAccessFrom.length > 0 && grant === undefined) {
          return b.denyBecause(`${location} has no allow-access-from domain="*" admitting this caller (Moonlight); denied`, ['SL-FLASH-4', 'SL-FLASH-6'], location);
        }
        // AllowHttpRequestHeadersFrom.IsRejected: a domain="*" rule whose headers do not cover the request rejects it (the old secure order).
        const rejecting = policy.allowHttpRequestHeadersFrom.find((e) => e.domain === '*' && !headers.every((h) => isHeaderAllowed([], h) || isHeaderAllowed(e.headers, h)) && (!e.secure || !callerHttps || targetHttps));
        if (rejecting !== undefined) return b.denyBecause(`an allow-http-request-headers-from domain="*" of ${location} does not cover the request's headers (Moonlight); denied`, ['SL-FLASH-7'], location);
        if (grant !== undefined) b.add(withRule({ step: 'match', location, why: 'allow-access-from domain="*" admits every caller', requirements: ['SL-FLASH-4'] }, 'allow-access-from', grant.source));
        return b.allow(grant === undefined ? `${location} has no allow-access-from at all, and Moonlight only refuses when one exists and none admits` : `${location} (read as Moonlight's FlashCrossDomainPolicy) grants every caller with allow-access-from domain="*"`, ['SL-FLASH-4'], location);
      },
      tag: tag('silverlight/9#5b', ['SL-FLASH-5', 'SL-FLASH-7', 'SL-FLASH-9'], 'a non-empty X-Permitted header replaces the site-control (none: all); a file without allow-access-from is not refused; header rules reject only when domain="*" and not covering (secure in the old order); other header domains never reject', `${ML}FlashCrossDomainPolicy.cs:52-55, 74-145 @ aa659717; CrossDomainPolicyManager.cs:152-157 @ 016a04eb`),
    },
  },
  pending: [
    { record: 'silverlight/9#3', what: 'scheme://*.host matched with EndsWith, no dot boundary (ClientAccessPolicy.cs:235-236)', cases: ['silverlight/domains/wildcard-dot-boundary'] },
    { record: 'silverlight/9#14', what: 'uri with surrounding spaces read by Uri.TryCreate (ClientAccessPolicy.cs:206-209)', cases: ['silverlight/domains/uri-surrounding-spaces'] },
    { record: 'silverlight/9#15', what: 'FILE:/// parsed as the root file:/// (ClientAccessPolicy.cs:206-209)', cases: ['silverlight/domains/file-uri-forms'] },
    { record: 'silverlight/9#2', what: 'a header failure in one allow-from denies at once (ClientAccessPolicy.cs:125-132)', cases: ['silverlight/headers/per-allow-from'] },
    { record: 'silverlight/9#4a', what: 'empty policy/grant-to skipped by the parser, so not counted for the whole-site exemption (ClientAccessPolicyParser.cs:115-118, 141-144)', cases: ['silverlight/paths/whole-site-empty-elements'] },
    { record: 'silverlight/9#4c', what: '.., ./ and % looked for in Uri.OriginalString as written (ClientAccessPolicy.cs:96, 138-140)', cases: ['silverlight/paths/forbidden-sequences-normalised'] },
    { record: 'silverlight/9#5c', what: '<site-control/> without its attribute read as all (FlashCrossDomainPolicyParser.cs:137-146)', cases: ['silverlight/flash-subset/site-control-without-attribute'] },
    { record: 'silverlight/9#8', what: 'an empty unknown child of policy skipped (ClientAccessPolicyParser.cs:141-144)', cases: ['silverlight/grammar/policy-empty-unknown-child'] },
    { record: 'silverlight/9#8a', what: "a voided grant-to's tcp ports still merged into the policy (ClientAccessPolicyParser.cs:264)", cases: ['silverlight/grammar/grant-to-voided-keeps-no-port'] },
  ],
  undecided: [
    { what: 'Which request headers Moonlight tests (request.Headers.AllKeys: the ones the application set, or the browser’s too).', chose: 'The headers of the request, as for the reference.' },
    { what: 'Whether the browser bridge normalises Content-Type before CheckContentType.', chose: 'As written (the code’s test), UNVERIFIED.' },
  ],
};
