// `npm run bench`: streaming smoothness of Kaiwa against a naive renderer and the
// one-shot floor, in browser mode in Chromium, against the fake upstream replaying fixed chunks on
// the clock. Writes bench/results/<date>.json and prints a Markdown table.
//
//   node bench/run.ts [--quick] [--only t1,t3,t4,t5,t6,t7] [--naive-cap-s 300] [--profile]
//
// --quick: a small plan for trying the bench out (not for the README). --profile: instead of the
// plan, one Kaiwa run (100 KB at 2,000 tok/s, 1×) with a CDP trace and a JS sampling profile, on an
// unminified build with source maps; prints where the main thread's time went
// (bench/results/profile-<date>.json).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright';
import type { Scenario } from '../test/fake-upstream/scenarios.ts';
import { startHost, type HostProcess } from '../e2e/support/host.ts';
import { seedLongConversation } from '../e2e/support/seed-history.ts';
import { buildManifest, loadAnswer } from './generate-fixtures.ts';
import { analyseStream } from './lib/analyse.ts';
import { buildBenchPage } from './lib/build-page.ts';
import { chunkText, conversationMessage, generateAnswer, KB, prefixBytes } from './lib/fixtures.ts';
import { hostCall } from './lib/host-call.ts';
import { mainSideBench } from './lib/main-side.ts';
import type { StreamResult } from './lib/page-types.ts';
import { profileSummary, type ProfileSummary } from './lib/profile.ts';
import { buildReport, type BenchResults, type OpenRecord, type StreamRecord, type TypingRecord } from './lib/report.ts';
import { median, percentile } from './lib/stats.ts';
import { testKey } from '../test/test-keys.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const VIEWPORT = { width: 1280, height: 800 };

type Mode = 'kaiwa' | 'naive' | 'floor' | 'plain';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'naive-cap-s': { type: 'string', default: '300' },
    profile: { type: 'boolean', default: false },
    // Narrow the streaming plan while working on one figure, e.g. --sizes 100 --modes kaiwa,floor --cpus 1.
    sizes: { type: 'string' },
    modes: { type: 'string' },
    cpus: { type: 'string' },
    reps: { type: 'string', default: '1' },
  },
  strict: true,
});
const only = new Set((opts.only ?? 't1,t2,t3,t4,t5,t6,t7').split(',').map((s) => s.trim().toLowerCase()));
const NAIVE_CAP_MS = Number(opts['naive-cap-s']) * 1000;
const TYPING_CAP_MS = 180_000;
const listOpt = (v: string | undefined) => (v ? v.split(',').map((x) => x.trim()) : null);
const onlySizes = listOpt(opts.sizes)?.map(Number) ?? null;
const onlyModes = listOpt(opts.modes);
const onlyCpus = listOpt(opts.cpus)?.map(Number) ?? null;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Fails instead of waiting forever when the page never reports what it is waiting for. */
async function capped<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`bench: ${what} did not finish within ${ms / 1000} s`)), ms)));
  try {
    return await Promise.race([p, cap]);
  } finally {
    clearTimeout(timer);
  }
}
/**
 * `done`'s value, or false once `ms` have passed. The cap's timer is cleared either way: a pending
 * one kept the bench process alive for up to 10 minutes after it had printed its results.
 */
async function withinCap(done: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([done, new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
const epoch = () => performance.timeOrigin + performance.now();
const log = (msg: string) => process.stdout.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
const started = performance.now();

// -- fixtures --------------------------------------------------------------------------------------

const { answer, manifest } = loadAnswer();
if (generateAnswer() !== answer || JSON.stringify(buildManifest(answer)) !== JSON.stringify(manifest)) {
  throw new Error('bench/fixtures differ from the generator (bench/lib/fixtures.ts): run node bench/generate-fixtures.ts');
}
const fixture = (kb: number) => (kb === 100 ? answer : prefixBytes(answer, kb * KB));

// -- processes ------------------------------------------------------------------------------------

async function startFake(): Promise<{ child: ChildProcess; base: string; control: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'test/fake-upstream/cli.ts'), '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      out += d;
      const m = /Fake upstream ready: (\S+)/.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`fake upstream exited (${code})`)));
  });
  return { child, base, control: base.replace(/\/v1$/, '/__control') };
}

