// Conversations and messages as the window asks for them: the list, one conversation's shown
// branch (with its streams still running, for a reloaded page), edits, soft delete and restore,
// search, and moving between versions. The records live in the history store; what answers is
// still streaming is the chat service's to say and to stop.
import type { CallInput, CallOutput, Conversation, PathUpdate } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { HistoryStore } from '../history/store.ts';
import type { SettingsStore } from '../settings/store.ts';

/** What this service needs from the chat service. */
export interface RunningStreams {
  streamsOf(conversationId: string): { messageId: string; streamId: string }[];
  /** Stops the conversation's answers; resolves once what arrived is saved. */
  stopConversation(conversationId: string): Promise<void>;
}

const gone = () => new ServiceError('not_found', 'This conversation no longer exists.');

/** The shown path below `anchorId` (all of it when the anchor is gone or null). */
export function pathUpdate(history: HistoryStore, conversationId: string, anchorId: string | null): PathUpdate {
  const conversation = history.getConversation(conversationId);
  if (!conversation) throw gone();
  const path = history.activePath(conversationId);
  const at = anchorId === null ? -1 : path.findIndex((m) => m.id === anchorId);
  return { conversation, anchorId: at < 0 ? null : anchorId, tail: path.slice(at + 1) };
}

export class ConversationsService {
  private readonly history: HistoryStore;
  private readonly settings: SettingsStore;
  private readonly streams: RunningStreams;

  constructor(d: { history: HistoryStore; settings: SettingsStore; streams: RunningStreams }) {
    this.history = d.history;
    this.settings = d.settings;
    this.streams = d.streams;
  }

  private existing(id: string): void {
    if (!this.history.getConversation(id)) throw gone();
  }

  list(limit?: number): CallOutput<'conversations.list'> {
    return this.history.listConversations(limit);
  }

  create(model?: CallInput<'conversations.create'>['model']): Conversation {
    const ref = model ?? this.settings.get().defaultModel;
    return this.history.createConversation({ providerId: ref?.providerId ?? null, modelId: ref?.modelId ?? null, params: this.settings.get().defaultParams });
  }

  open(id: string, tail?: number): CallOutput<'conversations.open'> {
    const conversation = this.history.getConversation(id);
    if (!conversation) throw gone();
    const path = this.history.activePath(id);
    const earlier = tail !== undefined && path.length > tail ? path.length - tail : 0;
    return { conversation, messages: earlier ? path.slice(earlier) : path, ...(earlier ? { earlier } : {}), streams: this.streams.streamsOf(id) };
  }

  update({ id, title, model, systemPrompt, params, draft }: CallInput<'conversations.update'>): Conversation {
    this.existing(id);
    // A draft is saved while typing; it must not reorder the sidebar.
    const onlyDraft = draft !== undefined && title === undefined && model === undefined && systemPrompt === undefined && params === undefined;
    return this.history.updateConversation(
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
  }

  async delete(id: string): Promise<void> {
    this.existing(id);
    // Nobody is looking at it any more: stop spending tokens on it (what arrived is kept).
    await this.streams.stopConversation(id);
    this.history.deleteConversation(id);
  }

  restore(id: string): void {
    if (!this.history.getConversation(id, true)) throw gone();
    this.history.restoreConversation(id);
  }

  search(query: string, limit?: number): CallOutput<'conversations.search'> {
    return this.history.search(query, limit);
  }

  selectVersion(messageId: string, version?: number): PathUpdate {
    const shown = this.history.selectVersion(messageId, version);
    return pathUpdate(this.history, shown.conversationId, shown.parentId);
  }

  async deleteMessage(messageId: string): Promise<PathUpdate> {
    const m = this.history.getMessage(messageId);
    if (!m) throw new ServiceError('not_found', 'This message no longer exists.');
    // A stream writing into a deleted row would lose its answer: let it stop and save first.
    if (this.history.hasStreamingUnder(messageId)) await this.streams.stopConversation(m.conversationId);
    const { conversationId, anchorId } = this.history.deleteMessage(messageId);
    return pathUpdate(this.history, conversationId, anchorId);
  }
}
