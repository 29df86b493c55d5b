// The `conversations` table: its row, the mappers between a row and a conversation, and the one
// insert used by "new conversation" and by an import.
import type { ChatParams, Conversation } from '../../../contract/index.ts';
import { parseJson, type Statements } from './sql.ts';

/** A row of the `conversations` table as SQLite returns it. */
export interface ConversationRow {
  id: string;
  title: string;
  title_auto: number;
  provider_id: string | null;
  model_id: string | null;
  system_prompt: string;
  params: string;
  draft: string;
  leaf_id: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export function rowToConversation(r: ConversationRow): Conversation {
  return {
    id: r.id,
    title: r.title,
    titleAuto: r.title_auto === 1,
    providerId: r.provider_id,
    modelId: r.model_id,
    systemPrompt: r.system_prompt,
    params: parseJson<ChatParams>(r.params, {}),
    draft: r.draft,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The columns a new conversation is written with (no leaf yet: its messages come after it). */
export function conversationToRow(c: Conversation): Omit<ConversationRow, 'leaf_id' | 'deleted_at'> {
  return {
    id: c.id,
    title: c.title,
    title_auto: c.titleAuto ? 1 : 0,
    provider_id: c.providerId,
    model_id: c.modelId,
    system_prompt: c.systemPrompt,
    params: JSON.stringify(c.params),
    draft: c.draft,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export function insertConversation(s: Statements, c: Conversation): void {
  const r = conversationToRow(c);
  s.q(
    `INSERT INTO conversations (id, title, title_auto, provider_id, model_id, system_prompt, params, draft, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.id, r.title, r.title_auto, r.provider_id, r.model_id, r.system_prompt, r.params, r.draft, r.created_at, r.updated_at);
}
