// Built-in tools that compute run on a worker thread (compute-worker.ts), one per task, with a hard
// deadline that terminates it. On the main thread a 265-character calculator expression once held
// the event loop for 15 s, and a 1 MB page of `<a ` for minutes: every other call (chat streams,
// other windows, Stop itself) waited, and the tool's own time limit could not fire because its
// timer runs on the same blocked loop. A terminated worker leaves nothing behind; a fresh one per
// task costs a few tens of milliseconds, nothing next to a model round trip.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ToolErrorCode } from '../../contract/index.ts';
import { DEFAULT_CALC_LIMITS, type CalcLimits, type CalcResult } from './calculator.ts';
import { ToolError } from './errors.ts';
import type { PageText } from './html-text.ts';

export type ComputeTask =
  | { kind: 'calculate'; expression: string; limits: CalcLimits }
  | { kind: 'html-text'; html: string; maxChars: number };

export type ComputeReply = { ok: true; value: unknown } | { ok: false; code: ToolErrorCode; message: string };

export interface ComputeLimits {
  /** Wall time for one task, worker start included; then the worker is terminated. */
  deadlineMs: number;
  calc: CalcLimits;
}

export const DEFAULT_COMPUTE_LIMITS: ComputeLimits = { deadlineMs: 5_000, calc: DEFAULT_CALC_LIMITS };

/** The worker's heap; a task that needs more fails (ERR_WORKER_OUT_OF_MEMORY) instead of growing main. */
const WORKER_HEAP_MB = 256;

/** The file name electron-vite gives the worker entry (electron.vite.config.ts, main inputs). */
export const BUNDLED_WORKER = 'tool-worker.js';

/**
 * Where the worker's code is. From source (browser mode, tests: Node strips the types) it is the
 * .ts file next to this one. In the Electron bundle this module sits in out/main/index.js or in a
 * shared chunk one folder below it, and the worker is its own entry in out/main.
 */
export function workerUrl(moduleUrl: string, exists: (u: URL) => boolean = existsSync): URL {
  if (/\.[cm]?ts$/.test(new URL(moduleUrl).pathname)) return new URL('./compute-worker.ts', moduleUrl);
  for (const rel of [`./${BUNDLED_WORKER}`, `../${BUNDLED_WORKER}`]) {
    const u = new URL(rel, moduleUrl);
    if (exists(u)) return u;
  }
  throw new Error(`The tool worker (${BUNDLED_WORKER}) is missing next to ${moduleUrl}.`);
}

let resolved: URL | undefined;

/** Runs `task` on a fresh worker; rejects with `onDeadline()` when it is not done in time. */
export function runInWorker<T>(task: ComputeTask, deadlineMs: number, signal: AbortSignal, onDeadline: () => ToolError): Promise<T> {
  if (signal.aborted) return Promise.reject(new ToolError('cancelled', 'Stopped by the user.'));
  resolved ??= workerUrl(import.meta.url);
  const worker = new Worker(resolved, { workerData: task, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  return new Promise<T>((resolve, reject) => {
    let over = false;
    const finish = (settle: () => void) => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    const timer = setTimeout(() => finish(() => reject(onDeadline())), deadlineMs);
    const onAbort = () => finish(() => reject(new ToolError('cancelled', 'Stopped by the user.')));
    signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: ComputeReply) => finish(() => (m.ok ? resolve(m.value as T) : reject(new ToolError(m.code, m.message)))));
    worker.once('error', (err) => {
      const memory = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish(() => reject(memory ? onDeadline() : err));
    });
    worker.once('exit', (code) => finish(() => reject(new Error(`The tool worker stopped (exit code ${code}) without an answer.`))));
  });
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The calculator, off the main thread. */
export function calculateInWorker(expression: string, limits: ComputeLimits, signal: AbortSignal): Promise<CalcResult> {
  return runInWorker<CalcResult>({ kind: 'calculate', expression, limits: limits.calc }, limits.deadlineMs, signal, () =>
    new ToolError('too_large', `The calculation was stopped after ${seconds(limits.deadlineMs)}: it is too large. Use smaller numbers or split the calculation.`),
  );
}

/** A fetched page's text, off the main thread (the page is hostile input: its shape sets the cost). */
export function htmlToTextInWorker(html: string, maxChars: number, limits: ComputeLimits, signal: AbortSignal): Promise<PageText> {
  return runInWorker<PageText>({ kind: 'html-text', html, maxChars }, limits.deadlineMs, signal, () =>
    new ToolError('unsupported_content', `The text of this page could not be extracted within ${seconds(limits.deadlineMs)}, so it was not read.`),
  );
}
