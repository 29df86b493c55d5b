// The fetch tool against real HTTP servers on 127.0.0.1 (loopback allowed through the test switch,
// except where the test is that it is refused).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolError } from './errors.ts';
import { DEFAULT_FETCH_LIMITS, fetchPage, type FetchLimits, type RedirectConfirm } from './fetch-url.ts';
import { watchEventLoop } from '../../../test/tools/event-loop.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let hits: string[];
let route: Record<string, Handler>;
const sockets = new Set<Socket>();

beforeEach(async () => {
  hits = [];
  route = {};
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const h = route[req.url ?? ''];
    if (h) h(req, res);
    else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('nope');
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

const limits = (o: Partial<FetchLimits> = {}): FetchLimits => ({ ...DEFAULT_FETCH_LIMITS, allowLoopback: true, ...o });
const never = new AbortController().signal;

async function failure(p: Promise<unknown>): Promise<ToolError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ToolError);
    return err as ToolError;
  }
  throw new Error('expected the fetch to fail');
}

const html = (body: string, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
  res.end(body);
};

describe('fetchPage', () => {
  it('returns the text of an HTML page, not its HTML', async () => {
    route['/page'] = html('<html><head><title>Kaiwa test page</title><script>evil()</script></head><body><h1>Hello</h1><p>Tokyo &amp; Osaka</p></body></html>');
    const page = await fetchPage(`${base}/page`, limits(), never);
    expect(page).toEqual({ url: `${base}/page`, status: 200, contentType: 'text/html; charset=utf-8', title: 'Kaiwa test page', text: 'Hello\nTokyo & Osaka', truncated: false });
  });

  it('refuses loopback without the test switch, before any connection is made', async () => {
    route['/page'] = html('<p>secret</p>');
    const err = await failure(fetchPage(`${base}/page`, limits({ allowLoopback: false }), never));
    expect(err.code).toBe('blocked_url');
    expect(hits).toEqual([]);
  });

  it('follows redirects, checking every hop again', async () => {
    route['/a'] = (_q, res) => {
      res.writeHead(302, { Location: '/b' });
      res.end();
    };
    route['/b'] = html('<p>arrived</p>');
    route['/to-private'] = (_q, res) => {
      res.writeHead(301, { Location: 'http://10.0.0.1/admin' });
      res.end();
    };
    route['/to-file'] = (_q, res) => {
      res.writeHead(302, { Location: 'file:///etc/passwd' });
      res.end();
    };
    route['/loop'] = (_q, res) => {
      res.writeHead(302, { Location: '/loop' });
      res.end();
    };
    expect((await fetchPage(`${base}/a`, limits(), never)).text).toBe('arrived');
    expect((await failure(fetchPage(`${base}/to-private`, limits(), never))).code).toBe('blocked_url');
    expect((await failure(fetchPage(`${base}/to-file`, limits(), never))).code).toBe('blocked_url');
    hits = [];
    const loop = await failure(fetchPage(`${base}/loop`, limits({ maxRedirects: 3 }), never));
    expect(loop.code).toBe('http_error');
    expect(loop.message).toMatch(/More than 3 redirects/);
    expect(hits).toHaveLength(4);
  });

  it('stops reading at the size limit, also for a compressed body', async () => {
    const big = `<p>${'x'.repeat(300_000)}</p>`;
    route['/big'] = html(big);
    route['/gz'] = (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' });
      res.end(gzipSync(big));
    };
    for (const path of ['/big', '/gz']) {
      const page = await fetchPage(`${base}${path}`, limits({ maxBytes: 10_000, maxChars: 1_000_000 }), never);
      expect(page.truncated, path).toBe(true);
      expect(page.text.length, path).toBeLessThanOrEqual(10_000);
      expect(page.text.length, path).toBeGreaterThan(9_000);
    }
  });

  it('times out on a server that never answers', async () => {
    route['/hang'] = () => undefined;
    const started = Date.now();
    const err = await failure(fetchPage(`${base}/hang`, limits({ timeoutMs: 300 }), never));
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('Stop cancels a fetch in progress', async () => {
    route['/hang'] = () => undefined;
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    expect((await failure(fetchPage(`${base}/hang`, limits(), stop.signal))).code).toBe('cancelled');
  });

  it('reports HTTP errors and refuses content that is not text', async () => {
    route['/img'] = (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.end(Buffer.alloc(10));
    };
    const notFound = await failure(fetchPage(`${base}/missing`, limits(), never));
    expect(notFound.code).toBe('http_error');
    expect(notFound.message).toMatch(/HTTP 404/);
    expect((await failure(fetchPage(`${base}/img`, limits(), never))).code).toBe('unsupported_content');
  });

  it('decodes a legacy charset named in a <meta> tag', async () => {
    const sjis = Buffer.from([0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd]); // こんにちは
    route['/sjis'] = (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(Buffer.concat([Buffer.from('<html><head><meta charset="shift_jis"></head><body><p>'), sjis, Buffer.from('</p></body></html>')]));
    };
    expect((await fetchPage(`${base}/sjis`, limits(), never)).text).toBe('こんにちは');
  });

  it('passes plain text and JSON through as text', async () => {
    route['/json'] = (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"a": "<b>1</b>"}');
    };
    expect((await fetchPage(`${base}/json`, limits(), never)).text).toBe('{"a": "<b>1</b>"}');
  });
});

describe('fetchPage: redirects to another host', () => {
  // 127.0.0.1 and localhost are two host names for the same test server.
  const elsewhere = () => base.replace('127.0.0.1', 'localhost');
  const asked: string[] = [];
  const allow: RedirectConfirm = async (to, from) => {
    asked.push(`${from.host} -> ${to.href}`);
  };
  const deny: RedirectConfirm = async (to, from) => {
    asked.push(`${from.host} -> ${to.href}`);
    throw new ToolError('denied', 'The user did not allow the redirect.');
  };

  beforeEach(() => {
    asked.length = 0;
    route['/away'] = (_q, res) => {
      res.writeHead(302, { Location: `${elsewhere()}/landing` });
      res.end();
    };
    route['/landing'] = html('<p>landed</p>');
    route['/here'] = (_q, res) => {
      res.writeHead(301, { Location: '/landing' });
      res.end();
    };
  });

  it('asks before following, showing the new host, and reads the page once allowed', async () => {
    const page = await fetchPage(`${base}/away`, limits(), never, { confirmRedirect: allow });
    expect(asked).toEqual([`${new URL(base).host} -> ${elsewhere()}/landing`]);
    expect(page).toMatchObject({ url: `${elsewhere()}/landing`, text: 'landed' });
  });

  it('does not go there when the user says no, or when nobody can be asked', async () => {
    expect((await failure(fetchPage(`${base}/away`, limits(), never, { confirmRedirect: deny }))).code).toBe('denied');
    const unasked = await failure(fetchPage(`${base}/away`, limits(), never));
    expect(unasked.code).toBe('blocked_url');
    expect(unasked.message).toMatch(/redirected to another host \(localhost:\d+\)/);
    expect(hits).toEqual(['/away', '/away']);
  });

  it('follows a redirect on the same host without asking', async () => {
    expect((await fetchPage(`${base}/here`, limits(), never, { confirmRedirect: deny })).text).toBe('landed');
    expect(asked).toEqual([]);
  });

  it('the time spent asking does not count against the fetch time limit', async () => {
    const slowUser: RedirectConfirm = () => new Promise((r) => setTimeout(r, 700));
    expect((await fetchPage(`${base}/away`, limits({ timeoutMs: 500 }), never, { confirmRedirect: slowUser })).text).toBe('landed');
  });
});

describe('fetchPage: text extraction off the main thread', () => {
  it('a page built to make the extraction slow is given up at the deadline, and the main thread keeps answering', async () => {
    // Tags that never close: each `<a ` made the tag pattern scan to the end of the page (quadratic).
    route['/tarpit'] = html('<a '.repeat(130_000));
    const loop = watchEventLoop();
    const started = performance.now();
    const err = await failure(fetchPage(`${base}/tarpit`, limits(), never, { compute: { deadlineMs: 500, calc: { maxBits: 4096 } } }));
    expect(loop.stop()).toBeLessThan(250);
    expect(err.code).toBe('unsupported_content');
    expect(err.message).toMatch(/could not be extracted within 0\.5 s/);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
