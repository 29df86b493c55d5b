// Starting a new answer, the four ways a user can: send a question, regenerate an answer, edit a
// question and resend it, continue a cut-off answer. Each checks the same things before anything is
// written (the message and conversation exist, a model is chosen, its parameters are valid, the
// provider has a usable key), so a refused request leaves the draft and the history as they were;
// then one transaction writes the new branch.
import { ChatParams, type Conversation, type Message, type ModelRef } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import type { HistoryStore } from '../history/store.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { SettingsStore } from '../settings/store.ts';
import type { Continuation } from './figures.ts';
import { checkForModel } from './request-extras.ts';

export type BranchRequest =
  | { kind: 'send'; conversationId: string; text: string }
  | { kind: 'regenerate'; messageId: string; model?: ModelRef | undefined }
  | { kind: 'edit'; messageId: string; text: string }
  | { kind: 'continue'; messageId: string };

export interface Branch {
  /** The conversation as it was before the branch was written. */
  conversation: Conversation;
  ref: ModelRef;
  /** The question written for this answer (send, edit), else null. */
  user: Message | null;
  /** The answer that will stream (new, or the reopened one for continue). */
  assistant: Message;
  /** The last message before the change; the renderer keeps everything up to it. */
  anchorId: string | null;
  /** Continue only: the answer so far. */
  cont?: Continuation;
}

export interface BranchDeps {
  history: HistoryStore;
  registry: ProviderRegistry;
  settings: SettingsStore;
}

export function autoTitle(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 48 ? `${line.slice(0, 47)}…` : line;
}

/** The conversation's model, else the default model from settings. */
export function resolveModel(settings: SettingsStore, conversation: { providerId: string | null; modelId: string | null }): ModelRef {
  if (conversation.providerId && conversation.modelId) return { providerId: conversation.providerId, modelId: conversation.modelId };
  const def = settings.get().defaultModel;
  if (def) return def;
  throw new ServiceError('no_model', 'Pick a model for this conversation first.', { actions: ['open_settings'] });
}

export function startBranch(d: BranchDeps, req: BranchRequest): Branch {
  const { history } = d;
  const m = req.kind === 'send' ? null : messageFor(history, req);
  const conversation = history.getConversation(m ? m.conversationId : (req as { conversationId: string }).conversationId);
  if (!conversation) throw new ServiceError('not_found', 'This conversation no longer exists.');
  const questionId = m ? (m.role === 'assistant' ? m.parentId : m.id) : null;
  if (req.kind === 'regenerate' && !questionId) throw new ServiceError('not_found', 'There is no question left to answer.');
  const ref =
    req.kind === 'regenerate' && req.model
      ? req.model
      : req.kind === 'continue' && m!.providerId && m!.modelId
        ? { providerId: m!.providerId, modelId: m!.modelId }
        : resolveModel(d.settings, conversation);
  const question = req.kind === 'send' || req.kind === 'edit' ? req.text : req.kind === 'regenerate' ? (history.getMessage(questionId!)?.content ?? '') : null;
  checkParams(conversation.params, ref, d.registry, question === null ? undefined : `${conversation.systemPrompt}\n${question}`);
  // Fails early (no key, disabled provider) before anything is written, so the draft stays put.
  d.registry.target(ref.providerId);
  return { conversation, ref, ...write(history, req, conversation, ref, m, questionId) };
}

function messageFor(history: HistoryStore, req: Exclude<BranchRequest, { kind: 'send' }>): Message {
  const m = history.getMessage(req.messageId);
  if (!m) throw new ServiceError('not_found', 'This message no longer exists.');
  if (req.kind === 'edit' && m.role !== 'user') throw new ServiceError('invalid_request', 'Only your own messages can be edited.');
  if (req.kind === 'continue' && (m.role !== 'assistant' || m.status === 'streaming')) throw new ServiceError('invalid_request', 'Only a finished answer can be continued.');
  return m;
}

type Written = Pick<Branch, 'user' | 'assistant' | 'anchorId' | 'cont'>;

function write(history: HistoryStore, req: BranchRequest, conv: Conversation, ref: ModelRef, m: Message | null, questionId: string | null): Written {
  const answer = (parentId: string) =>
    history.insertMessage({ conversationId: conv.id, parentId, role: 'assistant', status: 'streaming', providerId: ref.providerId, modelId: ref.modelId });
  switch (req.kind) {
    case 'send':
      return history.transaction(() => {
        const parent = history.leafOf(conv.id);
        const user = history.insertMessage({ conversationId: conv.id, parentId: parent, role: 'user', content: req.text, status: 'done' });
        const assistant = answer(user.id);
        history.updateConversation(conv.id, {
          leafId: assistant.id,
          draft: '',
          ...(conv.titleAuto && !conv.title ? { title: autoTitle(req.text) } : {}),
          ...(conv.providerId ? {} : { providerId: ref.providerId, modelId: ref.modelId }),
        });
        return { user, assistant, anchorId: parent };
      });
    case 'regenerate':
      return history.transaction(() => {
        const assistant = answer(questionId!);
        history.updateConversation(conv.id, { leafId: assistant.id, ...(req.model ? { providerId: req.model.providerId, modelId: req.model.modelId } : {}) });
        return { user: null, assistant, anchorId: questionId };
      });
    case 'edit':
      return history.transaction(() => {
        // The new text is a sibling of the old question, so the old branch stays a version.
        const user = history.insertMessage({ conversationId: conv.id, parentId: m!.parentId, role: 'user', content: req.text, status: 'done' });
        const assistant = answer(user.id);
        history.updateConversation(conv.id, {
          leafId: assistant.id,
          // The automatic title came from the first question; it follows that question's edits.
          ...(conv.titleAuto && m!.parentId === null ? { title: autoTitle(req.text) } : {}),
        });
        return { user, assistant, anchorId: m!.parentId };
      });
    case 'continue': {
      history.reopen(m!.id);
      return { user: null, assistant: history.getMessage(m!.id)!, anchorId: m!.parentId, cont: continuationOf(m!) };
    }
  }
}

function continuationOf(m: Message): Continuation {
  const cont: Continuation = { content: m.content, reasoning: m.reasoning };
  if (m.usage) cont.usage = m.usage;
  if (m.ttftMs !== undefined) cont.ttftMs = m.ttftMs;
  if (m.durationMs !== undefined) cont.durationMs = m.durationMs;
  if (m.reasoningMs !== undefined) cont.reasoningMs = m.reasoningMs;
  if (m.cost !== undefined) cont.cost = m.cost;
  return cont;
}

/** Stored parameters are re-checked before a request: an invalid value never reaches a provider. */
function checkParams(params: unknown, ref: ModelRef, registry: ProviderRegistry, prompt?: string): void {
  const r = ChatParams.safeParse(params);
  if (!r.success) {
    const details = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ServiceError('invalid_params', 'Some parameters are invalid.', { details });
  }
  const kind = registry.list().find((p) => p.id === ref.providerId)?.kind ?? 'custom';
  checkForModel(ref.modelId, registry.model(ref.providerId, ref.modelId), r.data, kind, prompt);
}
