// Shared by the quota and usage unit tests: a real Kaiwa (services, SQLite, vault) in a temp dir
// with a hand-moved clock, talking to the fake upstream over loopback HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallInput, CallName, CallOutput, EventName, Message } from '../../contract/index.ts';
import { createKaiwa, type Kaiwa } from '../index.ts';
import { createLogger } from '../log.ts';
import { createFileCipher } from '../vault/file-cipher.ts';

export interface TestKaiwa {
  kaiwa: Kaiwa;
  dir: string;
  clock: { t: number };
  events: { name: EventName; payload: unknown }[];
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  /** Sends `text` in a new conversation on this model and resolves with the finished answer. */
  ask(providerId: string, modelId: string, text?: string): Promise<Message>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestKaiwa(now: number): Promise<TestKaiwa> {
  const dir = mkdtempSync(join(tmpdir(), 'kaiwa-quota-'));
  const clock = { t: now };
  const events: { name: EventName; payload: unknown }[] = [];
  const make = () => {
    const k = createKaiwa(
      {
        mode: 'web',
        dataDir: dir,
        appVersion: '0.0.0-test',
        platform: process.platform,
        systemLanguage: 'en',
        cipher: createFileCipher(dir),
        openExternal: async () => undefined,
        clock: { now: () => clock.t },
        env: {},
      },
      { logger: createLogger({ level: 'error' }) },
    );
    k.subscribe((name, payload) => events.push({ name, payload }));
    return k;
  };
  const t: TestKaiwa = {
    kaiwa: make(),
    dir,
    clock,
    events,
    async call(name, input) {
      const env = await t.kaiwa.dispatch(name, input);
      if (!env.ok) throw new Error(`${name}: ${JSON.stringify(env.error)}`);
      return env.value as never;
    },
    async ask(providerId, modelId, text = 'hello') {
      const conv = await t.call('conversations.create', { model: { providerId, modelId } });
      const { streamId } = await t.call('chat.send', { conversationId: conv.id, text });
      for (let i = 0; i < 500; i++) {
        const end = events.find((e) => e.name === 'stream.end' && (e.payload as { streamId: string }).streamId === streamId);
        if (end) return (end.payload as { message: Message }).message;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('the answer did not end within 5 s');
    },
    async restart() {
      await t.kaiwa.shutdown();
      t.kaiwa = make();
    },
    async close() {
      await t.kaiwa.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
