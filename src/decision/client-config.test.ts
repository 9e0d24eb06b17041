import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { emptyClientConfig, readClientConfig } from './client-config.js';
import { createDecider, decide } from './decide.js';
import { readRequest } from './request.js';
import type { ClientConfig, Decision, DecisionRequest } from './types.js';

const SOCKET_POLICY = '<cross-domain-policy><allow-access-from domain="*" to-ports="*"/></cross-domain-policy>\0';
const WORLD = { 'xmlsocket://b.example:843': { body: SOCKET_POLICY }, 'xmlsocket://10.0.0.5:843': { body: SOCKET_POLICY } };
const FLASH: DecisionRequest = { client: 'flash', origin: 'http://a.example/m.swf', target: 'socket://b.example:5000' };

function read(input: unknown): { config: ReturnType<typeof readClientConfig>; messages: string[] } {
  const diagnostics: Diagnostic[] = [];
  const config = readClientConfig(input, diagnostics);
  for (const d of diagnostics) expect(d.requirement).toMatch(/^CLIENT-/);
  return { config, messages: diagnostics.map((d) => d.message) };
}

describe('CLIENT-1: the client configuration is read strictly, once, with the request', () => {
  it('reads every setting into its parsed form', () => {
    const { config } = read({ deny: { ports: [25, '6000-6063'], addresses: ['10.0.0.0/8', '192.0.2.7', 'FD00::/8'] }, flash: { disableSockets: true, enableSocketsTo: ['GAME.Example.com', '127.1', '::1'] }, silverlight: { elevatedTrust: true } });
    expect(config).toEqual({
      deny: {
        ports: [{ from: 25, to: 25 }, { from: 6000, to: 6063 }],
        addresses: [
          { text: '10.0.0.0/8', kind: 'ipv4', address: '10.0.0.0', prefix: 8 },
          { text: '192.0.2.7', kind: 'ipv4', address: '192.0.2.7', prefix: 32 },
          { text: 'FD00::/8', kind: 'ipv6', address: 'fd00::', prefix: 8 },
        ],
      },
      flash: { disableSockets: true, enableSocketsTo: ['game.example.com', '127.0.0.1', '[::1]'] },
      silverlight: { elevatedTrust: true },
    });
    expect(read({}).config).toEqual(emptyClientConfig());
  });

  it.each<[unknown, string]>([
    [[], '(the configuration): must be an object'],
    [{ deny: { port: [25] } }, 'deny.port: unknown setting'],
    [{ flash: { disableSocket: true } }, 'flash.disableSocket: unknown setting (expected flash.disableSockets, flash.enableSocketsTo)'],
    [{ firefox: {} }, 'firefox: unknown setting'],
    [{ deny: { ports: 25 } }, 'deny.ports: must be an array'],
    [{ deny: { ports: [0] } }, 'deny.ports[0]: 0: a port lies from 1 to 65535'],
    [{ deny: { ports: [70000] } }, 'deny.ports[0]: 70000: a port lies from 1 to 65535'],
    [{ deny: { ports: [25.5] } }, 'deny.ports[0]: 25.5 is not a port number'],
    [{ deny: { ports: ['9-3'] } }, 'deny.ports[0]: "9-3" is a reversed range (9 > 3)'],
    [{ deny: { ports: ['25,80'] } }, 'deny.ports[0]: "25,80" is not a port number'],
    [{ deny: { addresses: ['10.1.0.0/8'] } }, 'deny.addresses[0]: "10.1.0.0/8" has host bits set below /8; did you mean "10.0.0.0/8"?'],
    [{ deny: { addresses: ['10.1'] } }, 'deny.addresses[0]: "10.1" is not an IPv4 address'],
    [{ deny: { addresses: ['10.0.0.0/33'] } }, 'the prefix length must be a number from 0 to 32'],
    [{ deny: { addresses: [8] } }, 'deny.addresses[0]: must be an IP address or a CIDR range'],
    [{ flash: { disableSockets: 1 } }, 'flash.disableSockets: must be true or false, not 1'],
    [{ flash: { enableSocketsTo: ['a b'] } }, 'flash.enableSocketsTo[0]:'],
    [{ silverlight: { elevatedTrust: 'yes' } }, 'silverlight.elevatedTrust: must be true or false, not "yes"'],
  ])('rejects %j naming the setting', (input, message) => {
    const { config, messages } = read(input);
    expect(config).toBeNull();
    expect(messages.join('\n')).toContain(message);
  });

  it('keeps a __proto__ key as the unknown setting it is', () => {
    expect(read(JSON.parse('{"__proto__": {"elevatedTrust": true}}')).messages.join()).toContain('__proto__: unknown setting');
  });

  it('a request whose configuration cannot be read is denied with an invalid-request step naming CLIENT-1', () => {
    const r = readRequest({ ...FLASH, clientConfig: { deny: { ports: ['x'] } } });
    expect(r).toMatchObject({ request: null, failed: 'clientConfig' });
    expect(r.diagnostics[0]?.message).toContain('clientConfig.deny.ports[0]');
    const d = decide({ ...FLASH, clientConfig: { deny: { ports: ['x'] } } as unknown as ClientConfig }, WORLD);
    expect(d.decision).toBe('deny');
    expect(d.trace.map((t) => t.step)).toEqual(['invalid-request', 'deny']);
    expect(d.decidedBy.requirements).toEqual(['CLIENT-1']);
  });

  it('never throws on any configuration', () => {
    fc.assert(
      fc.property(fc.anything(), (clientConfig) => {
        expect(['allow', 'deny']).toContain(decide({ ...FLASH, clientConfig } as DecisionRequest, WORLD).decision);
      }),
      { numRuns: 300 },
    );
  });
});

