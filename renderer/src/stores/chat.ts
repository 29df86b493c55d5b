// The chat store: one zustand store made of slices, each in its own file (chat-state.ts lists
// them). This file puts them together, subscribes to the stream events once, and holds start-up
// and the flags of the chat view (the error above the composer, invalid parameters, search).
import { create } from 'zustand';
import { actionsSlice } from './actions.ts';
import type { ChatState, GetChat, SetChat, UiSlice } from './chat-state.ts';
import { conversationsSlice } from './conversations.ts';
import { drafts } from './drafts.ts';
import { leftBehind } from './safe-start.ts';
import { listenToStreams, streamsSlice } from './streams.ts';
import { viewSlice } from './view.ts';

export type { ChatState } from './chat-state.ts';

function uiSlice(set: SetChat, get: GetChat): UiSlice {
  return {
    sendError: null,
    paramsInvalid: false,
    searchOpen: false,

    async init() {
      await get().loadList();
      const first = get().list[0];
      if (first && first.id === leftBehind()) set({ skipped: { id: first.id, title: first.title } });
      else if (first) await get().open(first.id);
    },

    saveDraft(text) {
      const conv = get().conversation;
      if (conv) drafts.typed(conv.id, text);
    },

    clearSendError() {
      set({ sendError: null });
    },

    setParamsInvalid(invalid) {
      if (get().paramsInvalid !== invalid) set({ paramsInvalid: invalid, ...(invalid ? {} : get().sendError?.code === 'invalid_params' ? { sendError: null } : {}) });
    },

    setSearchOpen(open) {
      set({ searchOpen: open });
    },
  };
}

export const useChat = create<ChatState>()((set, get) => ({
  ...conversationsSlice(set, get),
  ...viewSlice(set, get),
  ...streamsSlice(set, get),
  ...actionsSlice(set, get),
  ...uiSlice(set, get),
}));

listenToStreams(useChat.setState, useChat.getState);