async function control(controlUrl: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${controlUrl}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`fake upstream control ${path}: ${res.status}`);
}

function scenario(text: string, rate: number): { scenario: Scenario; finalSeq: number; chunks: number } {
  const content = chunkText(text);
  return {
    // Chunk 0 is the role chunk, chunks 1…n carry the text: n is the final sequence number.
    scenario: { kind: 'stream', flavor: 'modelscope', content, delayMs: 1000 / rate, clock: true, stamp: true, id: 'chatcmpl-bench00000000', created: 1_750_000_000, usage: { prompt: 12, completion: content.length } },
    finalSeq: content.length,
    chunks: content.length,
  };
}

// -- page helpers -----------------------------------------------------------------------------------

interface Opened {
  page: Page;
  cdp: CDPSession;
  close(): Promise<void>;
}

async function openPage(browser: Browser, host: HostProcess, mode: Mode, cpu: number): Promise<Opened> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(`${host.origin}/?bench=${mode}#token=${host.token}`);
  await page.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 60_000 });
  await cdp.send('Performance.enable');
  if (cpu !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  return {
    page,
    cdp,
    close: async () => {
      await context.close().catch(() => undefined);
    },
  };
}

/** Page clock minus this process's clock (ms), from the round trip with the smallest delay. */
async function pageOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, off: 0 };
  for (let i = 0; i < 7; i++) {
    const a = epoch();
    const x = await page.evaluate(() => performance.timeOrigin + performance.now());
    const b = epoch();
    if (b - a < best.rtt) best = { rtt: b - a, off: x - (a + b) / 2 };
  }
  return best.off;
}

type Metrics = Record<string, number>;
async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: m } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(m.map((x) => [x.name, x.value]));
}
/** Main-thread time between two samples: script + layout + style (the T3 figure), and all tasks. */
function mainThread(a: Metrics, b: Metrics): { mainMs: number; scriptMs: number; layoutMs: number; styleMs: number; taskMs: number } {
  const d = (k: string) => ((b[k] ?? 0) - (a[k] ?? 0)) * 1000;
  return { mainMs: d('ScriptDuration') + d('LayoutDuration') + d('RecalcStyleDuration'), scriptMs: d('ScriptDuration'), layoutMs: d('LayoutDuration'), styleMs: d('RecalcStyleDuration'), taskMs: d('TaskDuration') };
}

/**
 * CPU time (ms) of each renderer process's main thread, from the kernel (/proc/…/schedstat):
 * unlike the DevTools durations, time the thread spent waiting for a CPU on a busy machine does not
 * count. The page's renderer is the one that grew most over a run.
 */
