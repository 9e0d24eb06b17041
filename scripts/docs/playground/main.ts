/**
 * The playground page script. It imports the library from the package root, `xdpolicy`, as any
 * user would (scripts/docs/playground-build.ts bundles it for the browser, with no stand-ins for
 * Node.js modules: the root has none to stand in for).
 *
 * The page keeps no state of its own beyond the form: every change re-parses the policy, re-lints
 * it and re-decides each cell of the matrix from a world snapshot holding only this policy.
 *
 * @module
 */
import { createDecider, decideProfiles, lintText, parseFlashPolicy, parseSilverlightPolicy, PROFILE_NAMES, profileFamily, profilesOf } from 'xdpolicy';
import type { ClientProfile, Decision, DecisionRequest, Diagnostic, Finding, ProfileName, WorldSnapshot } from 'xdpolicy';

/** The library functions the page runs, named in its status line. */
const PLAYGROUND_FUNCTIONS = ['parseFlashPolicy', 'parseSilverlightPolicy', 'lintText', 'decide', 'decideProfiles'] as const;

// The project type-checks with Node's types only (no DOM lib, so that server code keeps Node's
// timer types); the little of the DOM this page uses is declared here instead.
interface El {
  innerHTML: string;
  textContent: string | null;
  value: string;
  dataset: Record<string, string | undefined>;
  classList: { add(c: string): void; remove(c: string): void };
  addEventListener(type: string, fn: (ev: { target: unknown }) => void): void;
  querySelectorAll(sel: string): { forEach(fn: (e: El) => void): void };
  closest(sel: string): El | null;
  add(option: unknown): void;
}
declare const document: {
  readyState: string;
  body: El;
  getElementById(id: string): El | null;
  addEventListener(type: string, fn: () => void): void;
};
declare const Option: new (text: string, value: string) => unknown;
declare const location: { hash: string };
declare const history: { replaceState(data: unknown, unused: string, url: string): void };
type HTMLElement = El;
type HTMLSelectElement = El;
type HTMLInputElement = El;
type HTMLTextAreaElement = El;
type HTMLLabelElement = El;

/** Build-time data the page carries in `<script id="xd-data">`. */
interface PageData {
  /** Requirement ID → link to its spec anchor. */
  requirements: Record<string, string>;
  /** Finding ID (anchor of the catalogue) → link. */
  findings: Record<string, string>;
}

type Kind = 'socket' | 'url';

interface Preset {
  name: string;
  client: ProfileName;
  kind: Kind;
  origins: string[];
  columns: string;
  policy: string;
}

const FLASH_ORIGINS = ['http://app.example.com/game.swf', 'https://app.example.com/game.swf', 'http://example.com/game.swf', 'http://partner.example.net/x.swf', 'http://evil.test/attack.swf'];
const SL_ORIGINS = ['http://app.example.com/app.xap', 'https://app.example.com/app.xap', 'http://example.com/app.xap', 'http://evil.test/attack.xap'];

