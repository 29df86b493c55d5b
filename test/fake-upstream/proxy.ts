// A tiny HTTP forward proxy on 127.0.0.1 for tests: it records every request it is asked to carry
// and forwards absolute-form requests (`GET http://host:port/path HTTP/1.1`), which is what undici's
// ProxyAgent sends for http:// targets with `proxyTunnel: false`. CONNECT (tunnelling) is recorded
// and, unless `tunnels` (below) names the host, refused, so a client that tunnels instead shows up as a failure, not as a silent pass.
// Only loopback destinations are forwarded; `aliases` lets a test name a real-looking host (a
// provider's workspace host) that the proxy carries to a loopback port, so no name is ever resolved.
//
// `tunnels` is the https counterpart. Kaiwa sends a key only to the origin it was saved for and
// never through a proxy to a plain http:// address, so the only way a test can see a request for a
// real provider host (https://api-inference.modelscope.ai, a Model Studio workspace host) arrive at
// the fake upstream is the way it travels in real life: a CONNECT tunnel to `host:443` and TLS
// inside it. For the host names listed, the proxy accepts the tunnel and plays that host's TLS end
// itself, with a certificate for those names (self-signed.ts `throwawayCa`, whose CA only the
// process under test trusts), then passes the decrypted HTTP to a loopback port — the fake upstream.
// Kaiwa's certificate check stays on; other CONNECTs are still refused.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';

export interface ProxiedRequest {
  method: string;
  /** The request target as the client sent it: absolute-form (`http://…`) or `host:port` for CONNECT. */
  target: string;
  headers: Record<string, string>;
}

export interface TlsTunnels {
  /** Host name → loopback port that gets the decrypted requests for it (the fake upstream's). */
  to: Record<string, number>;
  /** Key and certificate presented for those names (self-signed.ts `throwawayCa`). */
  key: string;
  cert: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class TestProxy {
  readonly requests: ProxiedRequest[] = [];
  private server!: Server;
  private sockets = new Set<Socket>();
  port = 0;

  static async start(aliases: Record<string, number> = {}, tunnels?: TlsTunnels): Promise<TestProxy> {
    const p = new TestProxy();
    const secureContext = tunnels ? createSecureContext({ key: tunnels.key, cert: tunnels.cert }) : null;
    p.server = createServer((req, res) => {
      p.record(req);
      let target: URL;
      try {
        target = new URL(req.url ?? '');
      } catch {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('test proxy: expected an absolute-form request');
        return;
      }
      const alias = aliases[target.hostname];
      if (alias !== undefined) target = new URL(`http://127.0.0.1:${alias}${target.pathname}${target.search}`);
      if (target.protocol !== 'http:' || !LOOPBACK.has(target.hostname)) {
        res.writeHead(502, { 'Content-Type': 'text/plain' }).end('test proxy: only http:// loopback targets');
        return;
      }
      const headers = { ...req.headers };
      delete headers['proxy-connection'];
      delete headers['proxy-authorization'];
      const up = httpRequest(
        { host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || 80, path: `${target.pathname}${target.search}`, method: req.method, headers },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end();
      });
      // The client gave up (Stop, timeout): stop the upstream request too.
      res.on('close', () => up.destroy());
      req.pipe(up);
    });
    p.server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      p.record(req);
      const [host = '', port] = (req.url ?? '').split(':');
      const to = port === '443' ? tunnels?.to[host.toLowerCase()] : undefined;
      // A client that starts TLS before the proxy's answer is not one Kaiwa uses (undici waits).
      if (to === undefined || !secureContext || head.length) {
        socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      const clear = new TLSSocket(socket, { isServer: true, secureContext });
      const up = netConnect(to, '127.0.0.1');
      clear.pipe(up).pipe(clear);
      p.sockets.add(clear);
      clear.on('error', () => up.destroy()).on('close', () => {
        up.destroy();
        p.sockets.delete(clear);
      });
      up.on('error', () => clear.destroy()).on('close', () => clear.destroy());
    });
    p.server.on('connection', (s) => {
      p.sockets.add(s);
      s.on('close', () => p.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      p.server.once('error', reject);
      p.server.listen(0, '127.0.0.1', () => resolve());
    });
    p.port = (p.server.address() as AddressInfo).port;
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private record(req: IncomingMessage): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
    this.requests.push({ method: req.method ?? '', target: req.url ?? '', headers });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
