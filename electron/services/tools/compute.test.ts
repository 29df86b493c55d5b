// Tools that compute run on a worker thread with a hard deadline: the real worker (compute-worker.ts
// started from source, as in browser mode) through the real ToolHost, with the deadline and the
// calculator's size limit injected so that a slow task stays slow and the test stays short.
import { describe, expect, it } from 'vitest';
import type { ToolCall } from '../../contract/index.ts';
import { silentLogger } from '../log.ts';
import { systemClock } from '../platform.ts';
import { BUNDLED_WORKER, workerUrl } from './compute.ts';
import { ToolHost, type RunContext, type ToolHostOptions } from './host.ts';
import { watchEventLoop } from '../../../test/tools/event-loop.ts';
import { OLD_MAX_BITS, SLOW_EXPRESSION } from '../../../test/tools/slow-inputs.ts';

const host = (options: ToolHostOptions = {}) => new ToolHost({ emit: () => {}, clock: systemClock, log: silentLogger }, options);

const calc = (expression: string): ToolCall => ({ index: 0, id: 'call_1', name: 'calculate', arguments: JSON.stringify({ expression }) });

const ctx = (signal = new AbortController().signal): RunContext => ({
  enabled: new Set(['calculate']),
  timeZone: 'UTC',
  signal,
  ids: { streamId: 's', messageId: 'm', conversationId: 'c' },
  onState: () => {},
});

describe('calculator on a worker thread', () => {
  it('a calculation past its deadline is stopped, and the main thread answers all along', async () => {
    // The old 65,536-bit limit: this expression needs about 15 s of arithmetic.
    const h = host({ compute: { deadlineMs: 600, calc: { maxBits: OLD_MAX_BITS } } });
    const loop = watchEventLoop();
    const started = performance.now();
    const out = await h.run(calc(SLOW_EXPRESSION), ctx());
    const took = performance.now() - started;
    const longestStall = loop.stop();
    expect(out.error?.code).toBe('too_large');
    expect(out.error?.message).toMatch(/stopped after 0\.6 s: it is too large/);
    expect(JSON.parse(out.result)).toEqual({ error: out.error?.message });
    expect(took).toBeLessThan(3_000);
    expect(longestStall).toBeLessThan(250);
  });

  it('with the real limits the same expression is refused at once, saying what the limit is', async () => {
    const loop = watchEventLoop();
    const out = await host().run(calc(SLOW_EXPRESSION), ctx());
    expect(loop.stop()).toBeLessThan(250);
    expect(out.error).toEqual({ code: 'too_large', message: expect.stringMatching(/limited to 4096 bits, about 1,233 decimal digits/) });
    expect(out.durationMs).toBeLessThan(2_000);
  });

  it('answers ordinary expressions from the worker', async () => {
    const out = await host().run(calc('(0.1 + 0.2) * 3'), ctx());
    expect(JSON.parse(out.result)).toEqual({ expression: '(0.1 + 0.2) * 3', result: '0.9', exact: true });
    const bad = await host().run(calc('1/0'), ctx());
    expect(bad.error?.code).toBe('division_by_zero');
  });

  it('Stop ends a running calculation at once', async () => {
    const stop = new AbortController();
    const h = host({ compute: { deadlineMs: 30_000, calc: { maxBits: OLD_MAX_BITS } } });
    setTimeout(() => stop.abort(), 300);
    const started = performance.now();
    const out = await h.run(calc(SLOW_EXPRESSION), ctx(stop.signal));
    expect(out.error?.code).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('workerUrl', () => {
  it('from source: the .ts worker next to compute.ts', () => {
    expect(workerUrl('file:///app/electron/services/tools/compute.ts').href).toBe('file:///app/electron/services/tools/compute-worker.ts');
  });

  it('bundled: the worker entry next to the main bundle, also from a chunk one folder below it', () => {
    const present = new Set([`file:///app/out/main/${BUNDLED_WORKER}`]);
    const exists = (u: URL) => present.has(u.href);
    expect(workerUrl('file:///app/out/main/index.js', exists).href).toBe(`file:///app/out/main/${BUNDLED_WORKER}`);
    expect(workerUrl('file:///app/out/main/chunks/host-abc123.js', exists).href).toBe(`file:///app/out/main/${BUNDLED_WORKER}`);
    expect(() => workerUrl('file:///elsewhere/index.js', exists)).toThrow(/tool worker/);
  });
});
