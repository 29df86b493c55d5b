// The conversation list and the conversation records: create, rename, delete (with undo), and the
// settings stored on a conversation (model, system prompt, parameters). `conversationsSlice` is over
// 80 lines only because it is the object of the slice's short methods (zustand's slices pattern).
import type { Conversation } from '../../../electron/contract/index.ts';
import { call } from '../bridge/index.ts';
import { attempt, type ConversationsSlice, type GetChat, type SetChat } from './chat-state.ts';
import { drafts } from './drafts.ts';
import { shown } from './safe-start.ts';
import { leaveView } from './view.ts';

/** A conversation being created ("New chat" just clicked): sending waits for it instead of making another. */
let creating: Promise<Conversation> | null = null;

/** The conversation being created, if any. */
export function beingCreated(): Promise<Conversation> | null {
  return creating;
}

export function conversationsSlice(set: SetChat, get: GetChat): ConversationsSlice {
  return {
    list: [],
    deleted: null,
    skipped: null,

    async loadList() {
      set({ list: await call('conversations.list', {}) });
    },

    async create(model) {
      drafts.flush();
      leaveView();
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

    async rename(id, title) {
      await attempt(set, async () => {
        const updated = await call('conversations.update', { id, title });
        if (get().activeId === id) set({ conversation: updated });
        await get().loadList();
      });
    },

    async remove(id) {
      const title = get().list.find((c) => c.id === id)?.title ?? '';
      await attempt(set, async () => {
        await call('conversations.delete', { id });
        shown(id);
        set({ deleted: { id, title }, ...(get().skipped?.id === id ? { skipped: null } : {}) });
        if (get().activeId === id) {
          // Loads still running for the deleted conversation must not fill the view.
          leaveView();
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
      await attempt(set, async () => {
        await call('conversations.restore', { id: d.id });
        await get().loadList();
        await get().open(d.id);
      });
    },

    dismissUndo() {
      set({ deleted: null });
    },

    dismissSkipped() {
      set({ skipped: null });
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

    async updateSettings(patch) {
      const conv = get().conversation;
      if (!conv) return;
      await attempt(set, async () => {
        const updated = await call('conversations.update', { id: conv.id, ...patch });
        if (get().activeId === conv.id) set({ conversation: updated });
      });
    },
  };
}
