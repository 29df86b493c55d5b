// A provider that redirects: the key and secret headers stay with the origin they were saved for.
// Through the real services (contract, registry, vault, upstream client) against two listeners on
// 127.0.0.1 over real HTTP: the first answers every request with a 307 to the second.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestKaiwa, type TestKaiwa } from '../../../test/kaiwa.ts';

const KEY = 'sk-redirect-test-0000-1111-2222-3333';
const SECRET = 'sub-secret-redirect-42';

interface Listener {
  url: string;
  seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** `redirectTo` null: answers like a provider; otherwise a 307 to that base URL, path kept. */
async function listen(redirectTo: () => string | null): Promise<Listener> {
  const seen: IncomingHttpHeaders[] = [];
  const srv: Server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    const to = redirectTo();
    if (to) {
      res.writeHead(307, { location: `${to}${(req.url ?? '').replace(/^\/v1/, '')}` });
      res.end();
      return;
    }
    if (req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end('data: {"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/v1`, seen, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

const carries = (h: IncomingHttpHeaders, text: string) => JSON.stringify(h).includes(text);

let k: TestKaiwa;
let target: Listener;
let redirector: Listener;
beforeEach(async () => {
  k = startTestKaiwa();
  target = await listen(() => null);
  redirector = await listen(() => target.url);
});
afterEach(async () => {
  await k.close();
  await redirector.close();
  await target.close();
});

describe('a redirect to another origin', () => {
  it('is not followed with a key or a secret header: the user is told, the second listener gets neither', async () => {
    const p = await k.call('providers.add', { name: 'Redirecting', baseUrl: redirector.url });
    await k.call('providers.setKeys', { id: p.id, keys: KEY });
    await k.call('providers.update', { id: p.id, headers: { 'X-Api-Key': SECRET } });

    const checked = await k.call('providers.check', { id: p.id, modelId: 'fake-model' });
    expect(checked).toMatchObject({ ok: false, error: { code: 'upstream_redirect', params: { provider: 'Redirecting', origin: new URL(target.url).origin } } });

    const c = await k.call('conversations.create', { model: { providerId: p.id, modelId: 'fake-model' } });
    const { message } = await k.send(c.id, 'hello');
    expect(message.status).toBe('error');
    expect(message.error).toMatchObject({ code: 'upstream_redirect', params: { origin: new URL(target.url).origin } });

    // The redirector did get them (it is where they were saved); nothing reached the target.
    expect(redirector.seen.length).toBeGreaterThanOrEqual(2);
    expect(redirector.seen.every((h) => h['x-api-key'] === SECRET && h.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(target.seen.filter((h) => carries(h, SECRET) || carries(h, KEY) || h.authorization !== undefined)).toEqual([]);
    expect(target.seen).toEqual([]);
  });

  it('a secret header alone (no key) is enough to stop at the redirect', async () => {
    const p = await k.call('providers.add', { name: 'Redirecting', baseUrl: redirector.url });
    await k.call('providers.update', { id: p.id, headers: { 'X-Api-Key': SECRET } });
    const checked = await k.call('providers.check', { id: p.id, modelId: 'fake-model' });
    expect(checked.error?.code).toBe('upstream_redirect');
    expect(target.seen).toEqual([]);
  });

  it('a keyless provider without secret headers still follows it (nothing secret can leak)', async () => {
    const p = await k.call('providers.add', { name: 'Redirecting', baseUrl: redirector.url });
    expect((await k.call('providers.check', { id: p.id, modelId: 'fake-model' })).ok).toBe(true);
    expect(target.seen).toHaveLength(1);
    expect(target.seen[0]!.authorization).toBeUndefined();
  });
});
