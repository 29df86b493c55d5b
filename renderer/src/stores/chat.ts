// Conversations and the open conversation's messages. Streaming text itself is in live.ts; this
// store only learns when a stream changes state or ends.
import { create } from 'zustand';
import type { Conversation, ConversationSummary, KaiwaError, Message, ModelRef } from '../../../electron/contract/index.ts';
import { call, errorInfo, on } from '../bridge/index.ts';
import { dropLive, liveFor, peekLive } from './live.ts';

export interface StreamInfo {
  streamId: string;
  messageId: string;
  state: 'connecting' | 'retrying' | 'receiving';
  attempt?: number;
  /** performance.now() when the retry will happen. */
  retryAt?: number;
  error?: KaiwaError;
}

interface ChatState {
  list: ConversationSummary[];
  activeId: string | null;
  conversation: Conversation | null;
  messages: Message[];
  /** Streams by assistant message id. */
  streams: Record<string, StreamInfo>;
  /** A failure before any stream started (no key, no model…), shown above the composer. */
  sendError: KaiwaError | null;
  loading: boolean;
  init(): Promise<void>;
  loadList(): Promise<void>;
  open(id: string): Promise<void>;
  create(model?: ModelRef): Promise<Conversation>;
  send(text: string): Promise<boolean>;
  stop(messageId: string): Promise<void>;
  setModel(ref: ModelRef): Promise<void>;
  saveDraft(text: string): void;
  clearSendError(): void;
}

let draftTimer: ReturnType<typeof setTimeout> | null = null;
let pendingDraft: { id: string; text: string } | null = null;

function flushDraft(): void {
  if (draftTimer) clearTimeout(draftTimer);
  draftTimer = null;
  const d = pendingDraft;
  pendingDraft = null;
  if (d) void call('conversations.update', { id: d.id, draft: d.text }).catch(() => undefined);
}

export const useChat = create<ChatState>((set, get) => ({
  list: [],
  activeId: null,
  conversation: null,
  messages: [],
  streams: {},
  sendError: null,
  loading: false,

  async init() {
    on('stream.delta', (d) => liveFor(d.messageId).apply(d));
    on('stream.status', (s) => {
      const info: StreamInfo = { streamId: s.streamId, messageId: s.messageId, state: s.state };
      if (s.attempt !== undefined) info.attempt = s.attempt;
      if (s.retryInMs !== undefined) info.retryAt = performance.now() + s.retryInMs;
      if (s.error) info.error = s.error;
      set({ streams: { ...get().streams, [s.messageId]: info } });
    });
    on('stream.end', ({ message }) => {
      const streams = { ...get().streams };
      delete streams[message.id];
      const inView = get().messages.some((m) => m.id === message.id);
      set({ streams, ...(inView ? { messages: get().messages.map((m) => (m.id === message.id ? message : m)) } : {}) });
      dropLive(message.id);
      void get().loadList();
    });
    window.addEventListener('beforeunload', flushDraft);
    await get().loadList();
    const first = get().list[0];
    if (first) await get().open(first.id);
  },

  async loadList() {
    set({ list: await call('conversations.list', {}) });
  },

  async open(id) {
    flushDraft();
    set({ loading: true, sendError: null });
    try {
      const { conversation, messages } = await call('conversations.open', { id });
      // After a reload mid-stream the live buffer starts from the last checkpoint.
      for (const m of messages) {
        if (m.status === 'streaming' && !peekLive(m.id)) {
          const l = liveFor(m.id);
          l.content = m.content;
          l.reasoning = m.reasoning;
        }
      }
      set({ activeId: id, conversation, messages });
    } finally {
      set({ loading: false });
    }
  },

  async create(model) {
    flushDraft();
    const conversation = await call('conversations.create', model ? { model } : {});
    set({ activeId: conversation.id, conversation, messages: [], sendError: null });
    await get().loadList();
    return conversation;
  },

  async send(text) {
    let conv = get().conversation;
    if (!conv) conv = await get().create();
    set({ sendError: null });
    if (pendingDraft?.id === conv.id) {
      if (draftTimer) clearTimeout(draftTimer);
      pendingDraft = null;
    }
    try {
      const r = await call('chat.send', { conversationId: conv.id, text });
      if (get().activeId === conv.id) {
        set({
          conversation: r.conversation,
          messages: [...get().messages, r.userMessage, r.assistantMessage],
          streams: { ...get().streams, [r.assistantMessage.id]: { streamId: r.streamId, messageId: r.assistantMessage.id, state: 'connecting' } },
        });
      }
      void get().loadList();
      return true;
    } catch (err) {
      set({ sendError: errorInfo(err) });
      return false;
    }
  },

  async stop(messageId) {
    const s = get().streams[messageId];
    if (s) await call('chat.stop', { streamId: s.streamId });
  },

  async setModel(ref) {
    const conv = get().conversation;
    if (!conv) {
      await get().create(ref);
      return;
    }
    const updated = await call('conversations.update', { id: conv.id, model: ref });
    set({ conversation: updated, sendError: null });
  },

  saveDraft(text) {
    const conv = get().conversation;
    if (!conv) return;
    pendingDraft = { id: conv.id, text };
    if (draftTimer) clearTimeout(draftTimer);
    draftTimer = setTimeout(flushDraft, 400);
  },

  clearSendError() {
    set({ sendError: null });
  },
}));
