// The browser-mode host as the bench runs it: the real services and web host (electron/web), with
// the bench's instruments around what createKaiwa is given rather than inside the product:
//  - the upstream's fetch is wrapped so each `kaiwa_seq` the fake upstream stamps on a chunk is
//    noted, with the time its bytes reached the host (epoch ms);
//  - the event stream is wrapped so the stamps noted since the previous delta ride on the next
//    `stream.delta` as `bench: { seq, at }` (they never cause a delta: a chunk without text sends none).
// Args: --port N --data-dir DIR [--renderer-dir DIR], like electron/web/main.ts.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EventName } from '../../electron/contract/index.ts';
import { createKaiwa, type Kaiwa } from '../../electron/services/index.ts';
import { createLogger } from '../../electron/services/log.ts';
import { systemClock, type Platform } from '../../electron/services/platform.ts';
import { Upstream, type FetchLike } from '../../electron/services/providers/upstream.ts';
import { createFileCipher } from '../../electron/services/vault/file-cipher.ts';
import { startWebHost } from '../../electron/web/server.ts';

export interface Stamps {
  seq: number[];
  at: number[];
}

/** The platform both bench hosts give createKaiwa: browser mode, no environment, nothing opened. */
export function benchPlatform(dataDir: string): Platform {
  return {
    mode: 'web',
    dataDir,
    appVersion: 'bench',
    platform: process.platform,
    systemLanguage: 'en',
    cipher: createFileCipher(dataDir),
    clock: systemClock,
    env: {},
    openExternal: async () => undefined,
  };
}

/** Notes `kaiwa_seq` of every chunk of a chat stream as its bytes arrive. */
export function stampingFetch(inner: FetchLike, note: (seq: number, at: number) => void): FetchLike {
  return async (input, init) => {
    const res = await inner(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!res.body || !url.endsWith('/chat/completions')) return res;
    const decoder = new TextDecoder();
    let carry = '';
    const scan = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const at = performance.timeOrigin + performance.now();
        const text = carry + decoder.decode(chunk, { stream: true });
        const cut = text.lastIndexOf('\n') + 1;
        carry = text.slice(cut);
        for (const m of text.slice(0, cut).matchAll(/"kaiwa_seq":(\d+)/g)) note(Number(m[1]), at);
        controller.enqueue(chunk);
      },
    });
    return new Response(res.body.pipeThrough(scan), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** The same Kaiwa, except that each subscriber's `stream.delta` carries the stamps noted before it. */
export function withStamps(kaiwa: Kaiwa): { kaiwa: Kaiwa; note: (seq: number, at: number) => void } {
  let pending: Stamps | null = null;
  // One stamped copy per delta, shared by every subscriber (each socket sees the same stamps).
  const stamped = new WeakMap<object, unknown>();
  const stamp = (name: EventName, payload: unknown): unknown => {
    if (name !== 'stream.delta' || !payload || typeof payload !== 'object') return payload;
    const done = stamped.get(payload);
    if (done) return done;
    const out = pending ? { ...payload, bench: pending } : payload;
    pending = null;
    stamped.set(payload, out);
    return out;
  };
  return {
    kaiwa: { ...kaiwa, subscribe: (listener) => kaiwa.subscribe((name, payload) => listener(name, stamp(name, payload))) },
    note(seq, at) {
      if (pending) {
        pending.seq.push(seq);
        pending.at.push(at);
      } else pending = { seq: [seq], at: [at] };
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, 'data-dir': { type: 'string' }, 'renderer-dir': { type: 'string' } }, strict: false });
  const dataDir = resolve(String(values['data-dir']));
  const log = createLogger({ dir: `${dataDir}/logs`, stderr: true });
  let note: (seq: number, at: number) => void = () => {};
  const upstream = new Upstream(stampingFetch((i, init) => fetch(i, init), (seq, at) => note(seq, at)));
  const product = createKaiwa(benchPlatform(dataDir), { upstream, logger: log });
  const wrapped = withStamps(product);
  note = wrapped.note;
  const host = await startWebHost({ kaiwa: wrapped.kaiwa, rendererDir: resolve(String(values['renderer-dir'])), port: Number(values.port) });
  process.stdout.write(`Kaiwa ready: ${host.url}\n`);
  const stop = async () => {
    await host.close();
    await product.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench host could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