describe('CLIENT-2: the configuration decides before any policy, and the trace names the setting', () => {
  const steps = (d: Decision): string[] => d.trace.map((t) => `${t.step}${t.setting ? `:${t.setting}` : ''}`);
  it('CLIENT-3 a denied port is one blocked step naming deny.ports, and no location is fetched', () => {
    const d = decide({ ...FLASH, clientConfig: { deny: { ports: ['4000-6000'] } } }, WORLD);
    expect(d.decision).toBe('deny');
    expect(steps(d)).toEqual(['blocked:deny.ports', 'deny']);
    expect(d.decidedBy).toEqual({ location: null, rule: null, requirements: ['CLIENT-3'] });
    expect(decide(FLASH, WORLD).decision).toBe('allow');
  });
  it('CLIENT-4 a denied address is one blocked step naming deny.addresses; names are not resolved', () => {
    const target = 'socket://10.0.0.5:5000';
    expect(steps(decide({ ...FLASH, target, clientConfig: { deny: { addresses: ['10.0.0.0/24'] } } }, WORLD))).toEqual(['blocked:deny.addresses', 'deny']);
    expect(decide({ ...FLASH, target, clientConfig: { deny: { addresses: ['10.0.1.0/24', 'fd00::/8'] } } }, WORLD).decision).toBe('allow');
    expect(decide({ ...FLASH, clientConfig: { deny: { addresses: ['0.0.0.0/0', '::/0'] } } }, WORLD).decision).toBe('allow');
  });
  it('CLIENT-5 CLIENT-6 DisableSockets blocks; a host in EnableSocketsTo is noted and then decided by its policy', () => {
    expect(steps(decide({ ...FLASH, clientConfig: { flash: { disableSockets: true } } }, WORLD))).toEqual(['blocked:flash.disableSockets', 'deny']);
    const listed = decide({ ...FLASH, clientConfig: { flash: { disableSockets: true, enableSocketsTo: ['b.example'] } } }, WORLD);
    expect(listed.decision).toBe('allow');
    expect(steps(listed)[0]).toBe('note:flash.enableSocketsTo');
    expect(steps(listed)).toContain('fetch');
    // Data loads are not sockets.
    const world = { 'http://b.example/crossdomain.xml': { body: '<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>', contentType: 'text/xml' } };
    expect(decide({ ...FLASH, target: 'http://b.example/x', clientConfig: { flash: { disableSockets: true } } }, world).decision).toBe('allow');
  });
  it('CLIENT-8 CLIENT-9 elevated trust is one trusted step, for sockets on any port and for HTTP; the deny list still comes first', () => {
    const sl = { client: 'silverlight' as const, origin: 'http://a.example/app.xap' };
    for (const [target, requirement] of [['socket://c.example:22', 'CLIENT-8'], ['http://c.example/data.xml', 'CLIENT-9']] as const) {
      const d = decide({ ...sl, target, clientConfig: { silverlight: { elevatedTrust: true } } }, {});
      expect(d.decision, target).toBe('allow');
      expect(steps(d), target).toEqual(['trusted:silverlight.elevatedTrust', 'allow']);
      expect(d.decidedBy.requirements).toEqual([requirement]);
      expect(decide({ ...sl, target }, {}).decision, target).toBe('deny');
    }
    expect(steps(decide({ ...sl, target: 'socket://c.example:22', clientConfig: { deny: { ports: [22] }, silverlight: { elevatedTrust: true } } }, {}))).toEqual(['blocked:deny.ports', 'deny']);
  });
  it('the same configuration is read once and decided the same by decide and a decider', () => {
    const request = { ...FLASH, clientConfig: { flash: { disableSockets: true, enableSocketsTo: ['b.example'] } } };
    expect(createDecider(WORLD).decide(request)).toEqual(decide(request, WORLD));
  });
});
