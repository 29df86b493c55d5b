// Browser mode: provides the same `window.kaiwa` shape as the Electron preload, carried over a
// WebSocket to the loopback host. The rest of the renderer cannot tell the difference. The first
// message on every socket is the per-run token (electron/web/socket.ts); a socket the host closes
// as unauthorized is not retried: the token will not get better.
import type { Envelope, KaiwaWindowApi } from '../../../electron/contract/index.ts';
import { buildWindowApi } from '../../../electron/contract/window-api.ts';

type Pending = { resolve: (v: Envelope<unknown>) => void };

const LOST: Envelope<never> = {
  ok: false,
  error: { code: 'internal', message: 'The connection to Kaiwa was lost.', actions: ['retry'] },
};

/** electron/web/socket.ts WS_UNAUTHORIZED (not imported: that module is Node-only). */
const UNAUTHORIZED = 4401;

export function createWsBridge(url: string, auth: { token: string | null; onUnauthorized(): void }): KaiwaWindowApi {
  let ws: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();

  const connect = () => {
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      retryMs = 250;
      sock.send(JSON.stringify({ t: 'auth', token: auth.token }));
      for (const m of queue.splice(0)) sock.send(m);
    };
    sock.onmessage = (ev: MessageEvent<string>) => {
      let msg: { t: string; id?: number; result?: Envelope<unknown>; name?: string; payload?: unknown };
      try {
        msg = JSON.parse(ev.data) as typeof msg;
      } catch {
        return;
      }
      if (msg.t === 'result' && typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        p?.resolve(msg.result ?? LOST);
      } else if (msg.t === 'event' && msg.name) {
        const set = listeners.get(msg.name);
        if (set) for (const l of set) l(msg.payload);
      }
    };
    sock.onclose = (ev: CloseEvent) => {
      ws = null;
      // Calls in flight cannot be answered any more; say so instead of hanging.
      for (const [, p] of pending) p.resolve(LOST);
      pending.clear();
      if (ev.code === UNAUTHORIZED) return auth.onUnauthorized();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  if (auth.token !== null) connect();

  return buildWindowApi(
    'websocket',
    (name, payload) =>
      new Promise<Envelope<unknown>>((resolve) => {
        const id = nextId++;
        pending.set(id, { resolve });
        const text = JSON.stringify({ t: 'call', id, name, payload });
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(text);
        else queue.push(text);
      }),
    (name, listener) => {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  );
}
