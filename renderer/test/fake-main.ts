// For the stores' unit tests: main's side of the contract, in memory, installed as `window.kaiwa`
// (what the preload gives the page). The stores under test are the real ones; only main is played
// here, with conversations of any length and calls a test can hold back or make fail, since the
// view's behaviour is about what arrives when. Install it before anything imports the bridge.
import type { Conversation, ConversationSummary, EventName, EventPayload, Message } from '../../electron/contract/index.ts';

type Handler = (input: Record<string, unknown>) => unknown;

export interface FakeMain {
  conversations: Map<string, { conversation: Conversation; messages: Message[] }>;
  /** Every call made, in order: [name, input]. */
  calls: [string, Record<string, unknown>][];
  /** The next call of this name waits until the returned function is called (with an error: fails). */
  hold(name: string): (err?: Error) => void;
  /** Answers every call of this name (replaces the in-memory behaviour; null: back to it). */
  handle(name: string, h: Handler | null): void;
  emit<N extends EventName>(name: N, payload: EventPayload<N>): void;
  add(id: string, count: number): Conversation;
}

export function message(conversationId: string, i: number): Message {
  return {
    id: `${conversationId}-m${i}`,
    conversationId,
    parentId: i === 0 ? null : `${conversationId}-m${i - 1}`,
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: `message ${i}`,
    reasoning: '',
    status: 'done',
    createdAt: i,
    version: { index: 1, count: 1 },
  };
}

export function installFakeMain(): FakeMain {
  const conversations: FakeMain['conversations'] = new Map();
  const calls: FakeMain['calls'] = [];
  const held = new Map<string, Promise<void>>();
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();

  const builtIn: Record<string, Handler> = {
    'conversations.list': () =>
      [...conversations.values()].map(({ conversation: c }): ConversationSummary => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, providerId: null, modelId: null })),
    'conversations.open': (i) => {
      const c = conversations.get(i['id'] as string);
      if (!c) throw Object.assign(new Error('This conversation no longer exists.'), { code: 'not_found' });
      const tail = i['tail'] as number | undefined;
      const messages = tail === undefined ? c.messages : c.messages.slice(-tail);
      return { conversation: c.conversation, messages, ...(tail !== undefined ? { earlier: c.messages.length - messages.length } : {}), streams: [] };
    },
    'conversations.update': (i) => {
      const c = conversations.get(i['id'] as string)!;
      Object.assign(c.conversation, i);
      return c.conversation;
    },
  };

  const invoke = async (name: string, input: Record<string, unknown>) => {
    calls.push([name, input]);
    const wait = held.get(name);
    held.delete(name);
    try {
      if (wait) await wait;
      const h = handlers.get(name) ?? builtIn[name];
      if (!h) throw new Error(`no fake for ${name}`);
      return { ok: true, value: structuredClone(h(input)) };
    } catch (err) {
      const e = err as Error & { code?: string };
      return { ok: false, error: { code: e.code ?? 'internal', message: e.message } };
    }
  };

  const api: Record<string, unknown> = {
    transport: 'ipc',
    on(name: string, l: (p: unknown) => void) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(l);
      return () => set.delete(l);
    },
  };
  for (const ns of ['conversations', 'messages', 'chat', 'tools', 'app']) {
    api[ns] = new Proxy({}, { get: (_t, method: string) => (input: Record<string, unknown>) => invoke(`${ns}.${method}`, input) });
  }
  (globalThis as unknown as { window: unknown }).window = { kaiwa: api, addEventListener: () => undefined };

  return {
    conversations,
    calls,
    hold(name) {
      let release!: (err?: Error) => void;
      held.set(
        name,
        new Promise<void>((resolve, reject) => {
          release = (err) => (err ? reject(err) : resolve());
        }),
      );
      return release;
    },
    handle(name, h) {
      if (h) handlers.set(name, h);
      else handlers.delete(name);
    },
    emit(name, payload) {
      for (const l of listeners.get(name) ?? []) l(payload);
    },
    add(id, count) {
      const conversation = {
        id,
        title: id,
        titleAuto: false,
        providerId: null,
        modelId: null,
        systemPrompt: '',
        params: {},
        draft: '',
        createdAt: 0,
        updatedAt: conversations.size,
      } as Conversation;
      conversations.set(id, { conversation, messages: Array.from({ length: count }, (_, i) => message(id, i)) });
      return conversation;
    },
  };
}