/** Examples to start from; each shows one thing the matrix makes visible. */
export const PRESETS: readonly Preset[] = [
  {
    name: 'Flash socket policy: one game server',
    client: 'flash',
    kind: 'socket',
    origins: FLASH_ORIGINS,
    columns: '80, 443, 843, 1023, 1024, 9000, 9005, 9011',
    policy: `<?xml version="1.0"?>
<cross-domain-policy>
  <site-control permitted-cross-domain-policies="master-only"/>
  <allow-access-from domain="*.example.com" to-ports="9000-9010"/>
  <allow-access-from domain="partner.example.net" to-ports="9005"/>
</cross-domain-policy>
`,
  },
  {
    name: 'Flash socket policy: wide open (do not deploy)',
    client: 'flash',
    kind: 'socket',
    origins: FLASH_ORIGINS,
    columns: '21, 22, 25, 80, 443, 3306, 6379, 9000',
    policy: `<?xml version="1.0"?>
<cross-domain-policy>
  <allow-access-from domain="*" to-ports="*"/>
</cross-domain-policy>
`,
  },
  {
    name: 'Flash crossdomain.xml for an API',
    client: 'flash',
    kind: 'url',
    origins: FLASH_ORIGINS,
    columns: '/crossdomain.xml, /api/v1/items.json, /media/intro.flv, /admin/',
    policy: `<?xml version="1.0"?>
<cross-domain-policy>
  <site-control permitted-cross-domain-policies="master-only"/>
  <allow-access-from domain="*.example.com"/>
  <allow-access-from domain="partner.example.net" secure="false"/>
  <allow-http-request-headers-from domain="*.example.com" headers="SOAPAction,X-Requested-With"/>
</cross-domain-policy>
`,
  },
  {
    name: 'Hostile: a DOCTYPE entity that spells "*"',
    client: 'flash',
    kind: 'socket',
    origins: FLASH_ORIGINS,
    columns: '80, 843, 9000',
    policy: `<?xml version="1.0"?>
<!DOCTYPE cross-domain-policy [ <!ENTITY w "*"> ]>
<cross-domain-policy>
  <allow-access-from domain="&w;" to-ports="*"/>
</cross-domain-policy>
`,
  },
  {
    name: 'Silverlight socket policy (port 943)',
    client: 'silverlight',
    kind: 'socket',
    origins: SL_ORIGINS,
    columns: '80, 943, 4501, 4502, 4506, 4507, 4534, 4535',
    policy: `<?xml version="1.0" encoding="utf-8"?>
<access-policy>
  <cross-domain-access>
    <policy>
      <allow-from>
        <domain uri="http://app.example.com"/>
      </allow-from>
      <grant-to>
        <socket-resource port="4502-4506" protocol="tcp"/>
      </grant-to>
    </policy>
  </cross-domain-access>
</access-policy>
`,
  },
  {
    name: 'Silverlight clientaccesspolicy.xml for an API',
    client: 'silverlight',
    kind: 'url',
    origins: SL_ORIGINS,
    columns: '/api/v1/items, /api, /apiv2/x, /private/data',
    policy: `<?xml version="1.0" encoding="utf-8"?>
<access-policy>
  <cross-domain-access>
    <policy>
      <allow-from http-request-headers="SOAPAction">
        <domain uri="http://*.example.com"/>
      </allow-from>
      <grant-to>
        <resource path="/api/" include-subpaths="true"/>
      </grant-to>
    </policy>
  </cross-domain-access>
</access-policy>
`,
  },
];

function esc(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: #${id} missing from the page`);
  return el as T;
}

/** Where the policy sits in the world for this client and kind (the master location). */
export function policyLocation(client: ClientProfile, kind: Kind, host: string): string {
  if (kind === 'socket') return `xmlsocket://${host}:${client === 'flash' ? 843 : 943}`;
  return `http://${host}/${client === 'flash' ? 'crossdomain.xml' : 'clientaccesspolicy.xml'}`;
}

/** The world snapshot in which only this policy is served. */
export function worldFor(client: ClientProfile, kind: Kind, host: string, policy: string): WorldSnapshot {
  const location = policyLocation(client, kind, host);
  if (kind === 'socket') return { [location]: { body: client === 'flash' ? `${policy}\0` : policy } };
  return { [location]: { body: policy, status: 200, contentType: client === 'flash' ? 'text/x-cross-domain-policy' : 'text/xml' } };
}

/** The matrix's column targets: `socket://host:port` per port, or `http://host/path` per path. */
export function targetsFor(kind: Kind, host: string, columns: string): { label: string; target: string }[] {
  return columns
    .split(/[\s,]+/)
    .filter((c) => c !== '')
    .map((c) => (kind === 'socket' ? { label: c, target: `socket://${host}:${c}` } : { label: c, target: `http://${host}${c.startsWith('/') ? c : `/${c}`}` }));
}

