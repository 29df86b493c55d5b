// Contract handlers for conversations, messages and chat streams. Kept next to the chat service so
// the composition root only spreads them in.
import type { PathUpdate } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { HistoryStore } from '../history/store.ts';
import type { Handlers } from '../rpc.ts';
import type { SettingsStore } from '../settings/store.ts';
import type { ChatService } from './service.ts';

type ChatCalls =
  | 'conversations.list'
  | 'conversations.create'
  | 'conversations.open'
  | 'conversations.update'
  | 'conversations.delete'
  | 'conversations.restore'
  | 'conversations.search'
  | 'messages.select'
  | 'messages.delete'
  | 'chat.send'
  | 'chat.stop'
  | 'chat.regenerate'
  | 'chat.edit'
  | 'chat.continue';

/** The shown path below `anchorId` (all of it when the anchor is gone or null). */
export function pathUpdate(history: HistoryStore, conversationId: string, anchorId: string | null): PathUpdate {
  const conversation = history.getConversation(conversationId);
  if (!conversation) throw new ServiceError('not_found', 'This conversation no longer exists.');
  const path = history.activePath(conversationId);
  const at = anchorId === null ? -1 : path.findIndex((m) => m.id === anchorId);
  return { conversation, anchorId: at < 0 ? null : anchorId, tail: path.slice(at + 1) };
}

export function chatHandlers(d: { history: HistoryStore; chat: ChatService; settings: SettingsStore }): Pick<Handlers, ChatCalls> {
  const { history, chat, settings } = d;
  const existing = (id: string) => {
    if (!history.getConversation(id)) throw new ServiceError('not_found', 'This conversation no longer exists.');
  };
  return {
    'conversations.list': ({ limit }) => history.listConversations(limit),
    'conversations.create': ({ model }) => {
      const ref = model ?? settings.get().defaultModel;
      return history.createConversation({ providerId: ref?.providerId ?? null, modelId: ref?.modelId ?? null, params: settings.get().defaultParams });
    },
    'conversations.open': ({ id, tail }) => {
      const conversation = history.getConversation(id);
      if (!conversation) throw new ServiceError('not_found', 'This conversation no longer exists.');
      const path = history.activePath(id);
      const earlier = tail !== undefined && path.length > tail ? path.length - tail : 0;
      return { conversation, messages: earlier ? path.slice(earlier) : path, ...(earlier ? { earlier } : {}), streams: chat.streamsOf(id) };
    },
    'conversations.update': ({ id, title, model, systemPrompt, params, draft }) => {
      existing(id);
      // A draft is saved while typing; it must not reorder the sidebar.
      const onlyDraft = draft !== undefined && title === undefined && model === undefined && systemPrompt === undefined && params === undefined;
      return history.updateConversation(
        id,
        {
          ...(title !== undefined ? { title: title.trim(), titleAuto: false } : {}),
          ...(model ? { providerId: model.providerId, modelId: model.modelId } : {}),
          ...(systemPrompt !== undefined ? { systemPrompt } : {}),
          ...(params !== undefined ? { params } : {}),
          ...(draft !== undefined ? { draft } : {}),
        },
        !onlyDraft,
      )!;
    },
    'conversations.delete': async ({ id }) => {
      existing(id);
      // Nobody is looking at it any more: stop spending tokens on it (what arrived is kept).
      await chat.stopConversation(id);
      history.deleteConversation(id);
      return { ok: true as const };
    },
    'conversations.restore': ({ id }) => {
      if (!history.getConversation(id, true)) throw new ServiceError('not_found', 'This conversation no longer exists.');
      history.restoreConversation(id);
      return { ok: true as const };
    },
    'conversations.search': ({ query, limit }) => history.search(query, limit),

    'messages.select': ({ messageId, version }) => {
      const shown = history.selectVersion(messageId, version);
      return pathUpdate(history, shown.conversationId, shown.parentId);
    },
    'messages.delete': async ({ messageId }) => {
      const m = history.getMessage(messageId);
      if (!m) throw new ServiceError('not_found', 'This message no longer exists.');
      // A stream writing into a deleted row would lose its answer: let it stop and save first.
      if (history.hasStreamingUnder(messageId)) await chat.stopConversation(m.conversationId);
      const { conversationId, anchorId } = history.deleteMessage(messageId);
      return pathUpdate(history, conversationId, anchorId);
    },

    'chat.send': ({ conversationId, text }) => chat.send(conversationId, text),
    'chat.stop': ({ streamId }) => {
      chat.stop(streamId);
      return { ok: true as const };
    },
    'chat.regenerate': ({ messageId, model }) => chat.regenerate(messageId, model),
    'chat.edit': ({ messageId, text }) => chat.edit(messageId, text),
    'chat.continue': ({ messageId }) => chat.continueAnswer(messageId),
  };
}
