// The shared upstream stream reader over real HTTP on 127.0.0.1 (a tiny server in this file writes
// the exact bytes, comments and pauses each case needs): what eventsource-parser hands on, the
// keep-alive comments and the idle watchdog.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readUpstream, type ReadOutcome } from './stream-reader.ts';

let server: Server | null = null;

/** Serves one streaming answer written by `write`, and returns its URL. */
async function serve(write: (res: ServerResponse) => void | Promise<void>): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    void write(res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function read(url: string, idleMs: number) {
  const controller = new AbortController();
  const chunks: { obj: Record<string, unknown>; event: string }[] = [];
  let done = 0;
  let idled = 0;
  const response = await fetch(url, { signal: controller.signal });
  const started = performance.now();
  const outcome: ReadOutcome = await readUpstream(
    response,
    {
      idleMs,
      signal: controller.signal,
      onIdle: () => {
        idled++;
        controller.abort();
      },
    },
    { chunk: (obj, event) => void chunks.push({ obj, event }), done: () => void done++ },
  );
  return { outcome, chunks, done, idled, ms: performance.now() - started };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

describe('readUpstream', () => {
  it('hands on every field of a chunk as sent: reasoning_content, unknown fields, named events', async () => {
    const first = { choices: [{ delta: { reasoning_content: '考え中', content: '', x_vendor: { a: 1 } } }], kaiwa_extra: [1, 2] };
    const url = await serve((res) => {
      res.write(`data: ${JSON.stringify(first)}\n\n`);
      res.write('event: error\ndata: {"code":"x"}\n\n');
      res.end('data: [DONE]\n\n');
    });
    const r = await read(url, 2000);
    expect(r.outcome).toBe('ok');
    expect(r.chunks).toEqual([
      { obj: first, event: 'message' },
      { obj: { code: 'x' }, event: 'error' },
    ]);
    expect(r.done).toBe(1);
  });

  it('comment keep-alives keep a slow stream alive past the idle limit and dispatch nothing', async () => {
    const url = await serve(async (res) => {
      for (let i = 0; i < 6; i++) {
        res.write(': keep-alive\n\n');
        await sleep(60);
      }
      res.end('data: {"choices":[{"delta":{"content":"late"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    });
    const r = await read(url, 200);
    expect(r.outcome).toBe('ok');
    expect(r.idled).toBe(0);
    expect(r.ms).toBeGreaterThan(300);
    expect(r.chunks.map((c) => c.obj)).toEqual([{ choices: [{ delta: { content: 'late' }, finish_reason: 'stop' }] }]);
  });

  it('the idle watchdog ends a stream that stalls after its first event', async () => {
    const url = await serve((res) => {
      res.write('data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n');
      // …and nothing more: the connection stays open.
    });
    const r = await read(url, 150);
    expect(r.outcome).toBe('idle');
    expect(r.idled).toBe(1);
    expect(r.chunks).toHaveLength(1);
    expect(r.ms).toBeGreaterThanOrEqual(140);
    expect(r.ms).toBeLessThan(2000);
  });

  it('delivers a last event that lost its blank line when the body ends', async () => {
    const url = await serve((res) => void res.end('data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: {"choices":[{"delta":{"content":"b"}}]}'));
    const r = await read(url, 2000);
    expect(r.outcome).toBe('ok');
    expect(r.chunks.map((c) => (c.obj['choices'] as { delta: { content: string } }[])[0]!.delta.content)).toEqual(['a', 'b']);
  });
});
