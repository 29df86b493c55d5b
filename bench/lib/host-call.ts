// Calls the browser-mode host's contract from Node over its WebSocket, the way the page's bridge
// does, for the bench's bookkeeping (provider setup, a fresh conversation per run, cleanup) without
// keeping a page open that would also receive and parse every streamed delta.
import WebSocket from 'ws';

export async function hostCall<T = unknown>(hostUrl: string, name: string, payload: unknown): Promise<T> {
  // hostUrl is the printed link: the token is in its fragment; the host wants its own Origin and the
  // token as the first message (electron/web/socket.ts).
  const u = new URL(hostUrl);
  const ws = new WebSocket(`ws://${u.host}/ws`, { origin: u.origin });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ t: 'auth', token: new URLSearchParams(u.hash.slice(1)).get('token') ?? '' }));
    const result = await new Promise<{ ok: boolean; value?: T; error?: unknown }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host call ${name}: no answer`)), 30_000);
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString()) as { t: string; id?: number; result?: { ok: boolean; value?: T; error?: unknown } };
        if (msg.t === 'result' && msg.id === 1) {
          clearTimeout(timer);
          resolve(msg.result!);
        }
      });
      ws.send(JSON.stringify({ t: 'call', id: 1, name, payload }));
    });
    if (!result.ok) throw new Error(`host call ${name} failed: ${JSON.stringify(result.error)}`);
    return result.value as T;
  } finally {
    ws.close();
  }
}
