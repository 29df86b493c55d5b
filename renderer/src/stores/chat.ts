// Conversations and the open conversation's messages. Streaming text itself is in live.ts; this
// store only learns when a stream changes state or ends.
import { create } from 'zustand';
import type { ChatParams, Conversation, ConversationSummary, KaiwaError, Message, ModelRef, PathUpdate } from '../../../electron/contract/index.ts';
import { call, errorInfo, on } from '../bridge/index.ts';
import { dropLive, liveFor, peekLive } from './live.ts';
import { arrived, leftBehind, opening, shown } from './safe-start.ts';

export interface StreamInfo {
  streamId: string;
  messageId: string;
  /** Known for streams started from this window. */
  conversationId?: string;
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
  /** The parameters panel holds a value that is not valid: nothing is sent until it is fixed. */
  paramsInvalid: boolean;
  searchOpen: boolean;
  /** The conversation just deleted, while its undo is offered. */
  deleted: { id: string; title: string } | null;
  /** A message to bring into view and highlight for a few seconds (a search result). */
  focusId: string | null;
  /** Bumped on every such request, so the same hit found twice is brought into view twice. */
  focusSeq: number;
  /** The older messages of the open conversation (beyond the newest page) could not be loaded. */
  earlierError: KaiwaError | null;
  /** Not reopened at start: the previous start died while showing it (safe-start.ts). */
  skipped: { id: string; title: string } | null;
  init(): Promise<void>;
  dismissSkipped(): void;
  loadList(): Promise<void>;
  open(id: string, focusMessageId?: string | null): Promise<void>;
  create(model?: ModelRef): Promise<Conversation>;
  send(text: string): Promise<boolean>;
  stop(messageId: string): Promise<void>;
  setModel(ref: ModelRef): Promise<void>;
  saveDraft(text: string): void;
  clearSendError(): void;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
  undoRemove(): Promise<void>;
  dismissUndo(): void;
  updateSettings(patch: { systemPrompt?: string; params?: ChatParams }): Promise<void>;
  setParamsInvalid(invalid: boolean): void;
  setSearchOpen(open: boolean): void;
  regenerate(messageId: string, model?: ModelRef): Promise<boolean>;
  edit(messageId: string, text: string): Promise<boolean>;
  continueAnswer(messageId: string): Promise<boolean>;
  deleteMessage(messageId: string): Promise<boolean>;
  selectVersion(messageId: string, version: number): Promise<void>;
  retryEarlier(): void;
}

/** How long a search hit stays highlighted. */
const FOCUS_MS = 4000;

/** Incremented by every open/create; see open(). */
let viewTicket = 0;
/** Messages a conversation opens with (several screens); older ones are loaded right after. */
const FIRST_PAGE = 60;
let draftTimer: ReturnType<typeof setTimeout> | null = null;
let pendingDraft: { id: string; text: string } | null = null;
let initialised = false;
/** A conversation being created ("New chat" just clicked): sending waits for it instead of making another. */
let creating: Promise<Conversation> | null = null;

/**
 * Drafts typed but not saved in main yet (or refused: a full disk), by conversation. The composer
 * prefers them to the stored draft, so leaving the chat view never loses typed text.
 */
const unsavedDrafts = new Map<string, string>();

/** The draft to show for a conversation. */
export function draftOf(c: Conversation | null): string {
  return c ? (unsavedDrafts.get(c.id) ?? c.draft) : '';
}

function flushDraft(): void {
  if (draftTimer) clearTimeout(draftTimer);
  draftTimer = null;
  const d = pendingDraft;
  pendingDraft = null;
  if (d) {
    void call('conversations.update', { id: d.id, draft: d.text })
      .then(() => {
        if (unsavedDrafts.get(d.id) === d.text) unsavedDrafts.delete(d.id);
      })
      .catch(() => undefined);
  }
}

/** A stream of the open conversation is running: actions that start or change answers wait. */
export const selectBusy = (s: { streams: Record<string, StreamInfo>; activeId: string | null }): boolean =>
  s.activeId !== null && Object.values(s.streams).some((st) => st.conversationId === s.activeId);

