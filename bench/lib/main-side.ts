// T7: what the main side spends per chunk — the real ChatService (SSE parser, chunk handling,
// think splitter, DeltaBatcher, checkpoints) behind the real browser-mode host sending deltas over
// a WebSocket to a client in another process — against SseParser + JSON.parse alone over the same
// bytes. Both read an in-process stream that delivers the fixture's SSE bytes on the clock (what is
// due every TICK_MS), so the batcher coalesces exactly as it would live.
//
// The work is timed where it happens, by wrapping the real methods for the duration of the run:
// SseParser.push (decode is outside: both variants do it) covers parsing, JSON.parse and — in the
// service — all chunk handling down to the batcher's push; DeltaBatcher.flush covers joining a
// frame's text, the event, the host's JSON.stringify and ws.send; HistoryStore.checkpoint is the
// once-a-second save. Waiting for bytes and the stream plumbing both variants share do not count.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildEvents } from '../../test/fake-upstream/server.ts';
import { DeltaBatcher } from '../../electron/services/chat/batcher.ts';
import { SseParser } from '../../electron/services/chat/sse.ts';
import { HistoryStore } from '../../electron/services/history/store.ts';
import { createKaiwa } from '../../electron/services/index.ts';
import { createLogger } from '../../electron/services/log.ts';
import { Upstream } from '../../electron/services/providers/upstream.ts';
import { startWebHost } from '../../electron/web/server.ts';
import { benchPlatform } from './bench-host.ts';
import { chunkText } from './fixtures.ts';
import { testKey } from '../../test/test-keys.ts';

const TICK_MS = 2;

/** The SSE bytes of one answer as the fake upstream sends it (ModelScope's chunk shape), per event. */
export function sseEvents(text: string): Uint8Array[] {
  const content = chunkText(text);
  const events = buildEvents(
    { kind: 'stream', flavor: 'modelscope', content, id: 'chatcmpl-bench00000000', created: 1_750_000_000, usage: { prompt: 12, completion: content.length } },
    'fake-model',
    true,
  );
  const enc = new TextEncoder();
  return [...events.map((e) => enc.encode(`data: ${e}\n\n`)), enc.encode('data: [DONE]\n\n')];
}

/** A body that delivers event i at i × 1000/rate ms, in one read per tick for whatever is due. */
function pacedBody(events: Uint8Array[], rate: number): ReadableStream<Uint8Array> {
  const gap = 1000 / rate;
  let timer: ReturnType<typeof setTimeout> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const t0 = performance.now();
      let i = 0;
      const tick = () => {
        const now = performance.now();
        let n = 0;
        let j = i;
        while (j < events.length && j * gap <= now - t0) n += events[j++]!.length;
        if (n > 0) {
          const buf = new Uint8Array(n);
          let o = 0;
          for (; i < j; i++) {
            buf.set(events[i]!, o);
            o += events[i]!.length;
          }
          controller.enqueue(buf);
        }
        if (i >= events.length) controller.close();
        else timer = setTimeout(tick, Math.max(0, Math.min(TICK_MS, t0 + i * gap - performance.now())));
      };
      tick();
    },
    cancel() {
      if (timer) clearTimeout(timer);
    },
  });
}

interface Spent {
  push: number;
  flush: number;
  checkpoint: number;
  flushes: number;
}

/** Runs `fn` with the hot methods wrapped in timers; returns the ms spent in each. */
async function timed(fn: () => Promise<void>): Promise<Spent> {
  const spent: Spent = { push: 0, flush: 0, checkpoint: 0, flushes: 0 };
  const push = SseParser.prototype.push;
  const flush = DeltaBatcher.prototype.flush;
  const checkpoint = HistoryStore.prototype.checkpoint;
  SseParser.prototype.push = function (this: SseParser, chunk: string) {
    const t = performance.now();
    push.call(this, chunk);
    spent.push += performance.now() - t;
  };
  DeltaBatcher.prototype.flush = function (this: DeltaBatcher) {
    const t = performance.now();
    flush.call(this);
    spent.flush += performance.now() - t;
    spent.flushes++;
  };
  HistoryStore.prototype.checkpoint = function (this: HistoryStore, ...args: Parameters<HistoryStore['checkpoint']>) {
    const t = performance.now();
    const r = checkpoint.apply(this, args);
    spent.checkpoint += performance.now() - t;
    return r;
  };
  try {
    await fn();
  } finally {
    SseParser.prototype.push = push;
    DeltaBatcher.prototype.flush = flush;
    HistoryStore.prototype.checkpoint = checkpoint;
  }
  return spent;
}

async function parseOnly(events: Uint8Array[], rate: number): Promise<void> {
  const reader = pacedBody(events, rate).getReader();
  const decoder = new TextDecoder();
  let parsed = 0;
  const parser = new SseParser((data) => {
    if (data !== '[DONE]' && JSON.parse(data)) parsed++;
  });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.push(decoder.decode(value, { stream: true }));
  }
  parser.end();
  if (parsed !== events.length - 1) throw new Error(`T7: parsed ${parsed} of ${events.length - 1} events`);
}

