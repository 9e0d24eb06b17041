/**
 * The catalogue of lint checks: one metadata record per finding ID.
 *
 * This table is the single source of truth for the catalogue: the checks take their severity and
 * CWE from it, spec/lint.md is generated from it (`npm run gen:lint`), and so is corpus/lint/ (a
 * triggering case and a near miss per check). A test asserts all three agree.
 *
 * IDs are grouped by family (`LINT-<FAMILY>-<NAME>`) and never reused: a retired check keeps its
 * row, marked `retired`.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import type { Severity } from './finding.js';
import type { LintClient, PolicyFormat } from './context.js';

/** A policy plus how it is served: a check's triggering example or near miss. */
export interface LintExample {
  /** The policy text. */
  policy: string;
  /** `--served-from`; absent means the context is inferred. */
  servedFrom?: string;
  client?: LintClient;
  /** `Content-Type` the file is served with (library context only; the CLI cannot set it). */
  contentType?: string;
  /** Response headers the file is served with. */
  headers?: Record<string, string>;
  /** `--trusted` domains. */
  trusted?: readonly string[];
  /** What spec/lint.md shows instead of a policy too long to print (the corpus case holds the whole text). */
  shown?: string;
}

/** The metadata of one check; `Id` is the closed set of catalogue IDs ({@link FindingId}). */
export interface CheckInfo<Id extends string = FindingId> {
  id: Id;
  /** A short title, as in the spec heading. */
  title: string;
  severity: Severity;
  /** The CWE the finding is an instance of, where one fits. */
  cwe?: string;
  /** The formats the check reads. */
  formats: readonly PolicyFormat[];
  /** Requirements of spec/ the check rests on. */
  requirements: readonly RequirementId[];
  /** Rules of today's scanners (the peer survey, §2: S1–S21) this check covers. */
  scanners: readonly string[];
  /** What the check flags and why it matters. */
  explanation: string;
  /** What to do instead. */
  remediation: string;
  /** How far a finding can be trusted (false positives, what the check cannot see). */
  confidence: string;
  /** An example that raises the finding. */
  trigger: LintExample;
  /** A close example that must not raise it. */
  nearMiss: LintExample;
}

const X = '<?xml version="1.0"?>\n';
const flash = (body: string): string => `${X}<cross-domain-policy>\n${body}\n</cross-domain-policy>\n`;
const sl = (allowFrom: string, grantTo: string, attrs = ''): string =>
  `${X}<access-policy>\n  <cross-domain-access>\n    <policy>\n      <allow-from${attrs}>\n${allowFrom}\n      </allow-from>\n      <grant-to>\n${grantTo}\n      </grant-to>\n    </policy>\n  </cross-domain-access>\n</access-policy>\n`;
const ROOT = '        <resource path="/api/" include-subpaths="true"/>';
const SOCK = 'xmlsocket://game.example.com:843';
const HTTPS = 'https://www.example.com/crossdomain.xml';
const HTTP = 'http://www.example.com/crossdomain.xml';
const SL = 'https://www.example.com/clientaccesspolicy.xml';

/**
 * The catalogue as written, its IDs kept as literal types: {@link FindingId} is derived from it,
 * so a mistyped ID anywhere in the code is a compile error, not a run-time throw. Read it as
 * {@link CHECKS}.
 */
