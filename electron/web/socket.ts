// One browser-mode WebSocket: the token handshake, then contract calls.
//
// The page proves it holds the per-run token with its first message, `{"t":"auth","token":"…"}`,
// rather than in the URL or a cookie: a URL ends up in logs and history, and a cookie would be sent
// to every other port on 127.0.0.1. A socket that sends anything else first, a wrong token, or
// nothing within AUTH_TIMEOUT_MS is closed with WS_UNAUTHORIZED before any call runs or any event
// reaches it, so the page can tell "my token is not (or no longer) valid" from "the host is gone".
import { timingSafeEqual } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Envelope } from '../contract/index.ts';
import type { Kaiwa } from '../services/index.ts';

/** Close code for a socket whose first message did not carry the token (4000–4999: application). */
export const WS_UNAUTHORIZED = 4401;
const AUTH_TIMEOUT_MS = 10_000;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type Message = { t?: unknown; id?: unknown; name?: unknown; payload?: unknown; token?: unknown };

const reply = (ws: WebSocket, id: unknown, message: string) =>
  ws.send(JSON.stringify({ t: 'result', id, result: { ok: false, error: { code: 'invalid_request', message } } }));

/**
 * Serves one socket. `onAuthorized` is called once the token was shown; only then may the caller
 * send it events. `onReply` sees every call's reply before the socket does (the host learns from
 * it which streams the page is concerned with).
 */
export function serveSocket(
  ws: WebSocket,
  o: { kaiwa: Kaiwa; token: string; authTimeoutMs?: number | undefined; onAuthorized(): void; onReply?(name: unknown, payload: unknown, reply: Envelope<unknown>): void },
): void {
  let authorized = false;
  const refuse = () => ws.close(WS_UNAUTHORIZED, 'unauthorized');
  const timer = setTimeout(refuse, o.authTimeoutMs ?? AUTH_TIMEOUT_MS);
  ws.on('close', () => clearTimeout(timer));
  // An oversized or broken frame makes `ws` close the socket and emit 'error': without a listener
  // that error would end the whole host process.
  ws.on('error', (err) => o.kaiwa.log.warn('a WebSocket was closed after a protocol error', err));
  ws.on('message', (raw, isBinary) => {
    if (isBinary) return ws.close(1003, 'text only');
    let msg: Message;
    try {
      msg = JSON.parse(raw.toString()) as Message;
    } catch {
      return authorized ? reply(ws, null, 'Not JSON.') : refuse();
    }
    if (!authorized) {
      if (!msg || typeof msg !== 'object' || msg.t !== 'auth' || typeof msg.token !== 'string' || !safeEqual(msg.token, o.token)) return refuse();
      authorized = true;
      clearTimeout(timer);
      return o.onAuthorized();
    }
    if (!msg || typeof msg !== 'object' || msg.t !== 'call' || (typeof msg.id !== 'number' && typeof msg.id !== 'string')) {
      return reply(ws, null, 'Malformed message.');
    }
    const id = msg.id;
    void o.kaiwa.dispatch(msg.name, msg.payload).then((result) => {
      o.onReply?.(msg.name, msg.payload, result);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'result', id, result }));
    });
  });
}
