// What the user does to the messages of the open conversation: send, regenerate, edit, continue an
// answer (each starts a stream), delete a message, show another version.
import type { PathUpdate } from '../../../electron/contract/index.ts';
import { call, errorInfo } from '../bridge/index.ts';
import { attempt, type ActionsSlice, type GetChat, type SetChat } from './chat-state.ts';
import { beingCreated } from './conversations.ts';
import { drafts } from './drafts.ts';
import { dropLive, liveFor, settleEarlyEnd, started } from './streams.ts';
import { applyPath } from './view.ts';

export function actionsSlice(set: SetChat, get: GetChat): ActionsSlice {
  /** A new branch from main, whose answer streams now. */
  const branch = async (r: PathUpdate & { streamId: string }) => {
    await applyPath(set, get, r, r.streamId);
    void get().loadList();
  };

  return {
    async send(text) {
      if (get().paramsInvalid) {
        set({ sendError: { code: 'invalid_params', message: 'Some parameters are invalid.' } });
        return false;
      }
      let conv = get().conversation;
      set({ sendError: null });
      try {
        if (!conv) conv = await (beingCreated() ?? get().create());
        drafts.sending(conv.id);
        const r = await call('chat.send', { conversationId: conv.id, text });
        // Sent: main cleared the stored draft; a remembered unsaved one would come back.
        drafts.sent(conv.id);
        if (get().activeId === conv.id) {
          set({
            conversation: r.conversation,
            messages: [...get().messages, r.userMessage, r.assistantMessage],
            ...started(get, r.streamId, r.assistantMessage.id, conv.id),
          });
          settleEarlyEnd(set, get, r.streamId);
        }
        void get().loadList();
        return true;
      } catch (err) {
        set({ sendError: errorInfo(err) });
        return false;
      }
    },

    regenerate(messageId, model) {
      return attempt(set, async () => branch(await call('chat.regenerate', model ? { messageId, model } : { messageId })));
    },

    edit(messageId, text) {
      return attempt(set, async () => branch(await call('chat.edit', { messageId, text })));
    },

    continueAnswer(messageId) {
      const m = get().messages.find((x) => x.id === messageId);
      // The buffer starts from the stored answer so new text is appended to it, not shown alone.
      if (m) liveFor(messageId).seed(m.content, m.reasoning, true, m);
      return attempt(set, async () => {
        try {
          const r = await call('chat.continue', { messageId });
          set({ messages: get().messages.map((x) => (x.id === messageId ? r.message : x)), ...started(get, r.streamId, messageId, r.conversation.id) });
          settleEarlyEnd(set, get, r.streamId);
        } catch (err) {
          dropLive(messageId);
          throw err;
        }
      });
    },

    deleteMessage(messageId) {
      return attempt(set, async () => {
        await applyPath(set, get, await call('messages.delete', { messageId }));
        void get().loadList();
      });
    },

    async selectVersion(messageId, version) {
      await attempt(set, async () => {
        await applyPath(set, get, await call('messages.select', { messageId, version }));
      });
    },
  };
}