export const useChat = create<ChatState>((set, get) => {
  /** Applies a change of the shown branch; falls back to reopening when the anchor is not in view. */
  const applyPath = async (u: PathUpdate, streamId?: string) => {
    if (get().activeId !== u.conversation.id) return;
    const msgs = get().messages;
    const at = u.anchorId === null ? -1 : msgs.findIndex((m) => m.id === u.anchorId);
    if (u.anchorId !== null && at < 0) {
      await get().open(u.conversation.id);
      return;
    }
    const last = u.tail.at(-1);
    set({
      conversation: u.conversation,
      messages: [...msgs.slice(0, at + 1), ...u.tail],
      ...(streamId && last
        ? { streams: { ...get().streams, [last.id]: { streamId, messageId: last.id, conversationId: u.conversation.id, state: 'connecting' } } }
        : {}),
    });
  };

  /**
   * The messages before `firstId` (the oldest one shown), fetched after the newest ones have been
   * painted and put in front of them. Dropped if the view moved on or its path changed meanwhile.
   */
  const loadEarlier = async (id: string, ticket: number, firstId: string) => {
    await new Promise<void>((r) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => setTimeout(r, 0)) : setTimeout(r, 0)));
    if (ticket !== viewTicket) return;
    try {
      const full = await call('conversations.open', { id });
      if (ticket !== viewTicket || get().messages[0]?.id !== firstId) return;
      const at = full.messages.findIndex((m) => m.id === firstId);
      if (at > 0) set({ messages: [...full.messages.slice(0, at), ...get().messages] });
    } catch (err) {
      // The newest messages stay; the reader is told, above them, that the older ones could not be
      // loaded, with a way to try again (the composer's error box is for what the user sends).
      if (ticket === viewTicket) set({ earlierError: errorInfo(err) });
    }
  };

  /** Runs an action that starts or changes something; a failure is shown above the composer. */
  const attempt = async (fn: () => Promise<void>): Promise<boolean> => {
    set({ sendError: null });
    try {
      await fn();
      return true;
    } catch (err) {
      set({ sendError: errorInfo(err) });
      return false;
    }
  };

  return {
    list: [],
    activeId: null,
    conversation: null,
    messages: [],
    streams: {},
    sendError: null,
    loading: false,
    paramsInvalid: false,
    searchOpen: false,
    deleted: null,
    focusId: null,
    focusSeq: 0,
    earlierError: null,
    skipped: null,

    async init() {
      if (!initialised) {
        initialised = true;
        on('stream.delta', (d) => liveFor(d.messageId).apply(d));
        on('stream.tools', (s) => liveFor(s.messageId).applyTools(s));
        on('stream.status', (s) => {
          const prev = get().streams[s.messageId];
          const info: StreamInfo = { streamId: s.streamId, messageId: s.messageId, state: s.state };
          if (prev?.conversationId) info.conversationId = prev.conversationId;
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
      }
      await get().loadList();
      const first = get().list[0];
      if (first && first.id === leftBehind()) set({ skipped: { id: first.id, title: first.title } });
      else if (first) await get().open(first.id);
    },

    dismissSkipped() {
      set({ skipped: null });
    },

    async loadList() {
      set({ list: await call('conversations.list', {}) });
    },

    async open(id, focusMessageId = null) {
      flushDraft();
      // Only the latest open (or create) may fill the view: a slow open of a long conversation must
      // not overwrite a conversation the user moved to in the meantime.
      const ticket = ++viewTicket;
      opening(id);
      set({ loading: true, sendError: null, paramsInvalid: false, earlierError: null, skipped: null });
      try {
        // The newest messages first, so a long conversation opens as fast as a short one; the rest
        // follows once they are painted. A search hit may be anywhere: then the whole path at once.
        const { conversation, messages, earlier, streams: running } = await call('conversations.open', focusMessageId ? { id } : { id, tail: FIRST_PAGE });
        if (ticket !== viewTicket) return;
        // Streams this page did not start (it was reloaded): known now, so Stop and the status work.
        const known = { ...get().streams };
        for (const r of running) known[r.messageId] ??= { streamId: r.streamId, messageId: r.messageId, conversationId: id, state: 'receiving' };
        set({ streams: known });
        // After a reload mid-stream the live buffer starts from the last checkpoint.
        for (const m of messages) {
          if (m.status === 'streaming' && !peekLive(m.id)) liveFor(m.id).seed(m.content, m.reasoning, m.content.length > 0, m);
        }
        arrived(id);
        set({ activeId: id, conversation, messages, focusId: focusMessageId, ...(focusMessageId ? { focusSeq: get().focusSeq + 1 } : {}) });
        if (focusMessageId) {
          // The highlight fades here, not in the row: a virtualised row may be unmounted meanwhile.
          const seq = get().focusSeq;
          setTimeout(() => {
            if (get().focusSeq === seq) set({ focusId: null });
          }, FOCUS_MS);
        }
        if (earlier && messages[0]) void loadEarlier(id, ticket, messages[0].id);
        // A search hit on another version: show that version.
        if (focusMessageId && !messages.some((m) => m.id === focusMessageId)) {
          await applyPath(await call('messages.select', { messageId: focusMessageId }));
        }
      } catch (err) {
        // Nothing of it was shown, and the app says why: not a start to avoid next time.
        shown(id);
        if (ticket !== viewTicket) return;
        set({ sendError: errorInfo(err) });
        void get().loadList();
      } finally {
        if (ticket === viewTicket) set({ loading: false });
      }
    },

    async create(model) {
      flushDraft();
      viewTicket++;
      // The view empties at once, so a message typed right after "New chat" cannot land in the previous conversation.
      set({ activeId: null, conversation: null, messages: [], sendError: null, paramsInvalid: false, focusId: null, earlierError: null });
      const pending = call('conversations.create', model ? { model } : {});
      creating = pending;
      try {
        const conversation = await pending;
        if (creating === pending) set({ activeId: conversation.id, conversation });
        await get().loadList();
        return conversation;
      } finally {
        if (creating === pending) creating = null;
      }
    },

    async send(text) {
      if (get().paramsInvalid) {
        set({ sendError: { code: 'invalid_params', message: 'Some parameters are invalid.' } });
        return false;
      }
      let conv = get().conversation;
      set({ sendError: null });
      try {
        if (!conv) conv = await (creating ?? get().create());
        if (pendingDraft?.id === conv.id) {
          if (draftTimer) clearTimeout(draftTimer);
          pendingDraft = null;
        }
        const r = await call('chat.send', { conversationId: conv.id, text });
        // Sent: main cleared the stored draft; a remembered unsaved one would come back.
        unsavedDrafts.delete(conv.id);
        if (get().activeId === conv.id) {
          set({
            conversation: r.conversation,
            messages: [...get().messages, r.userMessage, r.assistantMessage],
            streams: {
              ...get().streams,
              [r.assistantMessage.id]: { streamId: r.streamId, messageId: r.assistantMessage.id, conversationId: conv.id, state: 'connecting' },
            },
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
      unsavedDrafts.set(conv.id, text);
      if (draftTimer) clearTimeout(draftTimer);
      draftTimer = setTimeout(flushDraft, 400);
    },

    clearSendError() {
      set({ sendError: null });
    },

    async rename(id, title) {
      await attempt(async () => {
        const updated = await call('conversations.update', { id, title });
        if (get().activeId === id) set({ conversation: updated });
        await get().loadList();
      });
    },

    async remove(id) {
      const title = get().list.find((c) => c.id === id)?.title ?? '';
      await attempt(async () => {
        await call('conversations.delete', { id });
        shown(id);
        set({ deleted: { id, title }, ...(get().skipped?.id === id ? { skipped: null } : {}) });
        if (get().activeId === id) {
          // Loads still running for the deleted conversation must not fill the view.
          viewTicket++;
          set({ activeId: null, conversation: null, messages: [], earlierError: null });
          await get().loadList();
          const next = get().list[0];
          if (next) await get().open(next.id);
        } else {
          await get().loadList();
        }
      });
    },

    async undoRemove() {
      const d = get().deleted;
      if (!d) return;
      set({ deleted: null });
      await attempt(async () => {
        await call('conversations.restore', { id: d.id });
        await get().loadList();
        await get().open(d.id);
      });
    },

    dismissUndo() {
      set({ deleted: null });
    },

    async updateSettings(patch) {
      const conv = get().conversation;
      if (!conv) return;
      await attempt(async () => {
        const updated = await call('conversations.update', { id: conv.id, ...patch });
        if (get().activeId === conv.id) set({ conversation: updated });
      });
    },

    setParamsInvalid(invalid) {
      if (get().paramsInvalid !== invalid) set({ paramsInvalid: invalid, ...(invalid ? {} : get().sendError?.code === 'invalid_params' ? { sendError: null } : {}) });
    },

    setSearchOpen(open) {
      set({ searchOpen: open });
    },

    regenerate(messageId, model) {
      return attempt(async () => {
        const r = await call('chat.regenerate', model ? { messageId, model } : { messageId });
        await applyPath(r, r.streamId);
        void get().loadList();
      });
    },

    edit(messageId, text) {
      return attempt(async () => {
        const r = await call('chat.edit', { messageId, text });
        await applyPath(r, r.streamId);
        void get().loadList();
      });
    },

    continueAnswer(messageId) {
      const m = get().messages.find((x) => x.id === messageId);
      // The buffer starts from the stored answer so new text is appended to it, not shown alone.
      if (m) liveFor(messageId).seed(m.content, m.reasoning, true, m);
      return attempt(async () => {
        try {
          const r = await call('chat.continue', { messageId });
          set({
            messages: get().messages.map((x) => (x.id === messageId ? r.message : x)),
            streams: { ...get().streams, [messageId]: { streamId: r.streamId, messageId, conversationId: r.conversation.id, state: 'connecting' } },
          });
        } catch (err) {
          dropLive(messageId);
          throw err;
        }
      });
    },

    deleteMessage(messageId) {
      return attempt(async () => {
        await applyPath(await call('messages.delete', { messageId }));
        void get().loadList();
      });
    },

    async selectVersion(messageId, version) {
      await attempt(async () => applyPath(await call('messages.select', { messageId, version })));
    },

    retryEarlier() {
      const { activeId, messages, earlierError } = get();
      if (!activeId || !earlierError || !messages[0]) return;
      set({ earlierError: null });
      void loadEarlier(activeId, viewTicket, messages[0].id);
    },
  };
});
