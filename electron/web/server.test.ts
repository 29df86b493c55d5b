// Browser mode's host over real loopback HTTP and WebSocket: who may load the page, its assets and
// the socket, that the socket carries the contract, and which pages a stream's events reach.
// Over 400 lines: one host, one set of fixtures; splitting it would start the host twice as often.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeUpstream } from '../../test/fake-upstream/server.ts';
import { startTestKaiwa, type TestKaiwa } from '../../test/kaiwa.ts';
import { startWebHost, type WebHost } from './server.ts';

const TOKEN = 'test-token-0123456789abcdef';
const INDEX = '<!doctype html><title>Kaiwa test page</title><script src="/app.js"></script>';
const APP_JS = 'console.log("kaiwa app bundle");';
const SECRET = 'TOP-SECRET-OUTSIDE-RENDERER';

let root: string;
let k: TestKaiwa;
let host: WebHost;
let sockets: WebSocket[];

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'kaiwa-web-'));
  const dataDir = join(root, 'data');
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), INDEX);
  writeFileSync(join(rendererDir, 'app.js'), APP_JS);
  writeFileSync(join(rendererDir, 'assets', 'style.css'), 'body{}');
  // What a traversal would reach: files next to and above the renderer directory.
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: SECRET }));
  writeFileSync(join(root, 'renderer-secret.txt'), SECRET);
  k = startTestKaiwa({ dataDir });
  host = await startWebHost({ kaiwa: k.kaiwa, rendererDir, port: 0, token: TOKEN });
  sockets = [];
});

afterEach(async () => {
  for (const s of sockets) s.terminate();
  await host.close();
  await k.close();
  rmSync(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET: the path is sent exactly as given (no client-side normalisation of `..`). */
function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: 'GET', headers, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** What the old cookie scheme sent; it must grant nothing now. */
const cookie = () => ({ Cookie: `kaiwa_token=${TOKEN}` });
const own = () => `http://127.0.0.1:${host.port}`;

/** Opens a socket as given (no Origin unless one is passed, no token message). */
function connect(path: string, options: { headers?: Record<string, string>; origin?: string; protocols?: string[] } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const { protocols, ...rest } = options;
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, protocols ?? [], { ...rest, handshakeTimeout: 5000 });
    sockets.push(ws);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The way the page connects: own Origin, then the token as the first message. */
async function openAuthorized(): Promise<WebSocket> {
  const ws = await connect('/ws', { origin: own() });
  ws.send(JSON.stringify({ t: 'auth', token: TOKEN }));
  return ws;
}

const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve({ code: -1, reason: 'already closed' });
    ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
  });

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no message within 5 s')), 5000);
    ws.once('message', (data: Buffer) => {
      clearTimeout(t);
      resolve(JSON.parse(data.toString()) as Record<string, unknown>);
    });
  });
}

/** An authorized socket that records what it receives and can call. */
async function page() {
  const ws = await openAuthorized();
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (d: Buffer) => messages.push(JSON.parse(d.toString()) as Record<string, unknown>));
  const until = async (pred: (m: Record<string, unknown>) => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!messages.some(pred)) {
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(messages).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return messages.find(pred)!;
  };
  let id = 0;
  const call = async (name: string, payload: unknown) => {
    const myId = ++id;
    ws.send(JSON.stringify({ t: 'call', id: myId, name, payload }));
    const m = await until((x) => x['t'] === 'result' && x['id'] === myId);
    const result = m['result'] as { ok: boolean; value?: unknown; error?: unknown };
    if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
    return result.value as Record<string, unknown>;
  };
  const events = (name: string) => messages.filter((m) => m['t'] === 'event' && m['name'] === name);
  return { ws, messages, call, until, events };
}