export const CATALOGUE = [
  // ---------------------------------------------------------------- parse: the parser's verdicts
  {
    id: 'LINT-PARSE-REJECTED',
    title: 'The file is rejected as a whole',
    severity: 'error',
    cwe: 'CWE-20',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-XML-1', 'LINT-3'],
    scanners: ['S15'],
    explanation:
      'The parser rejected the whole file (not well-formed, wrong root element, a character XML forbids, beyond the size limits, …). A client treats a rejected file as no policy at all: nothing it says is granted, and for a master policy the host falls back to whatever the client does without one.',
    remediation: 'Fix the error the finding names; check the file with an XML validator and keep the root element exactly `cross-domain-policy` or `access-policy`.',
    confidence: 'Certain: the finding repeats the parser\'s verdict. Real clients are sometimes more lenient than the reference (spec chapters on divergences say where).',
    trigger: { policy: `${X}<cross-domain-policy>\n  <allow-access-from domain="www.example.com">\n</cross-domain-policy>\n`, servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-PARSE-VOIDED',
    title: 'An element is void and grants nothing',
    severity: 'error',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-GRAM-8', 'FLASH-GRAM-4', 'FLASH-PORT-3'],
    scanners: [],
    explanation:
      'The parser kept the file but dropped an element: a missing or empty `domain`, a `secure` that is neither `true` nor `false`, a `to-ports` that is not a list of ports, an unknown element. The author meant something by it that no client will do, and the remaining rules may grant more or less than intended.',
    remediation: 'Correct the element as the finding says, or delete it.',
    confidence: 'Certain for the reference; some players drop more (Silverlight reading a Flash file voids the whole file on an unknown attribute).',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com" secure="yes"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com" secure="true"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-PARSE-DTD',
    title: 'DOCTYPE internal subset or entity reference',
    severity: 'error',
    cwe: 'CWE-776',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-XML-4', 'SL-XML-4'],
    scanners: [],
    explanation:
      'The file declares an internal DTD subset or refers to an entity other than the five predefined ones. Entities are how XML bombs and XXE payloads work, and an entity can hide a grant (`domain="&w;"` with `<!ENTITY w "*">`) from a text search. The reference rejects such files.',
    remediation: 'Remove the internal subset and expand entity references by hand. A DOCTYPE with only a SYSTEM identifier is fine.',
    confidence: 'Certain; no legitimate policy needs entities.',
    trigger: { policy: `${X}<!DOCTYPE cross-domain-policy [\n  <!ENTITY w "*">\n]>\n<cross-domain-policy>\n  <allow-access-from domain="&w;"/>\n</cross-domain-policy>\n`, servedFrom: HTTPS },
    nearMiss: { policy: `${X}<!DOCTYPE cross-domain-policy SYSTEM "http://www.adobe.com/xml/dtds/cross-domain-policy.dtd">\n<cross-domain-policy>\n  <allow-access-from domain="www.example.com"/>\n</cross-domain-policy>\n`, servedFrom: HTTPS },
  },
  {
    id: 'LINT-PARSE-WARNING',
    title: 'Something the parser reported and ignored',
    severity: 'low',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-GRAM-5'],
    scanners: [],
    explanation:
      'The parser reported something it ignores: an unknown attribute, `to-ports` in a URL policy, `secure` over plain HTTP, a `site-control` outside the master. The file still works, but it does not mean what it says.',
    remediation: 'Delete the ignored markup, or move it where it has an effect.',
    confidence: 'Certain for the reference parser.',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com" from-ports="80"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-PARSE-NOTE',
    title: 'A parser note',
    severity: 'info',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-XML-7'],
    scanners: [],
    explanation: 'The parser noted something harmless, such as a byte order mark it skipped.',
    remediation: 'Nothing is required.',
    confidence: 'Certain.',
    trigger: { policy: `\uFEFF${flash('  <allow-access-from domain="www.example.com"/>')}`, servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS },
  },
  // ---------------------------------------------------------------- context
  {
    id: 'LINT-CONTEXT-INFERRED',
    title: 'How the file is served was inferred',
    severity: 'info',
    formats: ['flash', 'silverlight'],
    requirements: ['LINT-4'],
    scanners: [],
    explanation:
      'No `--served-from` was given, so the kind of policy (URL or socket), its scheme, port and whether it is the master were inferred from the file name, the root element and the presence of `to-ports`. Checks that depend on the context (secure over HTTPS, the 1024 rule, meta-policies) follow that guess.',
    remediation: 'Pass `--served-from` with the location the file is served at, e.g. `https://host/crossdomain.xml` or `xmlsocket://host:843`.',
    confidence: 'Certain (it reports what was assumed).',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com"/>') },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-CONTEXT-CLIENT',
    title: 'The chosen client does not read this file',
    severity: 'info',
    formats: ['flash', 'silverlight'],
    requirements: ['LINT-4'],
    scanners: [],
    explanation:
      'The `--client` profile never reads a file of this format from this location: Flash Player never reads `clientaccesspolicy.xml`, and Silverlight reads a Flash file only at `/crossdomain.xml` (and only when it grants `*`), never from a Flash socket policy port.',
    remediation: 'Lint with `--client all` or the client that reads the file.',
    confidence: 'Certain.',
    trigger: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT), servedFrom: SL, client: 'flash' },
    nearMiss: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT), servedFrom: SL, client: 'silverlight' },
  },
  // ---------------------------------------------------------------- domains
  {
    id: 'LINT-DOMAIN-ANY',
    title: 'Access granted to every origin',
    severity: 'high',
    cwe: 'CWE-942',
    formats: ['flash'],
    requirements: ['FLASH-DOM-1', 'SL-FLASH-4'],
    scanners: ['S1', 'S4', 'S6', 'S10', 'S13', 'S18', 'S19', 'S20', 'S21'],
    explanation:
      '`allow-access-from domain="*"` lets a SWF from any site read every response of this host (with the visitor\'s cookies), or connect to the granted socket ports. For a site with logged-in users this is cross-site data theft; for a socket policy it opens the ports to every page on the web. Silverlight also honours this file when it grants `*`.',
    remediation: 'Name the sites that need access (`domain="www.example.com"`); serve public, cookie-less data from a separate host if it must be open to all.',
    confidence: 'No false positives; the risk is low only for hosts that serve nothing but public, unauthenticated content.',
    trigger: { policy: flash('  <allow-access-from domain="*"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-DOMAIN-PUBLIC-SUFFIX',
    title: 'Wildcard over a public suffix',
    severity: 'high',
    cwe: 'CWE-942',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-DOM-3', 'SL-DOM-7'],
    scanners: ['S7', 'S11', 'S12'],
    explanation:
      'A wildcard over a public suffix (`*.com`, `*.co.uk`, and, from the private section of the Public Suffix List, `*.github.io`, `*.herokuapp.com`, `*.s3.amazonaws.com`) trusts every site anyone can register or publish under it: an attacker registers a name there and reads this host\'s data. Judged with tldts and `allowPrivateDomains: true`.',
    remediation: 'Name your own registrable domain (`*.example.co.uk`) or exact hosts.',
    confidence: 'No false positives against the bundled Public Suffix List snapshot (tldts); a suffix added to the list later is caught only after updating tldts.',
    trigger: { policy: flash('  <allow-access-from domain="*.github.io"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-access-from domain="*.example.co.uk"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-DOMAIN-SUBDOMAIN-WILDCARD',
    title: 'Wildcard over every subdomain',
    severity: 'low',
    cwe: 'CWE-942',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-DOM-3', 'SL-DOM-7'],
    scanners: ['S7', 'S11', 'S20'],
    explanation:
      '`*.example.com` trusts every host under the domain, including forgotten, user-content or taken-over subdomains (a dangling CNAME is enough). It is often wider than needed.',
    remediation: 'List the hosts that serve the SWF or XAP (`www.example.com`, `static.example.com`).',
    confidence: 'Informative: whether every subdomain is trustworthy is a judgement the linter cannot make.',
    trigger: { policy: flash('  <allow-access-from domain="*.example.com"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-access-from domain="static.example.com"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-DOMAIN-IP-LITERAL',
    title: 'Grant to an IP address',
    severity: 'low',
    cwe: 'CWE-942',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-DOM-5', 'SL-DOM-5'],
    scanners: [],
    explanation:
      'A grant to a public IP address trusts whoever holds that address, and cloud addresses are reassigned. Content loaded by address also has no certificate bound to a name.',
    remediation: 'Grant to a host name you control.',
    confidence: 'Informative. Only strict four-part decimal IPv4 and valid IPv6 are read as addresses (ipaddr.js `isValidFourPartDecimal`); other spellings never match and are reported by LINT-DOMAIN-NEVER-MATCHES.',
    trigger: { policy: flash('  <allow-access-from domain="93.184.216.34"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-DOMAIN-LOCAL',
    title: 'Grant to loopback, private or local-only origins',
    severity: 'medium',
    cwe: 'CWE-942',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-DOM-5', 'SL-DOM-5'],
    scanners: [],
    explanation:
      'A grant to `localhost`, a loopback, private (RFC 1918, unique-local), link-local or otherwise non-public address, or to a name under a local-only suffix (`*.local`, `*.localhost`, `*.internal`, `*.lan`, `*.test`), trusts content that the visitor\'s own machine or network serves: any local app or device, or a DNS-rebinding page, can then read this host. In production it is usually a development leftover.',
    remediation: 'Remove development grants from production policies; serve a separate policy in development.',
    confidence: 'No false positives in production; expected in development-only policies.',
    trigger: { policy: flash('  <allow-access-from domain="127.0.0.1" to-ports="8000"/>'), servedFrom: SOCK },
    nearMiss: { policy: flash('  <allow-access-from domain="93.184.216.34" to-ports="8000"/>'), servedFrom: SOCK },
  },
  {
    id: 'LINT-DOMAIN-NEVER-MATCHES',
    title: 'A domain that can never match',
    severity: 'low',
    formats: ['flash', 'silverlight'],
    requirements: ['SL-DOM-8', 'FLASH-DOM-4', 'FLASH-DOM-5', 'FLASH-DOM-6'],
    scanners: [],
    explanation:
      'The domain is not one of the forms clients understand. In Silverlight: a `uri` without a scheme (`www.example.com`), a wildcard other than the leading `*.` of the host (`http://*.example.*`), a path on a wildcard. In a Flash model: a `*` other than alone or as a leading `*.` (`none.*`), a wildcard over an IP, a scheme, port or path, a non-decimal IPv4 spelling (the Flash parser voids such elements, so from text they are reported as LINT-PARSE-VOIDED). The rule grants nothing, and someone probably believes it does.',
    remediation: 'Flash: a bare host name, `*.domain`, an address or `*`. Silverlight: `https://host`, `https://*.domain`, or an application URI.',
    confidence: 'Certain for the reference; some old players were laxer, which is another reason to fix it.',
    trigger: { policy: sl('        <domain uri="www.example.com"/>', ROOT), servedFrom: SL },
    nearMiss: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT), servedFrom: SL },
  },
  {
    id: 'LINT-DOMAIN-REGISTERED',
    title: 'Trust in another registered domain',
    severity: 'info',
    formats: ['flash', 'silverlight'],
    requirements: ['LINT-14', 'FLASH-DOM-2', 'SL-DOM-5'],
    scanners: ['S11', 'S12', 'S14'],
    explanation:
      'The grant names a host, or a wildcard, under a registered domain (the registrable domain of the Public Suffix List, judged with tldts) other than the one the file is served from. Whoever controls that domain gets the grant — its owner, whoever registers it once it lapses, whoever takes over a forgotten subdomain of it. This is the list nmap, w3af and Watcher print, and the input of a domain-takeover check. Without `--served-from` every registered domain the file trusts is listed. `--trusted DOMAIN` marks the expected ones: a grant under the registered domain of a `--trusted` value is not reported.',
    remediation: 'Check that each registered domain listed is yours or a partner\'s you still trust, and that it is still registered; name the expected ones with `--trusted`, and delete the grants nobody can account for.',
    confidence: 'Certain (it lists what the file trusts). Whether a domain is still registered needs a network lookup, which lint does not make.',
    trigger: { policy: flash('  <allow-access-from domain="widgets.partner-cdn.net"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-access-from domain="widgets.partner-cdn.net"/>'), servedFrom: HTTPS, trusted: ['partner-cdn.net'] },
  },
  // ---------------------------------------------------------------- ports (Flash socket policies)
  {
    id: 'LINT-PORT-ANY',
    title: '`to-ports="*"`: every port',
    severity: 'high',
    cwe: 'CWE-284',
    formats: ['flash'],
    requirements: ['FLASH-PORT-2'],
    scanners: [],
    explanation:
      '`to-ports="*"` lets the granted SWFs open a raw TCP connection to every port of the host: mail, SSH, databases, admin consoles. None of those services expect a browser plugin to speak to them with the visitor\'s network position.',
    remediation: 'List the ports of the service the SWF needs (`to-ports="9100"`).',
    confidence: 'No false positives.',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com" to-ports="*"/>'), servedFrom: SOCK },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com" to-ports="9100"/>'), servedFrom: SOCK },
  },
  {
    id: 'LINT-PORT-WIDE-RANGE',
    title: 'A very wide port range',
    severity: 'medium',
    cwe: 'CWE-284',
    formats: ['flash'],
    requirements: ['FLASH-PORT-1'],
    scanners: [],
    explanation:
      'One rule grants 1,000 ports or more (`1024-65535`, `20-65535`). That is `*` in all but name: whatever else listens on the host in that range becomes reachable.',
    remediation: 'Grant the few ports the application uses.',
    confidence: 'The threshold (1,000 ports in one rule, counted after the 1024 rule) is a judgement; a legitimate pool of ports is rarely that large.',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com" to-ports="1024-65535"/>'), servedFrom: SOCK },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com" to-ports="9000-9099"/>'), servedFrom: SOCK },
  },
  {
    id: 'LINT-PORT-SERVICE',
    title: 'Grant to a well-known service port',
    severity: 'high',
    cwe: 'CWE-284',
    formats: ['flash'],
    requirements: ['FLASH-PORT-5', 'FLASH-SOCK-7'],
    scanners: [],
    explanation:
      'The rule reaches a port of a standard service: FTP 21, SSH 22, Telnet 23, SMTP 25, DNS 53, HTTP 80/443/8080, POP/IMAP, SMB 445, databases and caches (MySQL 3306, PostgreSQL 5432, Redis 6379, Memcached 11211, MongoDB 27017, MSSQL 1433, Oracle 1521, Elasticsearch 9200), VNC and RDP. Such services trust connections by network position; from a browser plugin they can be driven to send spam, brute-force logins or talk HTTP with forged headers. These ports should never be reachable from a socket policy, whatever it says: in the 2010 W3C webapps discussion of policy files versus WebSocket, both sides agreed SMTP and HTTP "might be black listed by default, no matter what the downloaded policy file says". A port below 1024 that the 1024 rule makes unreachable is not reported here.',
    remediation: 'Move the application\'s socket service to its own port and grant only that.',
    confidence: 'No false positives for the listed ports; a service on an unlisted port is not seen.',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com" to-ports="25,9100"/>'), servedFrom: SOCK },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com" to-ports="9100"/>'), servedFrom: SOCK },
  },
  {
    id: 'LINT-PORT-UNREACHABLE',
    title: 'Ports below 1024 in a policy served from a high port',
    severity: 'low',
    formats: ['flash'],
    requirements: ['FLASH-SOCK-7'],
    scanners: [],
    explanation:
      'A socket policy served from port 1024 or higher can only grant ports of 1024 and above, so the ports below 1024 it lists never apply. Either the author expects access that will be refused, or the policy was meant for port 843.',
    remediation: 'Serve the policy from port 843 (the master) or drop the low ports.',
    confidence: 'Certain, given the right `--served-from`.',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com" to-ports="1000-1100"/>'), servedFrom: 'xmlsocket://game.example.com:5000' },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com" to-ports="1000-1100"/>'), servedFrom: SOCK },
  },
  {
    id: 'LINT-RULE-SHADOWED',
    title: 'A rule that adds nothing',
    severity: 'low',
    formats: ['flash'],
    requirements: ['FLASH-URL-9', 'FLASH-PORT-5'],
    scanners: [],
    explanation:
      'Another rule of the file already grants everything this one grants (same or wider domain, same or weaker `secure`, same or more ports), or the rule repeats another. It can never change a decision; usually a sign that the policy grew by copy and paste and that the wider rule is broader than someone thinks.',
    remediation: 'Delete the redundant rule, or narrow the wider one.',
    confidence: 'No false positives; only pairs of rules are compared (a rule covered by two others together is not reported).',
    trigger: { policy: flash('  <allow-access-from domain="*.example.com" to-ports="9100"/>\n  <allow-access-from domain="www.example.com" to-ports="9100"/>'), servedFrom: SOCK },
    nearMiss: { policy: flash('  <allow-access-from domain="*.example.com" to-ports="9100"/>\n  <allow-access-from domain="www.example.com" to-ports="9101"/>'), servedFrom: SOCK },
  },
  {
    id: 'LINT-RULE-NEVER-APPLIES',
    title: 'A grant the client can never use',
    severity: 'low',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-META-2', 'FLASH-SOCK-6', 'FLASH-SOCK-7', 'FLASH-URL-7', 'SL-GRAM-5', 'SL-GRAM-7', 'SL-GRAM-9', 'SL-SOCK-11', 'SL-HTTP-4', 'LINT-4'],
    scanners: [],
    explanation:
      'The client reads this grant but can never use it where the file is served: the master\'s meta-policy is `none` (which disables the master\'s own grants too), a socket policy served from a port of 1024 or higher lists only ports below 1024, the response\'s `Content-Type` makes the client ignore the file, a Silverlight `<allow-from>` lists no `<domain>`, or its `<policy>` grants nothing of the kind the file is read for (no `<grant-to>`, an empty one, `<resource>` in a socket policy, `<socket-resource>` in an HTTP one). The finding says why and what the grant would allow were it used — with the IDs the other checks would raise, which are not raised at their own severity: a grant that never applies exposes nothing today, but it is one edit away from doing so, and its author expected it to work.',
    remediation: 'Delete the grant, or fix what voids it (the meta-policy, the port the policy is served from, the `Content-Type`, the missing `<domain>` or `<grant-to>`).',
    confidence: 'Certain, given the right `--served-from` (and `Content-Type`, when it matters).',
    trigger: { policy: flash('  <site-control permitted-cross-domain-policies="none"/>\n  <allow-access-from domain="*"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <site-control permitted-cross-domain-policies="master-only"/>\n  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS },
  },
  // ---------------------------------------------------------------- secure
  {
    id: 'LINT-SECURE-FALSE-HTTPS',
    title: '`secure="false"` in a policy served over HTTPS',
    severity: 'medium',
    cwe: 'CWE-319',
    formats: ['flash'],
    requirements: ['FLASH-SEC-2', 'FLASH-SEC-4'],
    scanners: [],
    explanation:
      'Over HTTPS a grant is limited to SWFs loaded over HTTPS unless it says `secure="false"`. With it, a SWF from `http://` on the named domain (which anyone on the network path can replace) reads this host\'s HTTPS responses, undoing TLS.',
    remediation: 'Delete `secure="false"` and serve the SWF over HTTPS.',
    confidence: 'No false positives when the file really is served over HTTPS.',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com" secure="false"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com" secure="true"/>'), servedFrom: HTTPS },
  },
  // ---------------------------------------------------------------- request headers (Flash)
  {
    id: 'LINT-HEADERS-ANY-DOMAIN',
    title: 'Request headers allowed from every origin',
    severity: 'high',
    cwe: 'CWE-942',
    formats: ['flash'],
    requirements: ['FLASH-URL-10'],
    scanners: ['S2', 'S8', 'S16'],
    explanation:
      '`allow-http-request-headers-from domain="*"` lets a SWF from any site send the listed headers to this host with the visitor\'s cookies: a way around CSRF defences that rely on custom headers (`X-Requested-With`, `SOAPAction`).',
    remediation: 'Name the sites that need to send headers.',
    confidence: 'No false positives.',
    trigger: { policy: flash('  <allow-http-request-headers-from domain="*" headers="SOAPAction"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-http-request-headers-from domain="www.example.com" headers="SOAPAction"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-HEADERS-ALL',
    title: '`headers="*"`: every request header',
    severity: 'medium',
    cwe: 'CWE-942',
    formats: ['flash'],
    requirements: ['FLASH-URL-10'],
    scanners: [],
    explanation:
      '`headers="*"` lets the granted SWFs send any header, including ones the server uses for authentication, CSRF protection or routing (`Authorization`, `X-Requested-With`, `X-Forwarded-For`).',
    remediation: 'List the headers the application sends.',
    confidence: 'No false positives; how much harm follows depends on the server.',
    trigger: { policy: flash('  <allow-http-request-headers-from domain="www.example.com" headers="*"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <allow-http-request-headers-from domain="www.example.com" headers="SOAPAction,X-Api-*"/>'), servedFrom: HTTPS },
  },
  // ---------------------------------------------------------------- meta-policies
  {
    id: 'LINT-META-ALL',
    title: 'Meta-policy `all`',
    severity: 'medium',
    cwe: 'CWE-284',
    formats: ['flash'],
    requirements: ['FLASH-META-1', 'FLASH-SOCK-6'],
    scanners: [],
    explanation:
      '`permitted-cross-domain-policies="all"` lets any policy file on the host count: anyone who can place a file anywhere on the site (an upload, a user page, a proxied path) or bind a port of 1024 or more (on a shared host) can grant access to the whole host or its ports.',
    remediation: 'Use `master-only` and keep every grant in the master policy; `none` when no cross-domain access is needed.',
    confidence: 'No false positives; the risk depends on who can publish files or bind ports on the host.',
    trigger: { policy: flash('  <site-control permitted-cross-domain-policies="all"/>\n  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <site-control permitted-cross-domain-policies="master-only"/>\n  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-META-BY-CONTENT-TYPE',
    title: 'Meta-policy `by-content-type`',
    severity: 'low',
    cwe: 'CWE-284',
    formats: ['flash'],
    requirements: ['FLASH-META-4'],
    scanners: [],
    explanation:
      '`by-content-type` honours any policy file served as `text/x-cross-domain-policy`. Safer than `all`, but any path where users can control the response type (uploads, a misconfigured extension mapping) becomes a place to publish grants.',
    remediation: 'Prefer `master-only`; if `by-content-type` is needed, make sure nothing user-controlled is served with that type.',
    confidence: 'Informative.',
    trigger: { policy: flash('  <site-control permitted-cross-domain-policies="by-content-type"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <site-control permitted-cross-domain-policies="master-only"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-META-CONFLICT',
    title: 'Conflicting `site-control` elements',
    severity: 'medium',
    formats: ['flash'],
    requirements: ['FLASH-GRAM-11'],
    scanners: [],
    explanation:
      'The file has several `site-control` elements with different values. Clients disagree on which one counts; the reference applies the most restrictive, and a reader of the file may believe another.',
    remediation: 'Keep one `site-control`.',
    confidence: 'Certain.',
    trigger: { policy: flash('  <site-control permitted-cross-domain-policies="master-only"/>\n  <site-control permitted-cross-domain-policies="all"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <site-control permitted-cross-domain-policies="master-only"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-META-DUPLICATE',
    title: 'Repeated `site-control`',
    severity: 'low',
    formats: ['flash'],
    requirements: ['FLASH-GRAM-11'],
    scanners: [],
    explanation: 'The file repeats `site-control` with the same value. Harmless today, confusing the day someone edits one of them.',
    remediation: 'Keep one `site-control`.',
    confidence: 'Certain.',
    trigger: { policy: flash('  <site-control permitted-cross-domain-policies="master-only"/>\n  <site-control permitted-cross-domain-policies="master-only"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <site-control permitted-cross-domain-policies="master-only"/>'), servedFrom: HTTPS },
  },
  {
    id: 'LINT-META-NONE-WITH-GRANTS',
    title: 'Meta-policy `none` with grants that never apply',
    severity: 'low',
    formats: ['flash'],
    requirements: ['FLASH-META-2', 'FLASH-SOCK-6'],
    scanners: [],
    explanation: 'The master says `permitted-cross-domain-policies="none"`, which disables every policy of the host including this one, yet the file lists grants. They never apply.',
    remediation: 'Drop the grants, or change the meta-policy to `master-only` if they are wanted.',
    confidence: 'Certain for the master policy.',
    trigger: { policy: flash('  <site-control permitted-cross-domain-policies="none"/>\n  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS },
    nearMiss: { policy: flash('  <site-control permitted-cross-domain-policies="none"/>'), servedFrom: HTTPS },
  },
  // ---------------------------------------------------------------- how the file is served
  {
    id: 'LINT-SERVE-CONTENT-TYPE',
    title: 'Served with a Content-Type clients reject',
    severity: 'medium',
    formats: ['flash', 'silverlight'],
    requirements: ['FLASH-URL-7', 'FLASH-META-4', 'SL-HTTP-4'],
    scanners: [],
    explanation:
      'A URL policy must be served as `text/*`, `application/xml` (Flash also takes `application/xhtml+xml`); anything else, or no Content-Type, and clients ignore the file. (A non-master Flash policy under the master\'s `by-content-type` also needs exactly `text/x-cross-domain-policy`; that is not checked here, since one file does not tell the master\'s meta-policy.)',
    remediation: 'Serve policy files as `text/x-cross-domain-policy` (Flash) or `text/xml` (Silverlight).',
    confidence: 'Certain when the Content-Type is known; not checked when it is not.',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS, contentType: 'application/octet-stream' },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS, contentType: 'text/x-cross-domain-policy' },
  },
  {
    id: 'LINT-SERVE-META-HEADER-ALL',
    title: '`X-Permitted-Cross-Domain-Policies: all`',
    severity: 'medium',
    cwe: 'CWE-284',
    formats: ['flash'],
    requirements: ['FLASH-META-6'],
    scanners: [],
    explanation: 'The response header opens the host to every policy file, as `site-control` `all` does (see LINT-META-ALL).',
    remediation: 'Send `X-Permitted-Cross-Domain-Policies: master-only` (or `none`).',
    confidence: 'Certain when the headers are known.',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS, headers: { 'X-Permitted-Cross-Domain-Policies': 'all' } },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS, headers: { 'X-Permitted-Cross-Domain-Policies': 'master-only' } },
  },
  {
    id: 'LINT-SERVE-META-HEADER-CONFLICT',
    title: 'Meta-policy header and `site-control` disagree',
    severity: 'low',
    formats: ['flash'],
    requirements: ['FLASH-META-6'],
    scanners: [],
    explanation: 'The `X-Permitted-Cross-Domain-Policies` header and the file\'s `site-control` give different values. The more restrictive applies, so one of the two misleads whoever reads it.',
    remediation: 'Make both say the same, or drop one.',
    confidence: 'Certain when the headers are known.',
    trigger: { policy: flash('  <site-control permitted-cross-domain-policies="all"/>'), servedFrom: HTTPS, headers: { 'X-Permitted-Cross-Domain-Policies': 'master-only' } },
    nearMiss: { policy: flash('  <site-control permitted-cross-domain-policies="master-only"/>'), servedFrom: HTTPS, headers: { 'X-Permitted-Cross-Domain-Policies': 'master-only' } },
  },
  {
    id: 'LINT-SERVE-META-HEADER-UNUSABLE',
    title: 'A meta-policy header that disables the file',
    severity: 'medium',
    formats: ['flash'],
    requirements: ['FLASH-META-6', 'FLASH-META-7'],
    scanners: [],
    explanation: 'The response carries `X-Permitted-Cross-Domain-Policies: none-this-response` (this response is not a policy) or a value clients do not know (read as `none`): the grants in the file are never used.',
    remediation: 'Remove the header from the policy response, or fix its value.',
    confidence: 'Certain when the headers are known.',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS, headers: { 'X-Permitted-Cross-Domain-Policies': 'master_only' } },
    nearMiss: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: HTTPS, headers: { 'X-Permitted-Cross-Domain-Policies': 'master-only' } },
  },
  // ---------------------------------------------------------------- Silverlight
  {
    id: 'LINT-SL-DOMAIN-ANY',
    title: 'Silverlight: `<domain uri="*"/>`',
    severity: 'high',
    cwe: 'CWE-942',
    formats: ['silverlight'],
    requirements: ['SL-DOM-2'],
    scanners: ['S3', 'S8', 'S13', 'S17', 'S21'],
    explanation: '`<domain uri="*"/>` lets a XAP from any site call the granted resources with the visitor\'s cookies (an HTTP policy), or open TCP connections to the granted ports from the visitor\'s machine (a socket policy, on 943: no cookies, but any site reaches the service).',
    remediation: 'List the sites (`<domain uri="https://www.example.com"/>`).',
    confidence: 'No false positives.',
    trigger: { policy: sl('        <domain uri="*"/>', ROOT), servedFrom: SL },
    nearMiss: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT), servedFrom: SL },
  },
  {
    id: 'LINT-SL-SCHEME-WILDCARD',
    title: 'Silverlight: `http://*` or `https://*`',
    severity: 'high',
    cwe: 'CWE-942',
    formats: ['silverlight'],
    requirements: ['SL-DOM-3'],
    scanners: ['S8', 'S17'],
    explanation: '`http://*` and `https://*` grant every site served over that scheme: as open as `*` for all practical purposes (most scanners miss these forms).',
    remediation: 'List the sites.',
    confidence: 'No false positives.',
    trigger: { policy: sl('        <domain uri="https://*"/>', ROOT), servedFrom: SL },
    nearMiss: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT), servedFrom: SL },
  },
  {
    id: 'LINT-SL-HEADERS-ANY',
    title: 'Silverlight: `http-request-headers="*"`',
    severity: 'medium',
    cwe: 'CWE-942',
    formats: ['silverlight'],
    requirements: ['SL-HDR-3'],
    scanners: ['S8', 'S16'],
    explanation: '`http-request-headers="*"` lets the granted XAPs send any request header, including ones used for authentication or CSRF protection.',
    remediation: 'List the headers the application sends (`SOAPAction`, `X-Api-*`).',
    confidence: 'No false positives.',
    trigger: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT, ' http-request-headers="*"'), servedFrom: SL },
    nearMiss: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT, ' http-request-headers="SOAPAction"'), servedFrom: SL },
  },
  {
    id: 'LINT-SL-METHODS-ANY',
    title: 'Silverlight: `http-methods="*"`',
    severity: 'low',
    cwe: 'CWE-942',
    formats: ['silverlight'],
    requirements: ['SL-HDR-8'],
    scanners: [],
    explanation: '`http-methods="*"` lets the granted XAPs send PUT, DELETE and other methods in addition to GET and POST.',
    remediation: 'Drop the attribute unless the application needs other methods.',
    confidence: 'Informative.',
    trigger: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT, ' http-methods="*"'), servedFrom: SL },
    nearMiss: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT), servedFrom: SL },
  },
  {
    id: 'LINT-SL-WHOLE-SITE',
    title: 'Silverlight: the whole site is granted',
    severity: 'low',
    formats: ['silverlight'],
    requirements: ['SL-PATH-3', 'SL-PATH-6'],
    scanners: [],
    explanation: '`<resource path="/" include-subpaths="true"/>` grants every path of the host. Cross-domain callers usually need one API directory.',
    remediation: 'Grant the API path (`path="/api/"`).',
    confidence: 'Informative.',
    trigger: { policy: sl('        <domain uri="https://www.example.com"/>', '        <resource path="/" include-subpaths="true"/>'), servedFrom: SL },
    nearMiss: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT), servedFrom: SL },
  },
  {
    id: 'LINT-SL-LOCAL-FILE',
    title: 'Silverlight: `<domain uri="file:///"/>`',
    severity: 'low',
    cwe: 'CWE-942',
    formats: ['silverlight'],
    requirements: ['SL-DOM-4'],
    scanners: [],
    explanation: '`file:///` admits applications the visitor runs from their own disk. A XAP someone talks the visitor into downloading and opening then reaches the granted resources with the visitor\'s cookies.',
    remediation: 'Drop `file:///` from production policies.',
    confidence: 'No false positives; the attack needs the visitor to open a local file.',
    trigger: { policy: sl('        <domain uri="file:///"/>', ROOT), servedFrom: SL },
    nearMiss: { policy: sl('        <domain uri="https://www.example.com"/>', ROOT), servedFrom: SL },
  },
  {
    id: 'LINT-SL-SOCKET-ALL-PORTS',
    title: 'Silverlight: every socket port',
    severity: 'low',
    formats: ['silverlight'],
    requirements: ['SL-SOCK-1'],
    scanners: [],
    explanation: 'A `socket-resource` granting the whole Silverlight range `4502-4534` reaches every socket service on the host rather than the one the application needs.',
    remediation: 'Grant the application\'s port (`port="4530"`).',
    confidence: 'Informative.',
    trigger: { policy: sl('        <domain uri="*"/>', '        <socket-resource port="4502-4534" protocol="tcp"/>'), servedFrom: 'xmlsocket://game.example.com:943' },
    nearMiss: { policy: sl('        <domain uri="*"/>', '        <socket-resource port="4530" protocol="tcp"/>'), servedFrom: 'xmlsocket://game.example.com:943' },
  },
  // ---------------------------------------------------------------- other clients (profiles)
  {
    id: 'LINT-COMPAT-GRANTS-UNNAMED',
    title: 'Another client grants origins the file never names',
    severity: 'high',
    cwe: 'CWE-942',
    formats: ['flash', 'silverlight'],
    requirements: ['LINT-17'],
    scanners: [],
    explanation:
      'Under another client of the file\'s family (a profile of spec/profiles.md: Lightspark, Flash Player 9, Moonlight, …) an origin the file does not name — an unrelated site, a look-alike `evil<domain>`, an IP form — gets access the reference denies. The usual cause is a client reading what the reference rejects: a malformed file whose `*` rule Flash Player throws away still grants every site under Lightspark, which reads the tree its XML parser built before the error.',
    remediation: 'Make the file mean the same to every client: fix what the reference rejects or ignores (the finding quotes both decisions\' reasons), and never leave a `*` rule in a file you rely on being rejected.',
    confidence: 'As exact as the profiles; the probes are a sample (the file\'s own domains and ports plus standard probes), so no finding does not prove the clients agree on every request.',
    trigger: { policy: `${X}<cross-domain-policy>\n  <allow-access-from domain="*" to-ports="*"/>\n`, servedFrom: SOCK },
    nearMiss: { policy: flash('  <allow-access-from domain="*"/>'), servedFrom: HTTP },
  },
  {
    id: 'LINT-COMPAT-GRANTS-MORE',
    title: 'Another client grants the named origins more',
    severity: 'medium',
    formats: ['flash', 'silverlight'],
    requirements: ['LINT-17'],
    scanners: [],
    explanation:
      'Under another client of the file\'s family, an origin the file names (or its bare domain) gets access the reference denies: a port the reference keeps out, an HTTP SWF where the reference asks for HTTPS (`secure`), a path outside the file\'s scope — or an origin the file grants may send a request header (or, for Silverlight, use a method) the file never allowed, because that client does not read the header or method rules. The operator meant less than those users grant.',
    remediation: 'Grant only what every client reads the same way: `secure` only where it is enforced by every client you serve, socket policies on port 843, exact ports rather than ranges that clients read differently; where a client sends any header, the service must not rely on a custom header as proof that the request is its own.',
    confidence: 'As exact as the profiles; a sample of probes.',
    trigger: { policy: flash('  <allow-access-from domain="www.example.com"/>'), servedFrom: 'https://api.example.com/crossdomain.xml' },
    nearMiss: { policy: flash('  <allow-access-from domain="*"/>\n  <allow-http-request-headers-from domain="*" headers="*"/>'), servedFrom: 'http://api.example.com/crossdomain.xml' },
  },
  {
    id: 'LINT-COMPAT-DENIES',
    title: 'Another client denies what the reference grants',
    severity: 'medium',
    formats: ['flash', 'silverlight'],
    requirements: ['LINT-17'],
    scanners: [],
    explanation:
      'Under another client of the file\'s family, a request the reference allows is denied: the operator\'s users of that client break. Lightspark, for one, reads `to-ports="5000-5010"` as port 5000 alone.',
    remediation: 'Write the grant in a form every client reads alike (list the ports: `to-ports="5000,5001,5002"`), or accept that the client is not served.',
    confidence: 'As exact as the profiles; a sample of probes.',
    trigger: { policy: flash('  <allow-access-from domain="*" to-ports="5000-5010"/>'), servedFrom: SOCK },
    nearMiss: { policy: flash('  <allow-access-from domain="*" to-ports="5000,5010"/>'), servedFrom: SOCK },
  },
  {
    id: 'LINT-COMPAT-SAMPLED',
    title: 'The client comparison probed a sample',
    severity: 'info',
    formats: ['flash', 'silverlight'],
    requirements: ['LINT-17'],
    scanners: [],
    explanation:
      'The comparison of clients seeds its probes from the domains, ports and paths the file writes, up to a bound (8 domains, 24 ports, 6 paths), and reads files up to 1 MiB, so that linting a large file stays quick. The file writes more, or is longer: what lies beyond the bound was not probed.',
    remediation: 'Nothing is required; decide the requests you care about with `xdpolicy decide --client all`.',
    confidence: 'Certain.',
    trigger: { policy: flash(Array.from({ length: 9 }, (_, i) => `  <allow-access-from domain="h${i + 1}.example.com"/>`).join('\n')), servedFrom: HTTPS },
    nearMiss: { policy: flash(Array.from({ length: 8 }, (_, i) => `  <allow-access-from domain="h${i + 1}.example.com"/>`).join('\n')), servedFrom: HTTPS },
  },
  // ---------------------------------------------------------------- the linter itself
  {
    id: 'LINT-CHECK-INCOMPLETE',
    title: 'A check stopped before the end',
    severity: 'info',
    formats: ['flash'],
    requirements: ['LINT-16'],
    scanners: [],
    explanation:
      'A check has a stated bound on its work, so that no policy makes lint run for hours, and this policy reached it: the shadowed-rule check compares each rule with the rules whose domain can cover it (an index by domain), at most 1,000,000 pairs in one policy. Only a policy with more than a thousand rules for one domain whose port lists do not cover one another gets there. The finding names the check and the rules it did not reach; the other checks ran in full.',
    remediation: 'Merge the rules for one domain into one `to-ports` list; a policy with thousands of rules for one domain is almost certainly generated and worth regenerating.',
    confidence: 'Certain (it reports what was not checked).',
    trigger: {
      policy: flash(Array.from({ length: 1001 }, (_, i) => `  <allow-access-from domain="*" to-ports="${2000 + 2 * i}"/>`).join('\n')),
      servedFrom: SOCK,
      shown: '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="*" to-ports="2000"/>\n  <allow-access-from domain="*" to-ports="2002"/>\n  <!-- … 1,001 rules in all, to-ports 2000, 2002, …, 4000 -->\n</cross-domain-policy>\n',
    },
    nearMiss: { policy: flash(Array.from({ length: 1001 }, (_, i) => `  <allow-access-from domain="host${i}.example.com" to-ports="${2000 + 2 * i}"/>`).join('\n')), servedFrom: SOCK, shown: '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="host0.example.com" to-ports="2000"/>\n  <allow-access-from domain="host1.example.com" to-ports="2002"/>\n  <!-- … 1,001 rules in all, each for its own host -->\n</cross-domain-policy>\n' },
  },
] as const satisfies readonly CheckInfo<string>[];

