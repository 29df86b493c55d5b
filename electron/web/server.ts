// Browser mode: the same services behind a loopback-only HTTP server that serves the built renderer
// and carries the contract over one WebSocket per page.
//
// Who may talk to it: only a page that was opened with the per-run token. The printed URL carries
// the token in its fragment (`/#token=…`), which browsers never send to a server; the page keeps it
// in sessionStorage (scoped to this origin, port included) and sends it as the socket's first
// message. There is no cookie: cookies ignore ports, so one would reach every other service on
// 127.0.0.1. Static files need no token — they are the public build and hold nothing secret; every
// secret and every action sits behind the socket. Requests whose Host or Origin is not the exact
// loopback address we serve are refused (DNS rebinding, other pages), and a socket without an
// Origin is refused too (only our own page, which always sends one, may open it).
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Kaiwa } from '../services/index.ts';
import { CSP } from '../shared/csp.ts';
import { StreamAudience } from './audience.ts';
import { serveSocket } from './socket.ts';

export { WS_UNAUTHORIZED } from './socket.ts';

export interface WebHostOptions {
  kaiwa: Kaiwa;
  rendererDir: string;
  port: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
  /** How long a new socket may take to send its token (10 s unless a test shortens it). */
  authTimeoutMs?: number;
}

export interface WebHost {
  /** The page's address with the token in its fragment: the one URL to print. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** WebSocket frames above this are refused (the largest legitimate call is a ~2M-char message). */
const MAX_WS_PAYLOAD = 8 * 1024 * 1024;

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function refuse(res: ServerResponse, status: number, text: string): void {
  securityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

/** The built renderer, read-only, to anyone on our own origin: it holds nothing secret. */
function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    // A malformed escape (`%E0%A4%A`) would otherwise throw out of the handler and end the host.
    return refuse(res, 400, 'Bad request');
  }
  if (path === '/' || path === '') path = '/index.html';
  const file = normalize(join(root, path));
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return refuse(res, 404, 'Not found');
  securityHeaders(res);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': path === '/index.html' ? 'no-store' : 'private, max-age=3600',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = resolve(opts.rendererDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`The renderer is not built (${join(root, 'index.html')} is missing). Run "npx electron-vite build" first.`);
  }
  let port = opts.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  /** Host/Origin checks shared by HTTP and the WebSocket upgrade. */
  const originOk = (req: IncomingMessage): boolean => {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return false;
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return false;
    return true;
  };

  const server: Server = createServer((req, res) => {
    if (!originOk(req)) return refuse(res, 403, 'Forbidden: Kaiwa only answers on its own loopback address.');
    serveStatic(root, req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD });
  /** Sockets that showed the token: the only ones that get events. */
  const sockets = new Set<WebSocket>();
  const all = new Set<WebSocket>();
  /** Which of them a stream's events are for. */
  const audience = new StreamAudience<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'invalid'}`);
    // Browsers always send Origin on a WebSocket; a socket without one is not our page.
    if (url.pathname !== '/ws' || req.headers.origin === undefined || !originOk(req)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      all.add(ws);
      ws.on('close', () => {
        all.delete(ws);
        sockets.delete(ws);
        audience.forget(ws);
      });
      serveSocket(ws, {
        kaiwa: opts.kaiwa,
        token,
        authTimeoutMs: opts.authTimeoutMs,
        onAuthorized: () => sockets.add(ws),
        onReply: (name, payload, reply) => audience.noteReply(ws, name, payload, reply),
      });
    });
  });

  const unsubscribe = opts.kaiwa.subscribe((name, payload) => {
    if (sockets.size === 0) return;
    const text = JSON.stringify({ t: 'event', name, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN && audience.wants(ws, name, payload)) ws.send(text);
    audience.delivered(name, payload);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of all) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