describe('browser-mode host: HTTP', () => {
  it('serves the page and its assets without a token (they hold nothing secret) and never sets a cookie', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
    const js = await get('/app.js');
    expect(js.status).toBe(200);
    expect(js.body).toBe(APP_JS);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['content-security-policy']).toBeDefined();
    expect((await get('/assets/style.css')).status).toBe(200);
    // Not even for the old `?token=` link or a cookie sent back: nothing a browser would keep and
    // hand to another port on 127.0.0.1.
    for (const r of [page, js, await get(`/?token=${TOKEN}`), await get('/', cookie())]) {
      expect(r.headers['set-cookie']).toBeUndefined();
      expect(JSON.stringify(r.headers)).not.toContain(TOKEN);
      expect(r.body).not.toContain(TOKEN);
    }
  });

  it('answers 404 for a missing file or a directory', async () => {
    expect((await get('/nope.js')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404);
  });

  it('never serves a file outside the renderer directory', async () => {
    const paths = [
      '/../package.json',
      '/../../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/package.json',
      '/..%2fpackage.json',
      '/%2e%2e%2fpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/..%5cpackage.json',
      '/../renderer-secret.txt',
      '/..%2frenderer-secret.txt',
      '/%2e%2e%2frenderer-secret.txt',
    ];
    for (const p of paths) {
      const r = await get(p);
      expect([401, 404], p).toContain(r.status);
      expect(r.body, p).not.toContain(SECRET);
    }
  });

  it('survives a malformed percent-encoding in the path', async () => {
    const r = await get('/%E0%A4%A.js');
    expect([400, 404]).toContain(r.status);
    // Still serving.
    expect((await get('/app.js')).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    for (const h of [`evil.example:${host.port}`, '127.0.0.1', `127.0.0.1:${host.port + 1}`, `localhost.evil.example:${host.port}`]) {
      const r = await get('/', { Host: h });
      expect(r.status, h).toBe(403);
      expect(r.body).not.toContain('Kaiwa test page');
    }
    expect((await get('/', { Host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('refuses other methods than GET/HEAD, token or not', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const r = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: host.port, path: '/', method, timeout: 5000, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('{}');
      });
      expect(r, method).toBe(405);
    }
  });

  it('refuses a foreign Origin', async () => {
    for (const o of ['http://evil.example', `http://127.0.0.1:${host.port + 1}`, 'null', `https://127.0.0.1:${host.port}`]) {
      const r = await get('/', { Origin: o });
      expect(r.status, o).toBe(403);
    }
    expect((await get('/', { Origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
  });
});

describe('browser-mode host: WebSocket', () => {
  it('refuses a socket without an Origin, whatever token it carries (only a page may open it)', async () => {
    await expect(connect(`/ws?token=${TOKEN}`, { headers: cookie() })).rejects.toThrow(/403/);
    await expect(connect('/ws', { protocols: [`kaiwa.${TOKEN}`] })).rejects.toThrow(/403/);
    await expect(connect('/ws')).rejects.toThrow(/403/);
  });

  it('refuses a socket from a foreign Origin, token or not', async () => {
    await expect(connect(`/ws?token=${TOKEN}`, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect('/ws', { origin: 'http://evil.example', headers: cookie() })).rejects.toThrow(/403/);
  });

  it('refuses a socket from every origin but its own: null, another port, https, a lookalike host', async () => {
    for (const origin of ['null', `http://127.0.0.1:${host.port + 1}`, `https://127.0.0.1:${host.port}`, `http://127.0.0.1.evil.example:${host.port}`, 'file://']) {
      await expect(connect(`/ws?token=${TOKEN}`, { origin }), origin).rejects.toThrow(/403/);
    }
  });

  it('refuses a socket with a foreign Host', async () => {
    await expect(connect('/ws', { origin: own(), headers: { Host: `evil.example:${host.port}` } })).rejects.toThrow(/403/);
  });

  it('refuses a socket on another path', async () => {
    await expect(connect('/other', { origin: own() })).rejects.toThrow(/403/);
  });

  it('a socket whose first message is not the right token is closed (4401) before any call runs or event arrives', async () => {
    const firstMessages = [
      JSON.stringify({ t: 'call', id: 1, name: 'settings.update', payload: { theme: 'dark' } }),
      JSON.stringify({ t: 'auth', token: 'wrong' }),
      JSON.stringify({ t: 'auth', token: TOKEN.slice(0, -1) }),
      JSON.stringify({ t: 'auth', token: `${TOKEN}x` }),
      JSON.stringify({ t: 'auth' }),
      JSON.stringify({ t: 'auth', token: [TOKEN] }),
      'not json',
    ];
    for (const first of firstMessages) {
      // The old ways of showing the token (query, cookie) count for nothing either.
      const ws = await connect(`/ws?token=${TOKEN}`, { origin: `http://localhost:${host.port}`, headers: cookie() });
      const got: string[] = [];
      ws.on('message', (d: Buffer) => got.push(d.toString()));
      const end = closed(ws);
      ws.send(first);
      ws.send(JSON.stringify({ t: 'call', id: 2, name: 'settings.update', payload: { theme: 'light' } }));
      expect(await end, first).toEqual({ code: 4401, reason: 'unauthorized' });
      expect(got, first).toEqual([]);
    }
    // The token goes in the first message only; one offered as a subprotocol is not looked at.
    const viaProtocol = await connect('/ws', { origin: own(), protocols: [`kaiwa.${TOKEN}`] });
    const end = closed(viaProtocol);
    viaProtocol.send(JSON.stringify({ t: 'call', id: 3, name: 'settings.update', payload: { theme: 'dark' } }));
    expect(await end).toEqual({ code: 4401, reason: 'unauthorized' });
    expect(k.kaiwa.services.settings.get().theme).toBe('system');
  });

  it('a socket that never sends its token is closed (4401)', async () => {
    await host.close();
    host = await startWebHost({ kaiwa: k.kaiwa, rendererDir: join(root, 'renderer'), port: 0, token: TOKEN, authTimeoutMs: 200 });
    const ws = await connect('/ws', { origin: own() });
    expect(await closed(ws)).toEqual({ code: 4401, reason: 'unauthorized' });
  });

  it('carries calls for a socket whose first message is the token', async () => {
    const ws = await openAuthorized();
    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ t: 'call', id: 1, name: 'settings.get', payload: {} }));
    const msg = await reply;
    expect(msg).toMatchObject({ t: 'result', id: 1, result: { ok: true, value: { language: 'system', vault: { backend: 'file' } } } });

    const viaLocalhost = await connect('/ws', { origin: `http://localhost:${host.port}`, headers: { Host: `localhost:${host.port}` } });
    viaLocalhost.send(JSON.stringify({ t: 'auth', token: TOKEN }));
    const r2 = nextMessage(viaLocalhost);
    viaLocalhost.send(JSON.stringify({ t: 'call', id: 'abc', name: 'settings.update', payload: { theme: 'dark' } }));
    expect(await r2).toMatchObject({ t: 'result', id: 'abc', result: { ok: true, value: { theme: 'dark' } } });
  });

  it('validates socket calls like any other: a bad payload gets invalid_request', async () => {
    const ws = await openAuthorized();
    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ t: 'call', id: 7, name: 'settings.update', payload: { idleTimeoutSec: 'soon' } }));
    expect(await reply).toMatchObject({ t: 'result', id: 7, result: { ok: false, error: { code: 'invalid_request' } } });
  });

  it('answers a non-JSON or malformed message with invalid_request and stays usable', async () => {
    const ws = await openAuthorized();
    let reply = nextMessage(ws);
    ws.send('this is {not json');
    expect(await reply).toEqual({ t: 'result', id: null, result: { ok: false, error: { code: 'invalid_request', message: 'Not JSON.' } } });

    reply = nextMessage(ws);
    ws.send(JSON.stringify({ t: 'call', name: 'settings.get', payload: {} }));
    expect(await reply).toMatchObject({ t: 'result', id: null, result: { ok: false, error: { code: 'invalid_request' } } });

    reply = nextMessage(ws);
    ws.send(JSON.stringify({ t: 'call', id: 2, name: 'settings.get', payload: {} }));
    expect(await reply).toMatchObject({ t: 'result', id: 2, result: { ok: true } });
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });

  it('forwards stream events to the socket that showed the token, none to one that did not', async () => {
    const fake = await FakeUpstream.start();
    try {
      const silent = await connect('/ws', { origin: own() });
      const overheard: string[] = [];
      silent.on('message', (d: Buffer) => overheard.push(d.toString()));
      const { messages, call: callWs, until } = await page();

      await callWs('providers.update', { id: 'modelscope', baseUrl: fake.baseUrl });
      await callWs('providers.setKeys', { id: 'modelscope', keys: 'ms-web-test-key-0001' });
      fake.enqueue({ kind: 'stream', content: ['Hello ', 'over ', 'the socket.'] });
      const conv = await callWs('conversations.create', {});
      const sent = await callWs('chat.send', { conversationId: conv['id'], text: 'hi' });
      const end = await until((m) => m['t'] === 'event' && m['name'] === 'stream.end');
      expect(end['payload']).toMatchObject({ streamId: sent['streamId'], message: { status: 'done', content: 'Hello over the socket.' } });
      const text = messages
        .filter((m) => m['t'] === 'event' && m['name'] === 'stream.delta')
        .map((m) => (m['payload'] as { content?: string }).content ?? '')
        .join('');
      expect(text).toBe('Hello over the socket.');
      expect(overheard).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe('browser-mode host: who gets a stream', () => {
  it("sends a stream's events to the page that started it and a page showing its conversation (a reload), not to other pages", async () => {
    const fake = await FakeUpstream.start();
    try {
      const starter = await page();
      const elsewhere = await page();
      await starter.call('providers.update', { id: 'modelscope', baseUrl: fake.baseUrl });
      await starter.call('providers.setKeys', { id: 'modelscope', keys: 'ms-web-test-key-0002' });
      fake.enqueue({ kind: 'stream', content: ['one ', 'two ', 'three ', 'four ', 'five'], delayMs: 150 });
      const other = await elsewhere.call('conversations.create', {});
      await elsewhere.call('conversations.open', { id: other['id'] });
      const conv = await starter.call('conversations.create', {});
      const sent = await starter.call('chat.send', { conversationId: conv['id'], text: 'hi' });
      // A page opened (or reloaded) while the answer streams finds it through conversations.open.
      const reloaded = await page();
      const opened = await reloaded.call('conversations.open', { id: conv['id'] });
      expect(opened['streams']).toEqual([expect.objectContaining({ streamId: sent['streamId'] })]);
      for (const p of [starter, reloaded]) {
        const end = await p.until((m) => m['t'] === 'event' && m['name'] === 'stream.end');
        expect(end['payload']).toMatchObject({ streamId: sent['streamId'], message: { content: 'one two three four five' } });
      }
      expect(reloaded.events('stream.delta').length).toBeGreaterThan(0);
      expect(elsewhere.events('stream.end')).toEqual([]);
      expect(elsewhere.events('stream.delta').filter((m) => (m['payload'] as { content?: string }).content)).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe('browser-mode host: hostile socket traffic', () => {
  /** The socket still answers a valid call (and so does the host, on a fresh socket). */
  async function stillServing(ws?: WebSocket) {
    const fresh = ws ?? (await openAuthorized());
    const reply = nextMessage(fresh);
    fresh.send(JSON.stringify({ t: 'call', id: 'alive', name: 'settings.get', payload: {} }));
    expect(await reply).toMatchObject({ t: 'result', id: 'alive', result: { ok: true } });
  }

  it('a frame above the size limit closes that socket (1009), nothing else', async () => {
    const ws = await openAuthorized();
    const code = closed(ws);
    ws.send(JSON.stringify({ t: 'call', id: 1, name: 'chat.send', payload: { conversationId: 'c', text: 'x'.repeat(9 * 1024 * 1024) } }));
    expect((await code).code).toBe(1009);
    await stillServing();
  });

  it('a binary frame closes that socket (1003)', async () => {
    const ws = await openAuthorized();
    const code = closed(ws);
    ws.send(Buffer.from([0, 1, 2, 3]));
    expect((await code).code).toBe(1003);
    await stillServing();
  });

  it('deeply nested JSON, prototype keys and bursts of garbage are answered, never crash the host or pollute prototypes', async () => {
    const ws = await openAuthorized();
    const answers: Record<string, unknown>[] = [];
    ws.on('message', (d: Buffer) => answers.push(JSON.parse(d.toString()) as Record<string, unknown>));
    const frames = [
      '['.repeat(200_000) + ']'.repeat(200_000),
      `{"t":"call","id":1,"name":"settings.update","payload":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
      '{"t":"call","id":2,"name":"settings.update","payload":{"__proto__":{"polluted":"yes"}}}',
      '{"t":"call","id":3,"name":"providers.update","payload":{"id":"modelscope","headers":{"__proto__":{"polluted":"yes"}}}}',
      '{"t":"call","id":4,"name":"__proto__","payload":{}}',
      '{"t":"call","id":5,"name":"constructor","payload":{}}',
      '{"t":"call","id":{"x":1},"name":"settings.get","payload":{}}',
      '{"__proto__":{"t":"call"},"id":6,"name":"settings.get","payload":{}}',
      'null',
      '"call"',
      '',
    ];
    for (let i = 0; i < 1000; i++) frames.push(i % 2 ? `{"t":"call","id":${100 + i},"name":"settings.update","payload":{"idleTimeoutSec":"${i}"}}` : `{"t":"call","id":${100 + i},`);
    for (const f of frames) ws.send(f);
    const deadline = Date.now() + 10_000;
    while (answers.length < frames.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(answers).toHaveLength(frames.length);
    expect(answers.every((a) => (a['result'] as { ok: boolean; error?: { code: string } }).error?.code === 'invalid_request')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(k.kaiwa.services.settings.get().idleTimeoutSec).toBe(60);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    await stillServing(ws);
  });
});
