// The `conversations` table: its row, the mappers between a row and a conversation (or a patch of
// one), and the statements on it. The insert is shared by "new conversation" and an import.
import type { ChatParams, Conversation, ConversationSummary } from '../../../contract/index.ts';
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

/** What the sidebar lists of a conversation. */
export function rowToSummary(r: Pick<ConversationRow, 'id' | 'title' | 'updated_at' | 'provider_id' | 'model_id'>): ConversationSummary {
  return { id: r.id, title: r.title, updatedAt: r.updated_at, providerId: r.provider_id, modelId: r.model_id };
}

export type ConversationPatch = Partial<{
  title: string;
  titleAuto: boolean;
  providerId: string | null;
  modelId: string | null;
  systemPrompt: string;
  params: ChatParams;
  draft: string;
  leafId: string | null;
}>;

/** The columns a patch changes, with their stored values. */
export function patchToRow(patch: ConversationPatch): [column: string, value: string | number | null][] {
  const cols: [string, string | number | null][] = [];
  if (patch.title !== undefined) cols.push(['title', patch.title]);
  if (patch.titleAuto !== undefined) cols.push(['title_auto', patch.titleAuto ? 1 : 0]);
  if (patch.providerId !== undefined) cols.push(['provider_id', patch.providerId]);
  if (patch.modelId !== undefined) cols.push(['model_id', patch.modelId]);
  if (patch.systemPrompt !== undefined) cols.push(['system_prompt', patch.systemPrompt]);
  if (patch.params !== undefined) cols.push(['params', JSON.stringify(patch.params)]);
  if (patch.draft !== undefined) cols.push(['draft', patch.draft]);
  if (patch.leafId !== undefined) cols.push(['leaf_id', patch.leafId]);
  return cols;
}

export function listConversations(s: Statements, limit: number): ConversationSummary[] {
  const rows = s
    .q(
      `SELECT id, title, updated_at, provider_id, model_id FROM conversations
       WHERE deleted_at IS NULL ORDER BY updated_at DESC LIMIT ?`,
    )
    .all(limit) as unknown as Pick<ConversationRow, 'id' | 'title' | 'updated_at' | 'provider_id' | 'model_id'>[];
  return rows.map(rowToSummary);
}

export function conversationRow(s: Statements, id: string): ConversationRow | undefined {
  return s.q('SELECT * FROM conversations WHERE id = ?').get(id) as unknown as ConversationRow | undefined;
}

export function leafOf(s: Statements, id: string): string | null {
  const r = s.q('SELECT leaf_id FROM conversations WHERE id = ?').get(id) as { leaf_id: string | null } | undefined;
  return r?.leaf_id ?? null;
}

/** Writes a patch; `updatedAt` (when given) moves the conversation up the sidebar. */
export function updateConversation(s: Statements, id: string, patch: ConversationPatch, updatedAt?: number): void {
  const cols = patchToRow(patch);
  if (updatedAt !== undefined) cols.push(['updated_at', updatedAt]);
  if (cols.length) s.q(`UPDATE conversations SET ${cols.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...cols.map(([, v]) => v), id);
}

/** Soft delete (`at`) or undo it (`null`). */
export function markDeleted(s: Statements, id: string, at: number | null): void {
  s.q('UPDATE conversations SET deleted_at = ? WHERE id = ?').run(at, id);
}

/** Removes conversations deleted before `before`, with their messages; returns how many. */
export function purgeDeleted(s: Statements, before: number): number {
  return Number(s.q('DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?').run(before).changes);
}
