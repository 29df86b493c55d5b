// Browser mode: the same services behind a loopback-only HTTP server that serves the built renderer
// and carries the contract over one WebSocket per page.
//
// Who may talk to it: only a page that was opened with the per-run token (the URL printed at
// start). The token is exchanged for an HttpOnly SameSite=Strict cookie on the first page load and
// is required for every asset and for the socket. Requests whose Host or Origin is not the exact
// loopback address we serve are refused, which defeats DNS-rebinding pages.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Kaiwa } from '../services/index.ts';
import { CSP } from '../shared/csp.ts';

export interface WebHostOptions {
  kaiwa: Kaiwa;
  rendererDir: string;
  port: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

export interface WebHost {
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

const COOKIE = 'kaiwa_token';
/** WebSocket frames above this are refused (the largest legitimate call is a ~2M-char message). */
const MAX_WS_PAYLOAD = 8 * 1024 * 1024;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  const raw = req.headers.cookie;
  if (!raw) return null;
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
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

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    const q = url.searchParams.get('token');
    if (q && safeEqual(q, token)) return true;
    const c = cookieToken(req);
    return c !== null && safeEqual(c, token);
  };

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  };

  const refuse = (res: ServerResponse, status: number, text: string) => {
    securityHeaders(res);
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(text);
  };

  const server: Server = createServer((req, res) => {
    if (!originOk(req)) return refuse(res, 403, 'Forbidden: Kaiwa only answers on its own loopback address.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (!authorized(req, url)) {
      return refuse(res, 401, 'Kaiwa: this page needs the token from the URL printed by "npm run web" (Kaiwa ready: …).');
    }
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
    const headers: Record<string, string> = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' };
    if (path === '/index.html') {
      headers['Cache-Control'] = 'no-store';
      headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    } else {
      headers['Cache-Control'] = 'private, max-age=3600';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'invalid'}`);
    if (url.pathname !== '/ws' || !originOk(req) || !authorized(req, url)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // An oversized or broken frame makes `ws` close the socket and emit 'error': without a
      // listener that error would end the whole host process.
      ws.on('error', (err) => opts.kaiwa.log.warn('a WebSocket was closed after a protocol error', err));
      ws.on('message', (raw, isBinary) => {
        if (isBinary) return ws.close(1003, 'text only');
        let msg: { t?: unknown; id?: unknown; name?: unknown; payload?: unknown };
        try {
          msg = JSON.parse(raw.toString()) as typeof msg;
        } catch {
          return ws.send(JSON.stringify({ t: 'result', id: null, result: { ok: false, error: { code: 'invalid_request', message: 'Not JSON.' } } }));
        }
        if (!msg || typeof msg !== 'object' || msg.t !== 'call' || (typeof msg.id !== 'number' && typeof msg.id !== 'string')) {
          return ws.send(JSON.stringify({ t: 'result', id: null, result: { ok: false, error: { code: 'invalid_request', message: 'Malformed message.' } } }));
        }
        const id = msg.id;
        void opts.kaiwa.dispatch(msg.name, msg.payload).then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'result', id, result }));
        });
      });
    });
  });

  const unsubscribe = opts.kaiwa.subscribe((name, payload) => {
    if (sockets.size === 0) return;
    const text = JSON.stringify({ t: 'event', name, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
