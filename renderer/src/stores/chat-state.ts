// The shape of the chat store, which chat.ts makes from slices that each live in their own file:
// conversations.ts (the list and the conversation records), view.ts (the open conversation and its
// messages), streams.ts (answers being streamed and their live text), actions.ts (what the user does
// to messages). Types, plus the one helper every slice uses to report a failed action.
import type { StoreApi } from 'zustand';
import type { ChatParams, Conversation, ConversationSummary, KaiwaError, Message, ModelRef } from '../../../electron/contract/index.ts';
import { errorInfo } from '../bridge/index.ts';
import type { StreamInfo } from './streams.ts';

export interface ConversationsSlice {
  list: ConversationSummary[];
  /** The conversation just deleted, while its undo is offered. */
  deleted: { id: string; title: string } | null;
  /** Not reopened at start: the previous start died while showing it (safe-start.ts). */
  skipped: { id: string; title: string } | null;
  loadList(): Promise<void>;
  create(model?: ModelRef): Promise<Conversation>;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
  undoRemove(): Promise<void>;
  dismissUndo(): void;
  dismissSkipped(): void;
  setModel(ref: ModelRef): Promise<void>;
  updateSettings(patch: { systemPrompt?: string; params?: ChatParams }): Promise<void>;
}

export interface ViewSlice {
  activeId: string | null;
  conversation: Conversation | null;
  messages: Message[];
  loading: boolean;
  /** A message to bring into view and highlight for a few seconds (a search result). */
  focusId: string | null;
  /** Bumped on every such request, so the same hit found twice is brought into view twice. */
  focusSeq: number;
  /** The older messages of the open conversation (beyond the newest page) could not be loaded. */
  earlierError: KaiwaError | null;
  open(id: string, focusMessageId?: string | null): Promise<void>;
  retryEarlier(): void;
}

export interface StreamsSlice {
  /** Streams by assistant message id. */
  streams: Record<string, StreamInfo>;
  stop(messageId: string): Promise<void>;
}

export interface ActionsSlice {
  send(text: string): Promise<boolean>;
  regenerate(messageId: string, model?: ModelRef): Promise<boolean>;
  edit(messageId: string, text: string): Promise<boolean>;
  continueAnswer(messageId: string): Promise<boolean>;
  deleteMessage(messageId: string): Promise<boolean>;
  selectVersion(messageId: string, version: number): Promise<void>;
}

export interface UiSlice {
  /** A failure before any stream started (no key, no model…), shown above the composer. */
  sendError: KaiwaError | null;
  /** The parameters panel holds a value that is not valid: nothing is sent until it is fixed. */
  paramsInvalid: boolean;
  searchOpen: boolean;
  init(): Promise<void>;
  saveDraft(text: string): void;
  clearSendError(): void;
  setParamsInvalid(invalid: boolean): void;
  setSearchOpen(open: boolean): void;
}

export type ChatState = ConversationsSlice & ViewSlice & StreamsSlice & ActionsSlice & UiSlice;
export type SetChat = StoreApi<ChatState>['setState'];
export type GetChat = () => ChatState;

/** Runs an action that starts or changes something; a failure is shown above the composer. */
export async function attempt(set: SetChat, fn: () => Promise<void>): Promise<boolean> {
  set({ sendError: null });
  try {
    await fn();
    return true;
  } catch (err) {
    set({ sendError: errorInfo(err) });
    return false;
  }
}