/** A finding ID of the catalogue, such as `LINT-DOMAIN-PUBLIC-SUFFIX`: the closed set of {@link CHECKS}' IDs. */
export type FindingId = (typeof CATALOGUE)[number]['id'];

/** Every check, in catalogue order (family by family). */
export const CHECKS: readonly CheckInfo[] = CATALOGUE;

/** A rule of today's scanners (the peer survey, §2), and how this catalogue covers it. */
export interface ScannerRule {
  /** `S1` … `S21`, as numbered in the peer survey. */
  id: string;
  scanner: string;
  /** What the rule looks for. */
  condition: string;
  /** How the catalogue covers it, when no single check does (detection-only rules, network lookups). */
  note?: string;
}

/** The scanner rules of the peer survey (§2); the checks that cover each are those naming it in `scanners`. */
export const SCANNER_RULES: readonly ScannerRule[] = [
  { id: 'S1', scanner: 'ZAP 20016 "Cross-Domain Misconfiguration - Adobe - Read"', condition: '`allow-access-from/@domain == "*"`' },
  { id: 'S2', scanner: 'ZAP 20016 "… - Adobe - Send"', condition: '`allow-http-request-headers-from/@domain == "*"`' },
  { id: 'S3', scanner: 'ZAP 20016 "… - Silverlight"', condition: '`domain/@uri == "*"`' },
  { id: 'S4', scanner: 'nuclei `insecure-crossdomain`', condition: 'body contains the literal `<allow-access-from domain="*"/>`', note: 'Our check reads the parsed model, so `domain="*" to-ports="*"`, single quotes and extra spaces are caught too.' },
  { id: 'S5', scanner: 'nuclei `clientaccesspolicy`', condition: 'a clientaccesspolicy.xml exists', note: 'Detection only. `xdpolicy lint` lints whatever file it is given; the Silverlight checks then judge it.' },
  { id: 'S6', scanner: 'nikto 999975', condition: 'line regex `allow-access-from\\sdomain="\\*"`' },
  { id: 'S7', scanner: 'nikto 999956', condition: 'lines with `allow-access-from` and `*.`' },
  { id: 'S8', scanner: 'nikto 999982', condition: '`<domain uri="(http://)?*"` or `<allow-http-request-headers-from domain="*"`' },
  { id: 'S9', scanner: 'nikto 999981', condition: 'a clientaccesspolicy.xml exists', note: 'Detection only; as S5.' },
  { id: 'S10', scanner: 'nmap `http-crossdomainxml`', condition: '`domain="*"`' },
  { id: 'S11', scanner: 'nmap `http-crossdomainxml`', condition: 'any other grant ("likely vulnerable", trusted-domain list)', note: 'Exact host names are not a vulnerability (an nmap maintainer noted its verdict fires even for locked-down policies, nmap #101): each registered domain other than the served host\'s is an info finding, and `--trusted` marks the expected ones; wildcards, public suffixes, IPs and local names get their own checks.' },
  { id: 'S12', scanner: 'nmap `domain-lookup`', condition: 'a trusted domain is registrable', note: 'Without network access we cannot ask a registrar: LINT-DOMAIN-REGISTERED lists the registered domains to ask about; a wildcard over a public suffix is registrable by construction.' },
  { id: 'S13', scanner: 'w3af `ria_enumerator`', condition: '`domain=="*"` / `uri=="*"`' },
  { id: 'S14', scanner: 'w3af `ria_enumerator`', condition: 'any other domain (info)', note: 'As S11: other registered domains are info findings; `xdpolicy decide` explains what a policy grants to whom.' },
  { id: 'S15', scanner: 'w3af `ria_enumerator`', condition: 'invalid XML containing policy tokens' },
  { id: 'S16', scanner: 'Arachni `insecure_cross_domain_policy_headers`', condition: 'header grant `domain` in `*`, `http://*`, `https://*`' },
  { id: 'S17', scanner: 'Arachni `insecure_client_access_policy`', condition: '`domain/@uri` in `*`, `http://*`, `https://*`' },
  { id: 'S18', scanner: 'Arachni (issue #506)', condition: 'wildcard `allow-access-from`' },
  { id: 'S19', scanner: 'Acunetix "Insecure crossdomain.xml file"', condition: 'wildcard' },
  { id: 'S20', scanner: 'Probely "Insecure crossdomain.xml policy"', condition: '`*`, and wildcard subdomains' },
  { id: 'S21', scanner: 'Burp "Flash/Silverlight cross-domain policy" (unverified)', condition: 'any-domain grants' },
];

const CHECK_BY_ID = Object.fromEntries(CHECKS.map((c) => [c.id, c])) as Readonly<Record<FindingId, CheckInfo>>;

/** The metadata of `id` (every {@link FindingId} has a row: the type is derived from the catalogue). */
export function checkInfo(id: FindingId): CheckInfo {
  return CHECK_BY_ID[id];
}

/** Every catalogue ID, in catalogue order. */
export const CHECK_IDS: readonly FindingId[] = CHECKS.map((c) => c.id);
