// The unit tests' Kaiwa: the real composition root (services, SQLite, vault, contract validation) on
// a temp data dir, driven through dispatch exactly as the renderer drives it. Upstream behaviour is
// the fake upstream's job; point a provider at it with `useProvider`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallInput, CallName, CallOutput, EventName, EventPayload, KaiwaError, Message } from '../electron/contract/index.ts';
import { createKaiwa, type Kaiwa, type KaiwaOptions } from '../electron/services/index.ts';
import { silentLogger } from '../electron/services/log.ts';
import { systemClock, type Clock, type Platform } from '../electron/services/platform.ts';
import { createFileCipher } from '../electron/services/vault/file-cipher.ts';

/** A clock the test moves by hand (`clock.t = …`). */
export interface ManualClock extends Clock {
  t: number;
}

export function manualClock(t: number): ManualClock {
  return {
    t,
    now() {
      return this.t;
    },
  };
}

export interface TestKaiwaOptions<C extends Clock = Clock> {
  /** Default: the system clock. */
  clock?: C;
  /** The process environment Kaiwa sees (key import, proxy, tool switches). Default: empty. */
  env?: Platform['env'];
  /** Other host facilities (openExternal, resolveProxy, appVersion …). */
  platform?: Partial<Pick<Platform, 'appVersion' | 'openExternal' | 'openPath' | 'resolveProxy' | 'chooseSavePath'>>;
  /** Default: silent. */
  logger?: KaiwaOptions['logger'];
  upstream?: KaiwaOptions['upstream'];
  tools?: KaiwaOptions['tools'];
  /** Use this directory (the caller creates and removes it) instead of a fresh temp dir. */
  dataDir?: string;
}

type Restartable = Omit<TestKaiwaOptions, 'clock' | 'dataDir'>;
type StreamEnd = EventPayload<'stream.end'>;

export interface TestKaiwa<C extends Clock = Clock> {
  /** The running instance; replaced by `restart()`. */
  kaiwa: Kaiwa;
  dir: string;
  clock: C;
  /** Every event since the start, across restarts, in order. */
  events: { name: EventName; payload: unknown }[];
  /** The payloads of one event, optionally only those of one stream. */
  of<N extends EventName>(name: N, streamId?: string): EventPayload<N>[];
  /** Calls through the contract and unwraps the envelope; a failure throws an Error with `info`. */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  /** Calls through the contract and returns the error it must fail with. */
  failure(name: CallName, input: unknown): Promise<KaiwaError>;
  /** Points a provider at `baseUrl` with `keys`; `model` also becomes the default model. */
  useProvider(id: string, o: { baseUrl: string; keys?: string; model?: string; maxRetries?: number }): Promise<void>;
  /** Resolves with the stream's end event. */
  waitForEnd(streamId: string, timeoutMs?: number): Promise<StreamEnd>;
  /** Sends `text` in a conversation and resolves once the answer ended. */
  send(conversationId: string, text: string): Promise<{ sent: CallOutput<'chat.send'>; end: StreamEnd; message: Message }>;
  /** Sends `text` in a new conversation on this model and resolves with the finished answer. */
  ask(providerId: string, modelId: string, text?: string): Promise<Message>;
  /** Shuts the instance down (idempotent); the data dir stays. */
  stop(): Promise<void>;
  /** A new instance on the same data dir, as after quitting and starting the app again. */
  restart(changes?: Restartable): Promise<void>;
  /** Stops and removes the data dir (unless the caller passed its own). */
  close(): Promise<void>;
}

export function startTestKaiwa<C extends Clock = Clock>(options: TestKaiwaOptions<C> = {}): TestKaiwa<C> {
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kaiwa-test-'));
  const clock = (options.clock ?? systemClock) as C;
  let current: Restartable = options;
  let running = false;
  const events: { name: EventName; payload: unknown }[] = [];
  const wakers = new Set<() => void>();

  const make = (): Kaiwa => {
    const k = createKaiwa(
      {
        mode: 'web',
        dataDir: dir,
        appVersion: '0.0.0-test',
        platform: process.platform,
        systemLanguage: 'en',
        cipher: createFileCipher(dir),
        openExternal: async () => undefined,
        ...current.platform,
        clock,
        env: current.env ?? {},
      },
      {
        logger: current.logger ?? silentLogger,
        ...(current.upstream ? { upstream: current.upstream } : {}),
        ...(current.tools ? { tools: current.tools } : {}),
      },
    );
    k.subscribe((name, payload) => {
      events.push({ name, payload });
      for (const w of wakers) w();
    });
    running = true;
    return k;
  };

  const t: TestKaiwa<C> = {
    kaiwa: make(),
    dir,
    clock,
    events,
    of(name, streamId) {
      return events
        .filter((e) => e.name === name && (streamId === undefined || (e.payload as { streamId?: string }).streamId === streamId))
        .map((e) => e.payload as EventPayload<typeof name>);
    },
    async call(name, input) {
      const r = await t.kaiwa.dispatch(name, input);
      if (!r.ok) throw Object.assign(new Error(`${name}: ${r.error.code} ${r.error.message}`), { info: r.error });
      return r.value as CallOutput<typeof name>;
    },
    async failure(name, input) {
      const r = await t.kaiwa.dispatch(name, input);
      if (r.ok) throw new Error(`${name} unexpectedly succeeded`);
      return r.error;
    },
    async useProvider(id, { baseUrl, keys, model, maxRetries }) {
      await t.call('providers.update', { id, baseUrl, ...(maxRetries === undefined ? {} : { maxRetries }) });
      if (keys) await t.call('providers.setKeys', { id, keys });
      if (model) await t.call('settings.update', { defaultModel: { providerId: id, modelId: model } });
    },
    async waitForEnd(streamId, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = t.of('stream.end', streamId)[0];
        if (end) return end;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`stream ${streamId} did not end within ${timeoutMs} ms`);
        // Woken by the next event (or the deadline), so an answer is seen the moment it ends.
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            wakers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, left);
          wakers.add(wake);
        });
      }
    },
    async send(conversationId, text) {
      const sent = await t.call('chat.send', { conversationId, text });
      const end = await t.waitForEnd(sent.streamId);
      return { sent, end, message: end.message };
    },
    async ask(providerId, modelId, text = 'hello') {
      const conv = await t.call('conversations.create', { model: { providerId, modelId } });
      return (await t.send(conv.id, text)).message;
    },
    async stop() {
      if (!running) return;
      running = false;
      await t.kaiwa.shutdown();
    },
    async restart(changes = {}) {
      await t.stop();
      current = { ...current, ...changes };
      t.kaiwa = make();
    },
    async close() {
      await t.stop();
      if (!options.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Polls until `get` returns something (not undefined/false) and resolves with it. */
export async function waitFor<T>(get: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