interface FullRig {
  run(events: Uint8Array[], rate: number): Promise<{ deltas: number }>;
  close(): Promise<void>;
}

/** The real services and browser-mode host, with a WebSocket client in a child process. */
async function fullRig(repoRoot: string): Promise<FullRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kaiwa-bench-t7-'));
  let body: (() => ReadableStream<Uint8Array>) | null = null;
  const upstream = new Upstream(async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.endsWith('/chat/completions') || !body) return new Response('{}', { status: 404 });
    return new Response(body(), { status: 200, headers: { 'content-type': 'text/event-stream' } });
  });
  const kaiwa = createKaiwa(benchPlatform(dataDir), { upstream, logger: createLogger({ level: 'error' }) });
  const call = async (name: string, payload: unknown): Promise<unknown> => {
    const r = (await kaiwa.dispatch(name, payload)) as { ok: boolean; value?: unknown; error?: unknown };
    if (!r.ok) throw new Error(`T7: ${name} failed: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  await call('providers.update', { id: 'modelscope', baseUrl: 'http://127.0.0.1:9/v1' });
  await call('providers.setKeys', { id: 'modelscope', keys: testKey('ms-', 'bench-key-0001') });
  await call('settings.update', { defaultModel: { providerId: 'modelscope', modelId: 'fake-model' } });
  const host = await startWebHost({ kaiwa, rendererDir: join(repoRoot, 'out', 'renderer'), port: 0 });
  const sink = spawn(process.execPath, [join(repoRoot, 'bench', 'lib', 'ws-sink.ts'), `http://127.0.0.1:${host.port}`, host.token], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    sink.stdout!.once('data', () => resolve());
    sink.once('exit', (code) => reject(new Error(`T7: WebSocket client exited (${code})`)));
  });
  return {
    async run(events, rate) {
      body = () => pacedBody(events, rate);
      const conv = (await call('conversations.create', {})) as { id: string };
      let deltas = 0;
      let resolveEnd!: () => void;
      const ended = new Promise<void>((r) => (resolveEnd = r));
      const off = kaiwa.subscribe((name) => {
        if (name === 'stream.delta') deltas++;
        else if (name === 'stream.end') resolveEnd();
      });
      try {
        await call('chat.send', { conversationId: conv.id, text: 'T7' });
        await ended;
      } finally {
        off();
      }
      await call('conversations.delete', { id: conv.id });
      return { deltas };
    },
    async close() {
      sink.kill();
      await host.close();
      await kaiwa.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface MainSideResult {
  rate: number;
  chunks: number;
  bytes: number;
  deltas: number;
  /** ms over the whole answer: SseParser + JSON.parse alone; the service's parse + chunk handling + batching; sending (flush → ws.send); checkpoints. */
  parseMs: number;
  handleMs: number;
  sendMs: number;
  checkpointMs: number;
  /** Per chunk, µs: parse alone, and parse + handling + batching + sending. */
  parseUsPerChunk: number;
  fullUsPerChunk: number;
  /** (handle + send) / parse — T7. */
  ratio: number;
  /** Including the once-a-second checkpoints. */
  ratioWithCheckpoints: number;
}

/** One warm-up pass, then `reps` interleaved passes of each variant; medians are reported. */
export async function mainSideBench(repoRoot: string, text: string, rate: number, reps = 3): Promise<MainSideResult> {
  const events = sseEvents(text);
  const warm = sseEvents(text.slice(0, 4000));
  const rig = await fullRig(repoRoot);
  try {
    await parseOnly(warm, 20_000);
    await rig.run(warm, 20_000);
    const parse: number[] = [];
    const handle: number[] = [];
    const send: number[] = [];
    const checkpoint: number[] = [];
    let deltas = 0;
    for (let i = 0; i < reps; i++) {
      parse.push((await timed(() => parseOnly(events, rate))).push);
      const full = await timed(async () => {
        deltas = (await rig.run(events, rate)).deltas;
      });
      handle.push(full.push);
      send.push(full.flush);
      checkpoint.push(full.checkpoint);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const chunks = events.length - 1;
    const parseMs = med(parse);
    const handleMs = med(handle);
    const sendMs = med(send);
    const checkpointMs = med(checkpoint);
    return {
      rate,
      chunks,
      bytes: events.reduce((s, e) => s + e.length, 0),
      deltas,
      parseMs,
      handleMs,
      sendMs,
      checkpointMs,
      parseUsPerChunk: (parseMs / chunks) * 1000,
      fullUsPerChunk: ((handleMs + sendMs) / chunks) * 1000,
      ratio: (handleMs + sendMs) / parseMs,
      ratioWithCheckpoints: (handleMs + sendMs + checkpointMs) / parseMs,
    };
  } finally {
    await rig.close();
  }
}