async function rendererCpu(ctx: Ctx): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const { processInfo } = (await ctx.browserCdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  for (const p of processInfo) {
    if (p.type !== 'renderer') continue;
    try {
      out.set(p.id, Number(readFileSync(`/proc/${p.id}/task/${p.id}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      // Not Linux, or the process just went away.
    }
  }
  return out;
}
function cpuDelta(a: Map<number, number>, b: Map<number, number>): number | null {
  let best: number | null = null;
  for (const [pid, v] of b) {
    const d = v - (a.get(pid) ?? 0);
    if (best === null || d > best) best = d;
  }
  return best;
}

// -- runs ---------------------------------------------------------------------------------------------

interface Ctx {
  browser: Browser;
  browserCdp: CDPSession;
  host: HostProcess;
  fake: { control: string };
  titles: { c100: string; c1000: string; c10000: string; home: string };
  lastIds: { c100: string; c1000: string; c10000: string };
  /** T6 conversations, one per CPU rate: a typing run leaves its long answer at the end of its own. */
  typing: Map<number, { title: string; lastId: string }>;
}

let runNo = 0;

async function streamRun(ctx: Ctx, mode: Mode, kb: number, rate: number, cpu: number): Promise<StreamRecord> {
  const text = fixture(kb);
  const sc = scenario(text, rate);
  const label = `${mode} ${kb} KB ${rate} tok/s ${cpu}×`;
  const conv = await hostCall<{ id: string }>(ctx.host.url, 'conversations.create', {});
  const p = await openPage(ctx.browser, ctx.host, mode, cpu);
  const load1 = loadavg()[0]!;
  try {
    await control(ctx.fake.control, 'reset', {});
    await control(ctx.fake.control, 'enqueue', sc.scenario);
    const offset = await pageOffset(p.page);
    const composer = p.page.getByRole('textbox', { name: 'Message' });
    await composer.fill(`bench run ${++runNo}: ${label}`);
    await p.page.evaluate(([f, n]) => window.__bench!.arm(f!, n!), [sc.finalSeq, text.length]);
    const c0 = await rendererCpu(ctx);
    const m0 = await metrics(p.cdp);
    const t0 = performance.now();
    await composer.press('Enter');
    const cap = mode === 'naive' ? NAIVE_CAP_MS : 10 * 60_000;
    const ended = p.page.evaluate(() => window.__bench!.whenEnded()).then(
      () => true,
      () => false,
    );
    const finished = await withinCap(ended, cap);
    const wallMs = performance.now() - t0;
    const m1 = await metrics(p.cdp);
    const c1 = await rendererCpu(ctx);
    let floor: StreamRecord['floor'];
    if (mode === 'floor' && finished) {
      const renderMs = await p.page.evaluate(() => window.__bench!.renderFloor());
      const m2 = await metrics(p.cdp);
      const c2 = await rendererCpu(ctx);
      const r = mainThread(m1, m2);
      floor = { renderMs, mainMs: r.mainMs, scriptMs: r.scriptMs, layoutMs: r.layoutMs, styleMs: r.styleMs, cpuMs: cpuDelta(c1, c2) };
    }
    const result = await p.page.evaluate(() => window.__bench!.result());
    const figures = analyseStream(result, sc.finalSeq, offset);
    const mt = mainThread(m0, m1);
    const rec: StreamRecord = {
      mode,
      kb,
      rate,
      cpu,
      chars: text.length,
      chunks: sc.chunks,
      finished: mode === 'floor' ? finished : figures.finished,
      capped: !finished,
      progress: mode === 'floor' ? (finished ? 1 : 0) : figures.progress,
      wallMs,
      ...mt,
      cpuMs: cpuDelta(c0, c1),
      ...(floor ? { floor } : {}),
      figures,
      pageOffsetMs: offset,
      load1,
    };
    log(
      `${label}: main ${mt.mainMs.toFixed(0)} ms, cpu ${rec.cpuMs?.toFixed(0)} ms${floor ? ` (+ render once ${floor.mainMs.toFixed(0)} ms, cpu ${floor.cpuMs?.toFixed(0)} ms)` : ''}, wall ${(wallMs / 1000).toFixed(1)} s` +
        (figures.t1Delta ? `, T1 p50/p95 ${figures.t1Delta.p50.toFixed(1)}/${figures.t1Delta.p95.toFixed(1)} ms` : '') +
        (figures.frame ? `, frame p95 ${figures.frame.p95.toFixed(1)} ms, ${figures.longFrames} long` : '') +
        (figures.backlogMs !== null ? `, backlog ${figures.backlogMs.toFixed(0)} ms` : '') +
        (rec.capped ? `, CAPPED at ${(cap / 1000).toFixed(0)} s with ${(rec.progress * 100).toFixed(0)}% painted` : '') +
        `, load ${load1.toFixed(1)}`,
    );
    return rec;
  } finally {
    await p.close();
    await hostCall(ctx.host.url, 'conversations.delete', { id: conv.id }).catch(() => undefined);
  }
}

/** T4/T5: a fresh page (on the small home conversation), then open `title` and time it. */
async function openRun(ctx: Ctx, messages: number, cpu: number, heap: boolean): Promise<OpenRecord> {
  const title = messages === 100 ? ctx.titles.c100 : messages === 1000 ? ctx.titles.c1000 : ctx.titles.c10000;
  const lastId = messages === 100 ? ctx.lastIds.c100 : messages === 1000 ? ctx.lastIds.c1000 : ctx.lastIds.c10000;
  const p = await openPage(ctx.browser, ctx.host, 'kaiwa', cpu);
  try {
    await p.page.evaluate((id) => window.__bench!.armOpen(id), lastId);
    const m0 = await metrics(p.cdp);
    await p.page.getByRole('button', { name: title, exact: true }).click();
    const r = await capped(p.page.evaluate(() => window.__bench!.openResult()), 120_000, `opening ${messages} messages`);
    const m1 = await metrics(p.cdp);
    for (let i = 0; i < 3; i++) await p.page.evaluate(() => window.__bench!.nextPaint());
    const dom = await p.page.evaluate(() => window.__bench!.domSize());
    let heapMB: number | undefined;
    if (heap) {
      // T5 is the heap with every message loaded: the app opens with the newest ones and loads the
      // rest right after, so wait for all of them.
      await p.page.waitForFunction((n) => window.__bench!.messagesLoaded() === n, messages, { timeout: 60_000, polling: 50 });
      await p.cdp.send('HeapProfiler.enable');
      await p.cdp.send('HeapProfiler.collectGarbage');
      await p.cdp.send('HeapProfiler.collectGarbage');
      const h = await p.cdp.send('Runtime.getHeapUsage');
      heapMB = h.usedSize / (1024 * 1024);
    }
    const rec: OpenRecord = { messages, cpu, visibleMs: r.visibleMs, paintedMs: r.paintedMs, mainMs: mainThread(m0, m1).mainMs, elements: dom.elements, nodes: dom.nodes, ...(heapMB !== undefined ? { heapMB } : {}), load1: loadavg()[0]! };
    log(`open ${messages} messages ${cpu}×: painted ${r.paintedMs.toFixed(0)} ms, ${dom.elements} elements${heapMB !== undefined ? `, heap ${heapMB.toFixed(1)} MB` : ''}`);
    return rec;
  } finally {
    await p.close();
  }
}

/** T6: type into the composer while a 100 KB answer streams at 2,000 tok/s under 1,000 messages. */
async function typingRun(ctx: Ctx, cpu: number): Promise<TypingRecord> {
  const text = answer;
  const sc = scenario(text, 2000);
  const p = await openPage(ctx.browser, ctx.host, 'kaiwa', cpu);
  try {
    const conv = ctx.typing.get(cpu);
    if (!conv) throw new Error(`no typing conversation seeded for ${cpu}× CPU`);
    await p.page.evaluate((id) => window.__bench!.armOpen(id), conv.lastId);
    await p.page.getByRole('button', { name: conv.title, exact: true }).click();
    await capped(p.page.evaluate(() => window.__bench!.openResult()), 120_000, `opening the typing conversation (${cpu}×)`);
    await control(ctx.fake.control, 'reset', {});
    await control(ctx.fake.control, 'enqueue', sc.scenario);
    const offset = await pageOffset(p.page);
    const composer = p.page.getByRole('textbox', { name: 'Message' });
    await composer.fill(`bench run ${++runNo}: typing ${cpu}×`);
    await p.page.evaluate(([f, n]) => window.__bench!.arm(f!, n!), [sc.finalSeq, text.length]);
    await composer.press('Enter');
    let done = false;
    const ended = p.page.evaluate(() => window.__bench!.whenEnded()).finally(() => (done = true));
    // Wait for the first text, then type until the answer is complete.
    await p.page.waitForFunction(() => window.__bench!.progress().painted > 0, undefined, { timeout: 60_000, polling: 100 });
    await p.page.evaluate(() => window.__bench!.keyLatencies());
    const letters = 'the quick brown fox jumps over the lazy dog ';
    let typed = 0;
    while (!done && typed < 400) {
      await composer.press(letters[typed % letters.length]!);
      typed++;
      await sleep(80);
    }
    // Bounded like every other run: a stream that never ends is reported, not waited for.
    const finished = await withinCap(ended.then(() => true), TYPING_CAP_MS);
    if (!finished) {
      const prog = await p.page.evaluate(() => window.__bench!.progress());
      await p.page.screenshot({ path: join(repoRoot, 'bench', 'results', 'tmp', `typing-${cpu}x-stuck.png`) });
      log(`typing ${cpu}×: the answer did not end within ${TYPING_CAP_MS / 1000} s (${JSON.stringify(prog)})`);
    }
    const keys = await p.page.evaluate(() => window.__bench!.keyLatencies());
    const result: StreamResult = await p.page.evaluate(() => window.__bench!.result());
    const figures = analyseStream(result, sc.finalSeq, offset);
    const rec: TypingRecord = { cpu, keys: keys.length, keyP50: median(keys), keyP95: percentile(keys, 95), keyMax: Math.max(...keys), figures, load1: loadavg()[0]! };
    log(`typing over 1,000 messages ${cpu}×: ${keys.length} keys, p95 ${rec.keyP95.toFixed(1)} ms, max ${rec.keyMax.toFixed(1)} ms`);
    return rec;
  } finally {
    await p.close();
  }
}

/**
 * One Kaiwa run (or, with `--modes plain`, the plain-text reference) with a CDP trace and a JS
 * profile: where the main thread's time goes.
 */
async function profileRun(ctx: Ctx): Promise<ProfileSummary> {
  const text = answer;
  const sc = scenario(text, 2000);
  const conv = await hostCall<{ id: string }>(ctx.host.url, 'conversations.create', {});
  const p = await openPage(ctx.browser, ctx.host, onlyModes?.[0] === 'plain' ? 'plain' : 'kaiwa', 1);
  try {
    await control(ctx.fake.control, 'reset', {});
    await control(ctx.fake.control, 'enqueue', sc.scenario);
    const composer = p.page.getByRole('textbox', { name: 'Message' });
    await composer.fill('bench profile run');
    await p.page.evaluate(([f, n]) => window.__bench!.arm(f!, n!), [sc.finalSeq, text.length]);
    const events: unknown[] = [];
    p.cdp.on('Tracing.dataCollected', (e: { value: unknown[] }) => events.push(...e.value));
    const traced = new Promise<void>((r) => p.cdp.once('Tracing.tracingComplete', () => r()));
    await p.cdp.send('Tracing.start', { traceConfig: { includedCategories: (process.env['BENCH_TRACE_CATEGORIES'] ?? 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing').split(',') }, transferMode: 'ReportEvents' });
    await p.cdp.send('Profiler.enable');
    await p.cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await p.cdp.send('Profiler.start');
    await composer.press('Enter');
    await p.page.evaluate(() => window.__bench!.whenEnded());
    const { profile } = await p.cdp.send('Profiler.stop');
    await p.cdp.send('Tracing.end');
    await traced;
    const result = await p.page.evaluate(() => window.__bench!.result());
    // The raw trace and profile, for a closer look (chrome://tracing, DevTools' Performance panel).
    const tmp = join(repoRoot, 'bench', 'results', 'tmp');
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, 'profile.trace.json'), JSON.stringify({ traceEvents: events }));
    writeFileSync(join(tmp, 'profile.cpuprofile'), JSON.stringify(profile));
    return profileSummary(profile, events, result.deltas.length, sc.chunks, sourceResolver());
  } finally {
    await p.close();
    await hostCall(ctx.host.url, 'conversations.delete', { id: conv.id }).catch(() => undefined);
  }
}

/** Maps a position in the bench bundle (served from out/bench-renderer) to its source file. */
function sourceResolver(): (url: string, line: number, column: number) => string | null {
  const maps = new Map<string, SourceMap | null>();
  return (url, line, column) => {
    const path = new URL(url).pathname;
    let map = maps.get(path);
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(join(repoRoot, 'out', 'bench-renderer', `${path}.map`), 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
      } catch {
        map = null;
      }
      maps.set(path, map);
    }
    const e = map?.findEntry(line, column) as { originalSource?: string } | undefined;
    return e?.originalSource ?? null;
  };
}

// -- plan -----------------------------------------------------------------------------------------------

interface StreamSpec {
  mode: Mode;
  kb: number;
  rate: number;
  cpu: number;
}

/** The streaming runs, grouped so the three renderers of a group run back to back (rotated order). */
function streamPlan(): StreamSpec[][] {
  const groups: StreamSpec[][] = [];
  const cpusToRun = opts.quick ? [1] : [1, 4];
  const sizes = opts.quick ? [10, 25] : [10, 25, 50, 100];
  let rot = 0;
  for (const cpu of cpusToRun) {
    if (only.has('t1')) {
      // T1 at the low rates: Kaiwa (the rates where nobody falls behind; the 2,000 tok/s runs below cover all three).
      groups.push([{ mode: 'kaiwa', kb: 10, rate: 50, cpu }]);
      groups.push([{ mode: 'kaiwa', kb: 25, rate: 250, cpu }]);
    }
    if (only.has('t1') || only.has('t2') || only.has('t3')) {
      for (const kb of sizes) {
        const modes: Mode[] = ['kaiwa', 'floor', 'naive', ...(kb === 100 || onlyModes?.includes('plain') ? (['plain'] as const) : [])];
        // The naive renderer is quadratic: at 4× it is only run where it can finish (or nearly) within its cap.
        const withNaive = cpu === 1 || kb <= 25;
        const g = (withNaive ? modes : modes.filter((m) => m !== 'naive')).map((mode) => ({ mode, kb, rate: 2000, cpu }));
        const r = rot++ % g.length;
        groups.push([...g.slice(r), ...g.slice(0, r)]);
      }
    }
  }
  return groups
    .map((g) => g.filter((x) => (!onlySizes || onlySizes.includes(x.kb)) && (!onlyModes || onlyModes.includes(x.mode)) && (!onlyCpus || onlyCpus.includes(x.cpu))))
    .filter((g) => g.length > 0);
}

async function runPlan(ctx: Ctx, streams: StreamRecord[], opens: OpenRecord[], typing: TypingRecord[], touchHome: () => Promise<unknown>): Promise<void> {
  const plan = streamPlan();
  for (let rep = 0; rep < Number(opts.reps); rep++) for (const group of plan) for (const s of group) streams.push(await streamRun(ctx, s.mode, s.kb, s.rate, s.cpu));
    if (only.has('t4') || only.has('t5')) {
      for (const cpu of (opts.quick ? [1] : [1, 4]).filter((c) => !onlyCpus || onlyCpus.includes(c))) {
        for (let rep = 0; rep < 3; rep++) {
          opens.push(await openRun(ctx, 100, cpu, false));
          opens.push(await openRun(ctx, 1000, cpu, false));
        }
        opens.push(await openRun(ctx, 10_000, cpu, only.has('t5')));
      }
    }
    if (only.has('t6')) {
      for (const cpu of (opts.quick ? [1] : [1, 4]).filter((c) => !onlyCpus || onlyCpus.includes(c))) {
        typing.push(await typingRun(ctx, cpu));
        await touchHome();
      }
    }
}

// -- main -------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const machine = {
    cpu: (/model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown').trim(),
    cores: cpus().length,
    memGB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    chromium: '',
    loadStart: loadavg(),
    loadEnd: [] as number[],
  };
  log(`machine: ${machine.cpu}, ${machine.cores} cores, load ${machine.loadStart.map((x) => x.toFixed(2)).join(' ')}`);

  await buildBenchPage(repoRoot, opts.profile);
  log(`bench page built (out/bench-renderer${opts.profile ? ', unminified with source maps' : ''})`);

  const dataDir = mkdtempSync(join(tmpdir(), 'kaiwa-bench-'));
  const titles = { c100: 'Bench: 100 messages', c1000: 'Bench: 1,000 messages', c10000: 'Bench: 10,000 messages', home: 'Bench: home' };
  const text = (i: number) => conversationMessage(i);
  seedLongConversation(dataDir, { messages: 100, title: titles.c100, text, idPrefix: 'c100_' });
  seedLongConversation(dataDir, { messages: 1000, title: titles.c1000, text, idPrefix: 'c1000_' });
  seedLongConversation(dataDir, { messages: 10_000, title: titles.c10000, text, idPrefix: 'c10000_' });
  const lastId = (prefix: string, n: number) => `${prefix}${String(n - 1).padStart(6, '0')}`;
  const typingConvs = new Map<number, { title: string; lastId: string }>();
  for (const cpu of [1, 4]) {
    const title = `Bench: typing over 1,000 messages (${cpu}×)`;
    seedLongConversation(dataDir, { messages: 1000, title, text, idPrefix: `typing${cpu}_` });
    typingConvs.set(cpu, { title, lastId: lastId(`typing${cpu}_`, 1000) });
  }
  const home = seedLongConversation(dataDir, { messages: 2, title: titles.home, idPrefix: 'home_' });
  log('conversations seeded (100, 1,000, 10,000 messages)');

  const fake = await startFake();
  // The bench's own host entry stamps chunks around the product (bench/lib/bench-host.ts).
  const host = await startHost({ dataDir, entry: 'bench/lib/bench-host.ts', extraArgs: ['--renderer-dir', join(repoRoot, 'out', 'bench-renderer')] });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  machine.chromium = browser.version();
  const streams: StreamRecord[] = [];
  const opens: OpenRecord[] = [];
  const typing: TypingRecord[] = [];
  let mainSide: Awaited<ReturnType<typeof mainSideBench>>[] = [];
  let profile: ProfileSummary | undefined;
  try {
    await hostCall(host.url, 'providers.update', { id: 'modelscope', baseUrl: fake.base });
    await hostCall(host.url, 'providers.setKeys', { id: 'modelscope', keys: testKey('ms-', 'bench-key-0001') });
    await hostCall(host.url, 'settings.update', { defaultModel: { providerId: 'modelscope', modelId: 'fake-model' } });
    const ctx: Ctx = {
      browser,
      browserCdp: await browser.newBrowserCDPSession(),
      host,
      fake,
      titles,
      lastIds: { c100: lastId('c100_', 100), c1000: lastId('c1000_', 1000), c10000: lastId('c10000_', 10_000) },
      typing: typingConvs,
    };
    const touchHome = () => hostCall(host.url, 'conversations.update', { id: home.conversationId, title: titles.home });

    // Warm-up: the first page of a fresh browser pays for its caches; not measured.
    await streamRun(ctx, 'kaiwa', 10, 2000, 1);

    if (opts.profile) {
      profile = await profileRun(ctx);
      log(`profile: ${profile.headline}`);
    } else await runPlan(ctx, streams, opens, typing, touchHome);
  } finally {
    await browser.close();
    await host.stop();
    fake.child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }

  if (profile) {
    const dir = join(repoRoot, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `profile-${new Date().toISOString().slice(0, 16).replace(/:/g, '')}.json`);
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, profile }, null, 1) + '\n');
    process.stdout.write(`\n${JSON.stringify(profile, null, 1)}\n`);
    log(`profile: ${file}`);
    return;
  }

  if (only.has('t7')) {
    mainSide = [await mainSideBench(repoRoot, answer, 2000, opts.quick ? 1 : 2), await mainSideBench(repoRoot, fixture(10), 250, opts.quick ? 1 : 2)];
    for (const m of mainSide) log(`T7 ${m.rate} tok/s: parse ${m.parseUsPerChunk.toFixed(1)} µs/chunk, full ${m.fullUsPerChunk.toFixed(1)} µs/chunk, ratio ${m.ratio.toFixed(2)}`);
  }

  machine.loadEnd = loadavg();
  const results: BenchResults = {
    date: new Date().toISOString(),
    quick: opts.quick,
    machine,
    fixture: { bytes: manifest.answer.bytes, chars: manifest.answer.chars, fenceLines: manifest.fence.lines, prefixes: manifest.prefixes },
    naiveCapS: NAIVE_CAP_MS / 1000,
    durationS: (performance.now() - started) / 1000,
    streams,
    opens,
    typing,
    mainSide,
    ...(profile ? { profile } : {}),
  };
  const report = buildReport(results);
  results.summary = report.summary;
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = results.date.slice(0, 16).replace(/:/g, '');
  const file = join(dir, `${stamp}${opts.quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify(results, null, 1) + '\n');
  process.stdout.write(`\n${report.markdown}\n`);
  log(`results: ${file} (${(results.durationS / 60).toFixed(1)} min)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
