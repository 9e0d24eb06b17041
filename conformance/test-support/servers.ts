/**
 * Fixture servers for the harness's own tests (loopback only, test-only code): a minimal correct
 * Flash/Silverlight socket policy server, and hostile ones — stream forever, never answer, drip a
 * byte a second, reset, answer garbage, answer and never end the answer. Every one is bounded: it
 * stops when closed, and closing destroys its sockets.
 *
 * @module
 */
import { createServer, type Server, type Socket } from 'node:net';
import { parseCertifyTarget, type Target } from '../target.js';

/**
 * The kinds of fixture server. `unterminated` answers the Flash request with a complete policy
 * document but no NUL and never closes; `unterminated-silverlight` answers the Silverlight request
 * with its policy and never closes: a client reading until the NUL or the close gets nothing.
 * `policy` answers the Flash request with the policy given in the options.
 */
export type FixtureKind = 'good' | 'good-silverlight' | 'stream' | 'silent' | 'drip' | 'reset' | 'garbage' | 'on-connect' | 'unterminated' | 'unterminated-silverlight' | 'policy';

/** A running fixture. */
export interface Fixture {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** A small valid Flash socket policy. */
export const FIXTURE_FLASH_POLICY =
  '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="www.example.com" to-ports="4502-4534"/>\n</cross-domain-policy>\n';
/** A small valid Silverlight policy. */
export const FIXTURE_SILVERLIGHT_POLICY =
  '<?xml version="1.0" encoding="utf-8"?>\n<access-policy><cross-domain-access><policy><allow-from><domain uri="http://www.example.com"/></allow-from><grant-to><socket-resource port="4502-4534" protocol="tcp"/></grant-to></policy></cross-domain-access></access-policy>\n';

const FLASH_REQUEST = '<policy-file-request/>\u0000';
const SL_REQUEST = '<policy-file-request/>';

/** Starts a fixture on 127.0.0.1 (a free port). */
export async function startFixture(kind: FixtureKind, options: { idleMs?: number; policy?: string } = {}): Promise<Fixture> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const idleMs = options.idleMs ?? 2000;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    switch (kind) {
      case 'good':
      case 'good-silverlight':
      case 'policy': {
        // Accumulates the request across reads, answers exactly its client's request, and closes
        // every connection after an absolute deadline (a dripping client does not extend it).
        const [request, answer] = kind === 'good-silverlight' ? [SL_REQUEST, FIXTURE_SILVERLIGHT_POLICY] : [FLASH_REQUEST, `${kind === 'policy' ? (options.policy ?? FIXTURE_FLASH_POLICY) : FIXTURE_FLASH_POLICY}\u0000`];
        let buf = '';
        const deadline = setTimeout(() => socket.destroy(), idleMs);
        timers.add(deadline);
        socket.on('close', () => clearTimeout(deadline));
        socket.on('data', (chunk) => {
          buf += chunk.toString('latin1');
          if (buf.startsWith(request)) socket.end(answer);
          else if (!request.startsWith(buf)) socket.destroy();
        });
        break;
      }
      case 'unterminated':
      case 'unterminated-silverlight': {
        const [request, answer] = kind === 'unterminated' ? [FLASH_REQUEST, FIXTURE_FLASH_POLICY] : [SL_REQUEST, FIXTURE_SILVERLIGHT_POLICY];
        let buf = '';
        socket.on('data', (chunk) => {
          buf += chunk.toString('latin1');
          if (buf === request) socket.write(answer);
        });
        break;
      }
      case 'on-connect':
        socket.end(FIXTURE_FLASH_POLICY);
        break;
      case 'stream': {
        const chunk = Buffer.alloc(16 * 1024, 'x');
        const pump = (): void => {
          while (!socket.destroyed && socket.write(chunk));
        };
        socket.on('drain', pump);
        socket.once('data', pump);
        break;
      }
      case 'silent':
        socket.on('data', () => {});
        break;
      case 'drip': {
        const bytes = Buffer.from(`${FIXTURE_FLASH_POLICY}\u0000`);
        let i = 0;
        socket.once('data', () => {
          const t = setInterval(() => {
            if (socket.destroyed || i >= bytes.length) return clearInterval(t);
            socket.write(bytes.subarray(i, i + 1));
            i++;
          }, 1000);
          timers.add(t);
        });
        break;
      }
      case 'reset':
        socket.once('data', () => socket.resetAndDestroy());
        break;
      case 'garbage':
        socket.once('data', () => socket.end(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x3c, 0x3f, 0x00, 0x01, 0xff])));
        break;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `xmlsocket://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The certify target of a URL the tests built themselves (test code: throws when it does not parse). */
export function testTarget(url: string): Target {
  const t = parseCertifyTarget(url);
  if (!t.ok) throw new Error(t.reason);
  return t.value;
}