/** Wires up the page. Called once by the bundle's entry. */
export function startPlayground(): void {
  const run = (): void => {
    try {
      setup();
    } catch (err) {
      const status = document.getElementById('pg-status');
      if (status) status.textContent = `The playground failed to start: ${(err as Error).message}`;
    }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
}

function setup(): void {
  const dataEl = document.getElementById('xd-data');
  const data: PageData = dataEl?.textContent ? (JSON.parse(dataEl.textContent) as PageData) : { requirements: {}, findings: {} };
  const preset = byId<HTMLSelectElement>('pg-preset');
  const client = byId<HTMLSelectElement>('pg-client');
  const kind = byId<HTMLSelectElement>('pg-kind');
  const host = byId<HTMLInputElement>('pg-host');
  const origins = byId<HTMLTextAreaElement>('pg-origins');
  const columns = byId<HTMLInputElement>('pg-columns');
  const columnsLabel = byId<HTMLLabelElement>('pg-columns-label');
  const policy = byId<HTMLTextAreaElement>('pg-policy');
  const locationEl = byId('pg-location');
  const status = byId('pg-status');
  const matrixEl = byId('pg-matrix');
  const traceEl = byId('pg-trace');
  const diagEl = byId('pg-diagnostics');
  const findingsEl = byId('pg-findings');
  const compareEl = byId('pg-compare');
  let renders = 0;
  let decisions: Decision[][] = [];

  const reqLink = (id: string | undefined): string => (id ? (data.requirements[id] ? `<a class="req-ref" href="${esc(data.requirements[id])}">${esc(id)}</a>` : `<code>${esc(id)}</code>`) : '');
  const findingLink = (id: string | undefined): string => (id ? (data.findings[id] ? `<a href="${esc(data.findings[id])}"><code>${esc(id)}</code></a>` : `<code>${esc(id)}</code>`) : '');

  PRESETS.forEach((p, i) => preset.add(new Option(p.name, String(i))));
  const applyPreset = (p: Preset): void => {
    client.value = p.client;
    kind.value = p.kind;
    origins.value = p.origins.join('\n');
    columns.value = p.columns;
    policy.value = p.policy;
  };
  applyPreset(PRESETS[0]!);

  // The form lives in the URL's fragment, so that a link shows someone else the same matrix.
  const encodeState = (): string => {
    const state = { c: client.value, k: kind.value, h: host.value, o: origins.value, x: columns.value, p: policy.value };
    // One character per byte, appended in a loop: spreading the bytes into fromCharCode would
    // overflow the stack for a large pasted policy (src/collections.ts).
    let binary = '';
    for (const byte of new TextEncoder().encode(JSON.stringify(state))) binary += String.fromCharCode(byte);
    return btoa(binary);
  };
  const restoreState = (): void => {
    const m = /^#s=([A-Za-z0-9+/=]+)$/.exec(location.hash);
    if (!m?.[1]) return;
    try {
      const bytes = Uint8Array.from(atob(m[1]), (ch) => ch.charCodeAt(0));
      const state = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);
      const named = str(state['c'], client.value);
      client.value = (PROFILE_NAMES as readonly string[]).includes(named) ? named : 'flash';
      kind.value = str(state['k'], kind.value) === 'url' ? 'url' : 'socket';
      host.value = str(state['h'], host.value);
      origins.value = str(state['o'], origins.value);
      columns.value = str(state['x'], columns.value);
      policy.value = str(state['p'], policy.value);
    } catch {
      // a damaged link: keep the first example
    }
  };
  restoreState();

  const parse = (c: ClientProfile, k: Kind, text: string): Diagnostic[] =>
    c === 'flash' ? parseFlashPolicy(text, { kind: k, scheme: 'http', master: true }).diagnostics : parseSilverlightPolicy(text).diagnostics;

  const render = (): void => {
    // The profile followed, and its family: where the policy is served and which parser reads it.
    const profile = ((PROFILE_NAMES as readonly string[]).includes(client.value) ? client.value : 'flash') as ProfileName;
    const c: ClientProfile = profileFamily(profile);
    const k = kind.value as Kind;
    const h = host.value.trim() || 'example.com';
    const text = policy.value;
    const location = policyLocation(c, k, h);
    locationEl.textContent = location;
    columnsLabel.textContent = k === 'socket' ? 'Ports' : 'Paths';
    traceEl.innerHTML = '';

    // Parse diagnostics.
    const parserName = c === 'flash' ? 'parseFlashPolicy' : 'parseSilverlightPolicy';
    try {
      const diagnostics = parse(c, k, text);
      if (diagnostics.length === 0) diagEl.innerHTML = `<p class="note">No diagnostics: the policy parses cleanly.</p>`;
      else
        diagEl.innerHTML = `<ul class="findings">${diagnostics
          .map(
            (d) =>
              `<li><span class="sev sev-${esc(d.severity)}">${esc(d.severity)}</span> <span class="where">${esc(d.line)}:${esc(d.column)}</span> ${esc(d.message)} ${reqLink(d.requirement)} <span class="note">${esc(d.code)}</span></li>`,
          )
          .join('')}</ul>`;
    } catch (err) {
      diagEl.innerHTML = `<p class="problem">${esc(parserName)} threw: ${esc((err as Error).message)}</p>`;
    }

    // Lint findings.
    try {
      // lint's options (LintOptions): where the file is served fixes which rules apply.
      const served = worldFor(c, k, h, text)[location];
      const context = { servedFrom: location, client: c, ...(served?.contentType ? { contentType: served.contentType } : {}) };
      const findings: Finding[] = lintText(text, context);
      if (findings.length === 0) findingsEl.innerHTML = `<p class="note">No findings.</p>`;
      else
        findingsEl.innerHTML = `<ul class="findings">${findings
          .map(
            (f) =>
              `<li><span class="sev sev-${esc(f.severity)}">${esc(f.severity)}</span> <span class="where">${esc(f.line)}:${esc(f.column)}</span> ${esc(f.message)} ${findingLink(f.id)}${f.requirement ? ` ${reqLink(f.requirement)}` : ''}${f.value ? ` <span class="note">value: <code>${esc(f.value)}</code></span>` : ''}</li>`,
          )
          .join('')}</ul>`;
    } catch (err) {
      findingsEl.innerHTML = `<p class="problem">lint threw: ${esc((err as Error).message)}</p>`;
    }

    // Decision matrix.
    const originList = origins.value.split(/\s+/).filter((o) => o !== '');
    const targets = targetsFor(k, h, columns.value);
    decisions = [];
    const world = worldFor(c, k, h, text);
    // One decider for the whole matrix: the world is indexed once, each policy compiled once.
    const decider = createDecider(world);
    let allowed = 0;
    const rows = originList.map((origin, r) => {
      decisions[r] = [];
      const cells = targets.map((t, col) => {
        try {
          const request: DecisionRequest = { client: profile, origin, target: t.target };
          const d = decider.decide(request);
          decisions[r]![col] = d;
          if (d.decision === 'allow') allowed++;
          return `<td class="${d.decision === 'allow' ? 'allow' : 'deny'}" data-row="${r}" data-col="${col}" data-decision="${esc(d.decision)}" title="${esc(d.reason)}">${d.decision === 'allow' ? 'allow' : 'deny'}</td>`;
        } catch (err) {
          return `<td class="error" data-decision="error" title="${esc((err as Error).message)}">error</td>`;
        }
      });
      return `<tr><th scope="row">${esc(origin)}</th>${cells.join('')}</tr>`;
    });
    matrixEl.innerHTML = `<div class="table-wrap"><table class="matrix" id="pg-matrix-table"><thead><tr><th>origin \\ ${k === 'socket' ? 'port' : 'path'}</th>${targets
      .map((t) => `<th scope="col">${esc(t.label)}</th>`)
      .join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div><p class="note">${allowed} of ${originList.length * targets.length} allowed for <strong>${esc(profile)}</strong>, with only <code>${esc(
      location,
    )}</code> answering. Click a cell for its trace.</p>`;
    // Compare clients: every profile of the family over the same cells.
    try {
      const family = profilesOf(c);
      let differing = 0;
      const compareRows = originList.map((origin) => {
        const cells = targets.map((t) => {
          const all = decideProfiles({ origin, target: t.target }, world, family);
          const ref = all[c];
          const departs = family.filter((p) => p !== c && all[p]?.decision !== ref?.decision);
          if (departs.length > 0) differing++;
          const title = family.map((p) => `${p}: ${all[p]?.decision ?? '?'} — ${all[p]?.reason ?? ''}`).join('\n');
          const text = departs.length === 0 ? `all ${esc(ref?.decision ?? '')}` : `${esc(c)} ${esc(ref?.decision ?? '')}; ${departs.map((p) => `${esc(p)} ${esc(all[p]?.decision ?? '')}`).join(', ')}`;
          return `<td class="${departs.length > 0 ? 'differ' : ref?.decision === 'allow' ? 'allow' : 'deny'}" data-profiles="${esc(family.map((p) => `${p}=${all[p]?.decision ?? ''}`).join(' '))}" title="${esc(title)}">${text}</td>`;
        });
        return `<tr><th scope="row">${esc(origin)}</th>${cells.join('')}</tr>`;
      });
      compareEl.innerHTML = `<div class="table-wrap"><table class="matrix" id="pg-compare-table"><thead><tr><th>origin \\ ${k === 'socket' ? 'port' : 'path'}</th>${targets
        .map((t) => `<th scope="col">${esc(t.label)}</th>`)
        .join('')}</tr></thead><tbody>${compareRows.join('')}</tbody></table></div><p class="note" id="pg-compare-summary">${differing === 0 ? `${esc(family.join(', '))} agree on every cell.` : `${differing} of ${originList.length * targets.length} cells differ between ${esc(family.join(', '))}.`}</p>`;
    } catch (err) {
      compareEl.innerHTML = `<p class="problem">decideProfiles threw: ${esc((err as Error).message)}</p>`;
    }
    renders++;
    document.body.dataset['pgRenders'] = String(renders);
    history.replaceState(null, '', `#s=${encodeState()}`);
    status.textContent = `Evaluated in your browser with: ${PLAYGROUND_FUNCTIONS.join(', ')} (imported from xdpolicy). The address bar holds this form: copy it to share.`;
  };

  matrixEl.addEventListener('click', (ev) => {
    const cell = (ev.target as HTMLElement).closest('td[data-row]') as HTMLElement | null;
    if (!cell) return;
    matrixEl.querySelectorAll('td.selected').forEach((e) => e.classList.remove('selected'));
    cell.classList.add('selected');
    const d = decisions[Number(cell.dataset['row'])]?.[Number(cell.dataset['col'])];
    if (!d) return;
    traceEl.innerHTML = `<h3>${esc(d.origin)} → ${esc(d.target)}: <span class="verdict-${esc(d.decision)}">${esc(d.decision)}</span></h3><p>${esc(d.reason)}</p><ol>${(d.trace ?? [])
      .map(
        (t) =>
          `<li><strong>${esc(t.step)}</strong>${t.location ? ` <code>${esc(t.location)}</code>` : ''}${t.answered ? ` answered ${esc(t.answered)}` : ''}: ${esc(t.why)} ${(t.requirements ?? []).map((id) => reqLink(id)).join(' ')}</li>`,
      )
      .join('')}</ol>`;
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(render, 120);
  };
  preset.addEventListener('change', () => {
    applyPreset(PRESETS[Number(preset.value)]!);
    render();
  });
  for (const el of [client, kind]) el.addEventListener('change', render);
  for (const el of [host, origins, columns, policy]) el.addEventListener('input', schedule);
  render();
  document.body.dataset['pgReady'] = 'true';
}
