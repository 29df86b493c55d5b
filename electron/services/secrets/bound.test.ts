// Keys are bound to where they were saved: the reproduction through the real services
// (contract, registry, vault, upstream client) against listeners on 127.0.0.1 over real HTTP.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestKaiwa, type TestKaiwa } from '../../../test/kaiwa.ts';
import { Upstream, type UpstreamError, type Target } from '../providers/upstream.ts';
import { boundTo, mayReceive, originOf } from './bound.ts';

const KEY = 'ms-bound-test-0000-1111-2222-333344445555';

/** A loopback listener that answers like a provider and records the headers of every request. */
interface Listener {
  url: string;
  seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function listen(): Promise<Listener> {
  const seen: IncomingHttpHeaders[] = [];
  const srv: Server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end('data: {"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/v1`, seen, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

const carriesKey = (h: IncomingHttpHeaders, key: string) => JSON.stringify(h).includes(key);

let k: TestKaiwa;
let a: Listener;
let b: Listener;
beforeEach(async () => {
  k = startTestKaiwa();
  a = await listen();
  b = await listen();
});
afterEach(async () => {
  await k.close();
  await a.close();
  await b.close();
});

describe('origins', () => {
  it('compares scheme, host and port exactly, failing closed', () => {
    expect(originOf('https://API.example.com:443/v1')).toBe('https://api.example.com');
    expect(originOf('ftp://x')).toBeNull();
    expect(mayReceive('http://127.0.0.1:8000', 'http://127.0.0.1:8000/v1/chat/completions')).toBe(true);
    expect(mayReceive('http://127.0.0.1:8000', 'http://127.0.0.1:8001/v1')).toBe(false);
    expect(mayReceive('http://127.0.0.1:8000', 'https://127.0.0.1:8000/v1')).toBe(false);
    expect(mayReceive('https://api.example.com', 'https://api.example.com.evil.test/v1')).toBe(false);
    expect(mayReceive('https://api.example.com', 'https://user@evil.test/?https://api.example.com')).toBe(false);
    expect(mayReceive(undefined, 'https://api.example.com')).toBe(false);
    expect(boundTo([{ origin: 'https://a' }, { origin: undefined }, { origin: 'https://b' }], 'https://a')).toEqual([{ origin: 'https://a' }]);
  });
});

describe('a key never follows its provider to another origin', () => {
  it('the issue: setKeys, re-point the base URL to another 127.0.0.1 port, check → that listener gets no key', async () => {
    await k.call('providers.setKeys', { id: 'modelscope', keys: KEY });
    const moved = await k.call('providers.update', { id: 'modelscope', baseUrl: b.url });
    expect(moved.keys).toMatchObject([{ detached: true, origin: 'https://api-inference.modelscope.cn' }]);
    const checked = await k.call('providers.check', { id: 'modelscope', modelId: 'fake-model' });
    expect(checked).toMatchObject({ ok: false, error: { code: 'keys_detached', params: { origin: 'https://api-inference.modelscope.cn' } } });
    expect(b.seen.filter((h) => carriesKey(h, KEY))).toEqual([]);
    // A chat on that provider does not send it either.
    await k.call('settings.update', { defaultModel: { providerId: 'modelscope', modelId: 'fake-model' } });
    const c = await k.call('conversations.create', {});
    expect((await k.failure('chat.send', { conversationId: c.id, text: 'hello' })).code).toBe('keys_detached');
    expect(b.seen.filter((h) => carriesKey(h, KEY))).toEqual([]);
  });

  it('also across a restart between storing and re-pointing, and between re-pointing and the request', async () => {
    await k.useProvider('modelscope', { baseUrl: a.url, keys: KEY, model: 'fake-model' });
    await k.restart();
    await k.call('providers.update', { id: 'modelscope', baseUrl: b.url });
    await k.restart();
    expect((await k.call('providers.check', { id: 'modelscope', modelId: 'fake-model' })).error?.code).toBe('keys_detached');
    expect(b.seen).toEqual([]);
    // Back at the origin it was saved for, the key works again; pasted at the new one, it is bound there.
    await k.call('providers.update', { id: 'modelscope', baseUrl: a.url });
    expect((await k.call('providers.check', { id: 'modelscope', modelId: 'fake-model' })).ok).toBe(true);
    expect(a.seen.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
    await k.call('providers.update', { id: 'modelscope', baseUrl: b.url });
    const pasted = await k.call('providers.setKeys', { id: 'modelscope', keys: KEY });
    expect(pasted.keys).toMatchObject([{ origin: new URL(b.url).origin }]);
    expect(pasted.keys[0]!.detached).toBeUndefined();
    expect((await k.call('providers.check', { id: 'modelscope', modelId: 'fake-model' })).ok).toBe(true);
    expect(b.seen.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
  });

  it('keys stored before keys were bound belong to the base URL of their provider at the first start', async () => {
    await k.useProvider('modelscope', { baseUrl: a.url, keys: KEY, model: 'fake-model' });
    await k.stop();
    const path = join(k.dir, 'keys.json');
    const file = JSON.parse(readFileSync(path, 'utf8')) as { entries: Record<string, { origin?: string; sealedBy?: string }[]> };
    for (const key of file.entries['modelscope']!) {
      delete key.origin;
      delete key.sealedBy;
    }
    writeFileSync(path, JSON.stringify(file));
    await k.restart();
    const view = (await k.call('providers.list', {})).find((p) => p.id === 'modelscope')!;
    expect(view.keys).toMatchObject([{ origin: new URL(a.url).origin }]);
    await k.call('providers.update', { id: 'modelscope', baseUrl: b.url });
    expect((await k.call('providers.check', { id: 'modelscope', modelId: 'fake-model' })).error?.code).toBe('keys_detached');
    expect(b.seen).toEqual([]);
  });

  it('keys imported from the environment are bound to the base URL of their provider then', async () => {
    await k.close();
    k = startTestKaiwa({ env: { MODELSCOPE_API_KEY: KEY } });
    const view = (await k.call('providers.list', {})).find((p) => p.id === 'modelscope')!;
    expect(view.keys).toMatchObject([{ source: 'env', origin: 'https://api-inference.modelscope.cn' }]);
    await k.call('providers.update', { id: 'modelscope', baseUrl: b.url });
    expect((await k.call('providers.check', { id: 'modelscope', modelId: 'fake-model' })).error?.code).toBe('keys_detached');
    expect(b.seen).toEqual([]);
  });

  it('a keyless custom provider whose keys were saved elsewhere says so instead of calling without them', async () => {
    const p = await k.call('providers.add', { name: 'Local', baseUrl: a.url });
    await k.call('providers.setKeys', { id: p.id, keys: KEY });
    await k.call('providers.update', { id: p.id, baseUrl: b.url });
    expect((await k.call('providers.check', { id: p.id, modelId: 'fake-model' })).error?.code).toBe('keys_detached');
    expect(b.seen).toEqual([]);
  });

  it('secret headers are bound the same way', async () => {
    await k.useProvider('modelscope', { baseUrl: a.url, keys: KEY, model: 'fake-model' });
    await k.call('providers.update', { id: 'modelscope', headers: { 'Ocp-Apim-Subscription-Key': 'sub-secret-7' } });
    await k.call('providers.check', { id: 'modelscope', modelId: 'fake-model' });
    expect(a.seen.at(-1)?.['ocp-apim-subscription-key']).toBe('sub-secret-7');
    const moved = await k.call('providers.update', { id: 'modelscope', baseUrl: b.url });
    expect(moved.secretHeaders).toEqual([{ name: 'Ocp-Apim-Subscription-Key', masked: 'sub…et-7', detached: true }]);
    await k.call('providers.setKeys', { id: 'modelscope', keys: KEY });
    expect((await k.call('providers.check', { id: 'modelscope', modelId: 'fake-model' })).ok).toBe(true);
    expect(b.seen.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
    expect(b.seen.some((h) => carriesKey(h, 'sub-secret-7'))).toBe(false);
  });
});

describe('headers kept in plain settings by older versions', () => {
  it('move into the vault at the first start, secret and bound to where the provider points then', async () => {
    await k.useProvider('modelscope', { baseUrl: a.url, keys: KEY, model: 'fake-model' });
    await k.call('providers.update', { id: 'modelscope', headers: { 'X-Legacy-Sub': 'legacy-secret-31' }, publicHeaders: ['X-Legacy-Sub'] });
    await k.stop();
    // What an older version wrote: the value in settings.json, no mark that headers were sealed.
    const path = join(k.dir, 'settings.json');
    const settings = JSON.parse(readFileSync(path, 'utf8')) as { providers: { id: string; headersSealed?: boolean }[] };
    for (const p of settings.providers) delete p.headersSealed;
    writeFileSync(path, JSON.stringify(settings));
    await k.restart();
    const view = (await k.call('providers.list', {})).find((p) => p.id === 'modelscope')!;
    expect(view.headers).toEqual({});
    expect(view.secretHeaders).toEqual([{ name: 'X-Legacy-Sub', masked: 'leg…t-31' }]);
    expect(readFileSync(path, 'utf8')).not.toContain('legacy-secret-31');
    await k.call('providers.check', { id: 'modelscope', modelId: 'fake-model' });
    expect(a.seen.at(-1)?.['x-legacy-sub']).toBe('legacy-secret-31');
  });
});

describe('the upstream client is the one check', () => {
  const target = (baseUrl: string, o: Partial<Target>): Target => ({
    providerId: 'custom-1',
    kind: 'custom',
    name: 'Local',
    baseUrl,
    apiKey: KEY,
    keyId: 'k1',
    keyOrigin: null,
    headers: {},
    secretHeaders: [],
    timeoutMs: 2000,
    ...o,
  });
  const signal = () => new AbortController().signal;

  it('refuses before sending when a key or a secret header is bound to another origin (or to none)', async () => {
    const up = new Upstream();
    const cases: Partial<Target>[] = [
      { keyOrigin: new URL(a.url).origin },
      { keyOrigin: null },
      { apiKey: null, secretHeaders: [{ name: 'X-Sub', value: 'sub-secret-7', origin: new URL(a.url).origin }] },
      { apiKey: null, secretHeaders: [{ name: 'X-Sub', value: 'sub-secret-7', origin: undefined }] },
    ];
    for (const c of cases) {
      const chat = await up.openChatStream(target(b.url, c), { model: 'm', messages: [] }, signal()).catch((e: unknown) => e);
      expect((chat as UpstreamError).mapped).toMatchObject({ code: 'secret_unbound', params: { origin: new URL(b.url).origin } });
      const models = await up.listModels(target(b.url, c), signal()).catch((e: unknown) => e);
      expect((models as UpstreamError).mapped.code).toBe('secret_unbound');
    }
    expect(b.seen).toEqual([]);
    // Bound to where it goes, it goes.
    const res = await up.openChatStream(target(b.url, { keyOrigin: new URL(b.url).origin }), { model: 'm', messages: [] }, signal());
    await res.text();
    expect(b.seen.map((h) => h.authorization)).toEqual([`Bearer ${KEY}`]);
  });
});
