// The history database behind one door: nothing outside this folder runs SQL. Conversations are
// trees: every message points to its parent, siblings are versions (regenerate, edit-and-resend),
// and a conversation shows the path from its `leaf_id` up to the root. Each table has its module
// under tables/ (row type, rowToX/xToRow mappers, the statements that need them); this class is
// what the services call.
import type { DatabaseSync } from 'node:sqlite';
import type { ChatParams, Conversation, ConversationSummary, Message, MessageStatus, SearchHit, ToolCall } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { newId } from '../util/ids.ts';
import { CallLog, type CallRecord } from './tables/calls.ts';
import {
  conversationRow,
  insertConversation,
  leafOf,
  listConversations,
  markDeleted,
  purgeDeleted,
  rowToConversation,
  updateConversation,
  type ConversationPatch,
  type ConversationRow,
} from './tables/conversations.ts';
import { encodeTools, rowToMessage, writeMessageRow, type MessageFinal, type MessagePlace, type MessageRow } from './tables/messages.ts';
import { replaceFromCopy, snapshotInto } from './snapshot.ts';
import { searchHistory } from './tables/search.ts';
import { Statements } from './tables/sql.ts';

export { decodeTools, encodeTools, messageFigures, type MessageFinal, type MessageRow } from './tables/messages.ts';
export type { ConversationRow } from './tables/conversations.ts';
export type { CallRecord } from './tables/calls.ts';
export { snippetOf } from './tables/search.ts';

export interface NewMessage {
  conversationId: string;
  parentId: string | null;
  role: 'user' | 'assistant';
  content?: string;
  status: MessageStatus;
  providerId?: string;
  modelId?: string;
}

export class HistoryStore {
  private readonly s: Statements;
  /**
   * The database, for the history module's own helpers (backup's snapshot) and for tests that look
   * at the rows; services go through this class.
   */
  readonly db: DatabaseSync;
  private readonly now: () => number;
  /** The `calls` table (usage's): recorded upstream calls. */
  readonly calls: CallLog;

  constructor(db: DatabaseSync, now: () => number = Date.now) {
    this.db = db;
    this.s = new Statements(db);
    this.now = now;
    this.calls = new CallLog(this.s);
  }

  private q(sql: string) {
    return this.s.q(sql);
  }

  transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      // SQLite has already rolled back after some errors (a full disk): a second ROLLBACK would
      // fail and its "no transaction is active" would replace the error that matters.
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    this.db.close();
  }

  // -- conversations ---------------------------------------------------------------------------

  listConversations(limit = 500): ConversationSummary[] {
    return listConversations(this.s, limit);
  }

  createConversation(init: { providerId: string | null; modelId: string | null; title?: string; systemPrompt?: string; params?: ChatParams }): Conversation {
    const t = this.now();
    const c: Conversation = {
      id: newId('c'),
      title: init.title ?? '',
      titleAuto: !init.title,
      providerId: init.providerId,
      modelId: init.modelId,
      systemPrompt: init.systemPrompt ?? '',
      params: init.params ?? {},
      draft: '',
      createdAt: t,
      updatedAt: t,
    };
    insertConversation(this.s, c);
    return this.getConversation(c.id)!;
  }

  getConversation(id: string, includeDeleted = false): Conversation | null {
    const r = conversationRow(this.s, id);
    if (!r || (r.deleted_at != null && !includeDeleted)) return null;
    return rowToConversation(r);
  }

  leafOf(id: string): string | null {
    return leafOf(this.s, id);
  }

  updateConversation(id: string, patch: ConversationPatch, touch = true): Conversation | null {
    updateConversation(this.s, id, patch, touch ? this.now() : undefined);
    return this.getConversation(id);
  }

  /** Soft delete, so "undo" can bring it back; purged later. */
  deleteConversation(id: string): void {
    markDeleted(this.s, id, this.now());
  }

  restoreConversation(id: string): void {
    markDeleted(this.s, id, null);
  }

  purgeDeleted(olderThanMs: number): number {
    return purgeDeleted(this.s, this.now() - olderThanMs);
  }

  // -- messages --------------------------------------------------------------------------------

  /**
   * Columns of a message plus its version (position among its siblings, by creation). Each count is
   * a range on messages_siblings, so a long path costs a few index probes per row, not a scan.
   */
  private static readonly WITH_VERSION = `m.*,
    (SELECT COUNT(*) FROM messages s WHERE s.conversation_id = m.conversation_id AND s.parent_id IS m.parent_id) AS v_count,
    (SELECT COUNT(*) FROM messages s WHERE s.conversation_id = m.conversation_id AND s.parent_id IS m.parent_id
       AND (s.created_at < m.created_at OR (s.created_at = m.created_at AND s.rowid <= m.rowid))) AS v_index`;

  private static readonly PATH_SQL = `WITH RECURSIVE path(id, depth) AS (
      SELECT id, 0 FROM messages WHERE id = ?
      UNION ALL SELECT m.parent_id, p.depth + 1 FROM messages m JOIN path p ON m.id = p.id WHERE m.parent_id IS NOT NULL
    )
    SELECT ${HistoryStore.WITH_VERSION} FROM path p JOIN messages m ON m.id = p.id ORDER BY p.depth DESC`;

  private rowToMessage(r: MessageRow & { v_count: number; v_index: number }): Message {
    return rowToMessage(r, { index: Number(r.v_index), count: Number(r.v_count) });
  }

  /** The messages from the root down to `messageId` (inclusive), oldest first. */
  pathTo(messageId: string): Message[] {
    const rows = this.q(HistoryStore.PATH_SQL).all(messageId) as unknown as (MessageRow & { v_count: number; v_index: number })[];
    return rows.map((r) => this.rowToMessage(r));
  }

  /** The messages on the conversation's current branch, oldest first. */
  activePath(conversationId: string): Message[] {
    const leaf = this.leafOf(conversationId);
    return leaf ? this.pathTo(leaf) : [];
  }

  getMessage(id: string): Message | null {
    const r = this.q(`SELECT ${HistoryStore.WITH_VERSION} FROM messages m WHERE m.id = ?`).get(id) as unknown as
      | (MessageRow & { v_count: number; v_index: number })
      | undefined;
    return r ? this.rowToMessage(r) : null;
  }

  /** Ids of a message's versions (itself and its siblings), oldest first. */
  siblingIds(id: string): string[] {
    const rows = this.q(
      `SELECT s.id FROM messages m JOIN messages s ON s.conversation_id = m.conversation_id AND s.parent_id IS m.parent_id
       WHERE m.id = ? ORDER BY s.created_at, s.rowid`,
    ).all(id) as unknown as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** The most recently created leaf in the subtree under `id` (itself when it has no children). */
  newestLeafUnder(id: string): string {
    const r = this.q(
      `WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id)
       SELECT m.id FROM sub JOIN messages m ON m.id = sub.id
       WHERE NOT EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = m.id)
       ORDER BY m.created_at DESC, m.rowid DESC LIMIT 1`,
    ).get(id) as { id: string } | undefined;
    return r?.id ?? id;
  }

  hasStreamingUnder(id: string): boolean {
    const r = this.q(
      `WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id)
       SELECT 1 AS x FROM sub JOIN messages m ON m.id = sub.id WHERE m.status = 'streaming' LIMIT 1`,
    ).get(id);
    return r !== undefined;
  }

  /**
   * Shows a message (or, with `version`, the sibling at that 1-based position): the conversation's
   * leaf moves to the newest leaf under it. Returns the message that is now on the path.
   */
  selectVersion(messageId: string, version?: number): Message {
    const m = this.getMessage(messageId);
    if (!m) throw new ServiceError('not_found', 'This message no longer exists.');
    let target = m.id;
    if (version !== undefined) {
      const ids = this.siblingIds(m.id);
      const picked = ids[version - 1];
      if (!picked) throw new ServiceError('not_found', `There is no version ${version}.`);
      target = picked;
    }
    // Looking at another version is not a change to the conversation: the sidebar order stays.
    this.updateConversation(m.conversationId, { leafId: this.newestLeafUnder(target) }, false);
    return this.getMessage(target)!;
  }

  /**
   * Deletes one message. A message that has other versions goes with the branch below it (that
   * branch only exists as its continuation); a message without versions is cut out and its
   * children move up to its parent, so the rest of the conversation stays. The conversation's leaf
   * is moved if it was on the deleted part.
   */
  deleteMessage(id: string): { conversationId: string; anchorId: string | null } {
    const m = this.getMessage(id);
    if (!m) throw new ServiceError('not_found', 'This message no longer exists.');
    return this.transaction(() => {
      const leaf = this.leafOf(m.conversationId);
      const onPath = leaf !== null && this.pathTo(leaf).some((x) => x.id === id);
      const siblings = this.siblingIds(id);
      let newLeaf: string | null | undefined;
      if (siblings.length > 1) {
        const i = siblings.indexOf(id);
        const neighbour = siblings[i > 0 ? i - 1 : 1]!;
        this.q('DELETE FROM messages WHERE id = ?').run(id);
        if (onPath) newLeaf = this.newestLeafUnder(neighbour);
      } else {
        this.q('UPDATE messages SET parent_id = ? WHERE parent_id = ?').run(m.parentId, id);
        this.q('DELETE FROM messages WHERE id = ?').run(id);
        if (leaf === id) newLeaf = m.parentId;
      }
      this.updateConversation(m.conversationId, newLeaf !== undefined ? { leafId: newLeaf } : {});
      return { conversationId: m.conversationId, anchorId: m.parentId };
    });
  }

  insertMessage(m: NewMessage): Message {
    const id = newId('m');
    const t = this.now();
    this.q(
      `INSERT INTO messages (id, conversation_id, parent_id, role, content, status, provider_id, model_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, m.conversationId, m.parentId, m.role, m.content ?? '', m.status, m.providerId ?? null, m.modelId ?? null, t, t);
    return this.getMessage(id)!;
  }

  /** Called about once a second while streaming: what a crash may lose is bounded by this. */
  checkpoint(id: string, content: string, reasoning: string): void {
    this.q('UPDATE messages SET content = ?, reasoning = ?, updated_at = ? WHERE id = ?').run(content, reasoning, this.now(), id);
  }

  /**
   * A tool round changed (ended, a call ran): its state and the content (which a finished round
   * moves into its round text) are saved together, so a crash never shows a text twice.
   */
  checkpointTools(id: string, tools: { toolCalls: ToolCall[]; roundTexts: string[] }, content: string, reasoning: string): void {
    this.q('UPDATE messages SET tool_calls = ?, content = ?, reasoning = ?, updated_at = ? WHERE id = ?').run(
      encodeTools(tools.toolCalls, tools.roundTexts),
      content,
      reasoning,
      this.now(),
      id,
    );
  }

  finalizeMessage(id: string, f: MessageFinal): Message {
    writeMessageRow(this.s, { id }, f, this.now());
    const m = this.getMessage(id);
    if (!m) throw new ServiceError('not_found', 'The answer was deleted while it was streaming.');
    return m;
  }

  /** On start: answers that were streaming when the app died are marked interrupted. */
  markInterrupted(): number {
    const r = this.q("UPDATE messages SET status = 'interrupted', updated_at = ? WHERE status = 'streaming'").run(this.now());
    return Number(r.changes);
  }

  /** A finished answer goes back to streaming (Continue); its text so far stays. */
  reopen(id: string): void {
    this.q("UPDATE messages SET status = 'streaming', error = NULL, updated_at = ? WHERE id = ?").run(this.now(), id);
  }

  // -- search ----------------------------------------------------------------------------------

  search(query: string, limit = 50): SearchHit[] {
    return searchHistory(this.s, query, limit);
  }

  // -- import and export -----------------------------------------------------------------------

  /** A conversation (not deleted) with every message of every branch, oldest first, and its shown leaf. */
  readWhole(id: string): { conversation: Conversation; leafId: string | null; rows: MessageRow[] } | null {
    const c = this.q('SELECT * FROM conversations WHERE id = ? AND deleted_at IS NULL').get(id) as ConversationRow | undefined;
    if (!c) return null;
    const rows = this.q('SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid').all(id) as unknown as MessageRow[];
    return { conversation: rowToConversation(c), leafId: c.leaf_id, rows };
  }

  /**
   * Writes a whole conversation (an import) in one transaction: the conversation, its messages
   * (parents first, ids already fresh) and the leaf that was shown.
   */
  insertWhole(conversation: Conversation, messages: { place: MessagePlace; final: MessageFinal }[], leafId: string | null): void {
    const t = this.now();
    this.transaction(() => {
      insertConversation(this.s, conversation);
      for (const m of messages) writeMessageRow(this.s, { place: m.place }, m.final, t);
      if (leafId) this.q('UPDATE conversations SET leaf_id = ? WHERE id = ?').run(leafId, conversation.id);
    });
  }

  // -- backup and restore ----------------------------------------------------------------------

  /** A copy of the whole history at `path`, for a backup (see snapshot.ts). */
  snapshotInto(path: string): { schemaVersion: number; conversations: number } {
    return snapshotInto(this.db, path);
  }

  /** Every table replaced by a checked copy, in one transaction with `alongside` (see snapshot.ts). */
  replaceFromCopy(path: string, o: { mismatch(table: string): Error; alongside(): void }): void {
    replaceFromCopy(this.db, path, o);
  }

  // -- usage -----------------------------------------------------------------------------------

  /** Records one upstream call in the usage table. */
  recordCall(c: CallRecord): string {
    return this.calls.record(c);
  }
}
