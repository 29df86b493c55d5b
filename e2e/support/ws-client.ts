// A Node-side client for the browser-mode host: the same WebSocket protocol the page's bridge
// speaks (renderer/src/bridge/ws-bridge.ts), for harnesses that need no page (the crash soak):
// the host's own Origin on the upgrade, then the token as the first message.
import { WebSocket } from 'ws';
import type { HostProcess } from './host.ts';

export interface Envelope {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string; details?: string };
}

export interface HostClient {
  /** The call's envelope, as the page would get it. */
  raw(name: string, payload: unknown, timeoutMs?: number): Promise<Envelope>;
  /** The call's value; throws with the error code when it failed. */
  call<T = Record<string, unknown>>(name: string, payload: unknown, timeoutMs?: number): Promise<T>;
  /** Every event received so far. */
  events: { name: string; payload: unknown }[];
  close(): void;
}

export async function connectHost(host: Pick<HostProcess, 'port' | 'token' | 'origin'>): Promise<HostClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { origin: host.origin, handshakeTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ t: 'auth', token: host.token }));
  let nextId = 0;
  const waiting = new Map<number, (e: Envelope) => void>();
  const events: { name: string; payload: unknown }[] = [];
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as { t: string; id?: number; result?: Envelope; name?: string; payload?: unknown };
    if (m.t === 'result' && typeof m.id === 'number') {
      waiting.get(m.id)?.(m.result!);
      waiting.delete(m.id);
    } else if (m.t === 'event' && m.name) events.push({ name: m.name, payload: m.payload });
  });
  ws.on('close', () => {
    for (const [, w] of waiting) w({ ok: false, error: { code: 'internal', message: 'connection closed' } });
    waiting.clear();
  });
  ws.on('error', () => {});
  const raw = (name: string, payload: unknown, timeoutMs = 15_000) =>
    new Promise<Envelope>((resolve) => {
      const id = ++nextId;
      const t = setTimeout(() => {
        waiting.delete(id);
        resolve({ ok: false, error: { code: 'internal', message: `no answer to ${name} within ${timeoutMs} ms` } });
      }, timeoutMs);
      waiting.set(id, (e) => {
        clearTimeout(t);
        resolve(e);
      });
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'call', id, name, payload }));
    });
  return {
    raw,
    async call<T>(name: string, payload: unknown, timeoutMs?: number): Promise<T> {
      const r = await raw(name, payload, timeoutMs);
      if (!r.ok) throw new Error(`${name}: ${r.error?.code} ${r.error?.message ?? ''}`);
      return r.value as T;
    },
    events,
    close: () => ws.terminate(),
  };
}
