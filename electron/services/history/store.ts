// The history database behind a typed interface. Conversations are trees: every message points to
// its parent, siblings are versions (regenerate, edit-and-resend), and a conversation shows the path
// from its `leaf_id` up to the root.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type {
  ChatParams,
  Conversation,
  ConversationSummary,
  KaiwaError,
  Message,
  MessageStatus,
  ToolCall,
  Usage,
} from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { newId } from '../util/ids.ts';

/** A row of the `messages` table as SQLite returns it. */
export interface MessageRow {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: 'user' | 'assistant';
  content: string;
  reasoning: string;
  tool_calls: string | null;
  status: MessageStatus;
  error: string | null;
  provider_id: string | null;
  model_id: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  reasoning_tokens: number | null;
  ttft_ms: number | null;
  duration_ms: number | null;
  reasoning_ms: number | null;
  cost: number | null;
  created_at: number;
}

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

function parseJson<T>(text: string | null, fallback: T): T {
  if (text == null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

type MessageFigures = Pick<Message, 'providerId' | 'modelId' | 'usage' | 'ttftMs' | 'durationMs' | 'reasoningMs' | 'cost'>;

/** A message row's model, usage, timings and cost as message fields (only those it has). */
export function messageFigures(r: MessageRow): MessageFigures {
  const m: MessageFigures = {};
  if (r.provider_id) m.providerId = r.provider_id;
  if (r.model_id) m.modelId = r.model_id;
  if (r.prompt_tokens != null || r.completion_tokens != null) {
    m.usage = { promptTokens: r.prompt_tokens ?? 0, completionTokens: r.completion_tokens ?? 0 };
    if (r.reasoning_tokens != null) m.usage.reasoningTokens = r.reasoning_tokens;
  }
  if (r.ttft_ms != null) m.ttftMs = r.ttft_ms;
  if (r.duration_ms != null) m.durationMs = r.duration_ms;
  if (r.reasoning_ms != null) m.reasoningMs = r.reasoning_ms;
  if (r.cost != null) m.cost = r.cost;
  return m;
}

export interface NewMessage {
  conversationId: string;
  parentId: string | null;
  role: 'user' | 'assistant';
  content?: string;
  status: MessageStatus;
  providerId?: string;
  modelId?: string;
}

export interface MessageFinal {
  content: string;
  reasoning: string;
  status: MessageStatus;
  toolCalls?: ToolCall[];
  roundTexts?: string[];
  sources?: Source[];
  error?: KaiwaError;
  usage?: Usage;
  ttftMs?: number;
  durationMs?: number;
  reasoningMs?: number;
  cost?: number | null;
}

type Source = NonNullable<Message['sources']>[number];

/**
 * The `tool_calls` column: a plain array of calls (answers from before tools ran, and calls that were
 * only shown), or `{calls, roundTexts, sources}` once tool rounds ran or a web search listed its
 * sources. Same column, no schema change.
 */
export function encodeTools(calls: ToolCall[] | undefined, roundTexts: string[] | undefined, sources?: Source[]): string | null {
  if (roundTexts?.length || sources?.length) return JSON.stringify({ calls: calls ?? [], roundTexts: roundTexts ?? [], ...(sources?.length ? { sources } : {}) });
  return calls?.length ? JSON.stringify(calls) : null;
}

export function decodeTools(text: string): { toolCalls: ToolCall[]; roundTexts?: string[]; sources?: Source[] } {
  const v = parseJson<unknown>(text, []);
  if (Array.isArray(v)) return { toolCalls: v as ToolCall[] };
  const o = (v ?? {}) as { calls?: ToolCall[]; roundTexts?: string[]; sources?: Source[] };
  return {
    toolCalls: Array.isArray(o.calls) ? o.calls : [],
    ...(Array.isArray(o.roundTexts) ? { roundTexts: o.roundTexts } : {}),
    ...(Array.isArray(o.sources) ? { sources: o.sources } : {}),
  };
}

export interface SearchHit {
  conversationId: string;
  title: string;
  /** null when the title matched. */
  messageId: string | null;
  role: 'user' | 'assistant' | null;
  snippet: string;
  updatedAt: number;
}

/** About 120 characters of `text` around the first occurrence of `term`, whitespace collapsed. */
export function snippetOf(text: string, term: string, before = 30, after = 90): string {
  const at = Math.max(0, text.toLowerCase().indexOf(term.toLowerCase()));
  const start = Math.max(0, at - before);
  const end = Math.min(text.length, at + term.length + after);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}

export interface CallRecord {
  ts: number;
  providerId: string;
  modelId: string;
  keyId: string | null;
  conversationId?: string | null;
  messageId?: string | null;
  kind?: 'chat' | 'check';
  status: 'ok' | 'error' | 'stopped';
  errorCode?: string | null;
  httpStatus?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  latencyMs?: number | null;
  ttftMs?: number | null;
  cost?: number | null;
}

export class HistoryStore {
  private stmts = new Map<string, StatementSync>();

  readonly db: DatabaseSync;
  private readonly now: () => number;

  constructor(db: DatabaseSync, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  private q(sql: string): StatementSync {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
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

  private toConversation(r: ConversationRow): Conversation {
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

  listConversations(limit = 500): ConversationSummary[] {
    const rows = this.q(
      `SELECT id, title, updated_at, provider_id, model_id FROM conversations
       WHERE deleted_at IS NULL ORDER BY updated_at DESC LIMIT ?`,
    ).all(limit) as unknown as { id: string; title: string; updated_at: number; provider_id: string | null; model_id: string | null }[];
    return rows.map((r) => ({ id: r.id, title: r.title, updatedAt: r.updated_at, providerId: r.provider_id, modelId: r.model_id }));
  }

  createConversation(init: { providerId: string | null; modelId: string | null; title?: string; systemPrompt?: string; params?: ChatParams }): Conversation {
    const id = newId('c');
    const t = this.now();
    this.q(
      `INSERT INTO conversations (id, title, title_auto, provider_id, model_id, system_prompt, params, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, init.title ?? '', init.title ? 0 : 1, init.providerId, init.modelId, init.systemPrompt ?? '', JSON.stringify(init.params ?? {}), t, t);
    return this.getConversation(id)!;
  }

  getConversation(id: string, includeDeleted = false): Conversation | null {
    const r = this.q('SELECT * FROM conversations WHERE id = ?').get(id) as unknown as ConversationRow | undefined;
    if (!r || (r.deleted_at != null && !includeDeleted)) return null;
    return this.toConversation(r);
  }

  leafOf(id: string): string | null {
    const r = this.q('SELECT leaf_id FROM conversations WHERE id = ?').get(id) as { leaf_id: string | null } | undefined;
    return r?.leaf_id ?? null;
  }

  updateConversation(
    id: string,
    patch: Partial<{ title: string; titleAuto: boolean; providerId: string | null; modelId: string | null; systemPrompt: string; params: ChatParams; draft: string; leafId: string | null }>,
    touch = true,
  ): Conversation | null {
    const sets: string[] = [];
    const vals: (string | number | null)[] = [];
    const add = (col: string, v: string | number | null) => {
      sets.push(`${col} = ?`);
      vals.push(v);
    };
    if (patch.title !== undefined) add('title', patch.title);
    if (patch.titleAuto !== undefined) add('title_auto', patch.titleAuto ? 1 : 0);
    if (patch.providerId !== undefined) add('provider_id', patch.providerId);
    if (patch.modelId !== undefined) add('model_id', patch.modelId);
    if (patch.systemPrompt !== undefined) add('system_prompt', patch.systemPrompt);
    if (patch.params !== undefined) add('params', JSON.stringify(patch.params));
    if (patch.draft !== undefined) add('draft', patch.draft);
    if (patch.leafId !== undefined) add('leaf_id', patch.leafId);
    if (touch) add('updated_at', this.now());
    if (sets.length) this.q(`UPDATE conversations SET ${sets.join(', ')} WHERE id = ?`).run(...vals, id);
    return this.getConversation(id);
  }

  /** Soft delete, so "undo" can bring it back; purged later. */
  deleteConversation(id: string): void {
    this.q('UPDATE conversations SET deleted_at = ? WHERE id = ?').run(this.now(), id);
  }

  restoreConversation(id: string): void {
    this.q('UPDATE conversations SET deleted_at = NULL WHERE id = ?').run(id);
  }

  purgeDeleted(olderThanMs: number): number {
    const r = this.q('DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?').run(this.now() - olderThanMs);
    return Number(r.changes);
  }

  // -- messages --------------------------------------------------------------------------------

  private toMessage(r: MessageRow, version: { index: number; count: number }): Message {
    const m: Message = {
      id: r.id,
      conversationId: r.conversation_id,
      parentId: r.parent_id,
      role: r.role,
      content: r.content,
      reasoning: r.reasoning,
      status: r.status,
      createdAt: r.created_at,
      version,
    };
    if (r.tool_calls) {
      const t = decodeTools(r.tool_calls);
      if (t.toolCalls.length) m.toolCalls = t.toolCalls;
      if (t.roundTexts?.length) m.roundTexts = t.roundTexts;
      if (t.sources?.length) m.sources = t.sources;
    }
    if (r.error) m.error = parseJson<KaiwaError>(r.error, { code: 'internal', message: 'unknown error' });
    return Object.assign(m, messageFigures(r));
  }

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
    return this.toMessage(r, { index: Number(r.v_index), count: Number(r.v_count) });
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
    this.q(
      `UPDATE messages SET content = ?, reasoning = ?, status = ?, tool_calls = ?, error = ?, prompt_tokens = ?, completion_tokens = ?,
         reasoning_tokens = ?, ttft_ms = ?, duration_ms = ?, reasoning_ms = ?, cost = ?, updated_at = ? WHERE id = ?`,
    ).run(
      f.content,
      f.reasoning,
      f.status,
      encodeTools(f.toolCalls, f.roundTexts, f.sources),
      f.error ? JSON.stringify(f.error) : null,
      f.usage?.promptTokens ?? null,
      f.usage?.completionTokens ?? null,
      f.usage?.reasoningTokens ?? null,
      f.ttftMs ?? null,
      f.durationMs ?? null,
      f.reasoningMs ?? null,
      f.cost ?? null,
      this.now(),
      id,
    );
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

  /**
   * Full-text search over titles and finished messages of conversations that are not deleted.
   * Words of 3+ characters go through the trigram index; shorter ones (common in Japanese and
   * Chinese: 会話, 模型) cannot use trigrams and are matched with LIKE, newest first, stopping at
   * the limit. Every word must match (AND).
   */
  search(query: string, limit = 50): SearchHit[] {
    const terms = query.trim().split(/\s+/).filter(Boolean).slice(0, 8);
    if (!terms.length) return [];
    const long = terms.filter((t) => [...t].length >= 3);
    const short = terms.filter((t) => [...t].length < 3);
    const like = (t: string) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const hits: SearchHit[] = [];

    const titleRows = this.q(
      `SELECT id, title, updated_at FROM conversations WHERE deleted_at IS NULL AND ${terms.map(() => "title LIKE ? ESCAPE '\\'").join(' AND ')}
       ORDER BY updated_at DESC LIMIT ?`,
    ).all(...terms.map(like), limit) as unknown as { id: string; title: string; updated_at: number }[];
    for (const r of titleRows) hits.push({ conversationId: r.id, title: r.title, messageId: null, role: null, snippet: '', updatedAt: r.updated_at });

    const shortSql = short.map(() => "m.content LIKE ? ESCAPE '\\'").join(' AND ');
    const select = `SELECT m.id, m.conversation_id, m.role, m.content, c.title, c.updated_at FROM`;
    type Row = { id: string; conversation_id: string; role: 'user' | 'assistant'; content: string; title: string; updated_at: number };
    let rows: Row[];
    if (long.length) {
      const match = long.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ');
      rows = this.q(
        `${select} messages_fts f JOIN messages m ON m.rowid = f.rowid JOIN conversations c ON c.id = m.conversation_id
         WHERE messages_fts MATCH ? AND c.deleted_at IS NULL ${shortSql ? `AND ${shortSql}` : ''}
         ORDER BY m.rowid DESC LIMIT ?`,
      ).all(match, ...short.map(like), limit) as unknown as Row[];
    } else {
      rows = this.q(
        `${select} messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.status <> 'streaming' AND c.deleted_at IS NULL AND ${shortSql}
         ORDER BY m.rowid DESC LIMIT ?`,
      ).all(...short.map(like), limit) as unknown as Row[];
    }
    for (const r of rows) {
      hits.push({ conversationId: r.conversation_id, title: r.title, messageId: r.id, role: r.role, snippet: snippetOf(r.content, terms[0]!), updatedAt: r.updated_at });
    }
    return hits.slice(0, limit);
  }

  // -- usage -----------------------------------------------------------------------------------

  recordCall(c: CallRecord): string {
    const id = newId('u');
    this.q(
      `INSERT INTO calls (id, ts, provider_id, model_id, key_id, conversation_id, message_id, kind, status, error_code, http_status,
         input_tokens, output_tokens, latency_ms, ttft_ms, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      c.ts,
      c.providerId,
      c.modelId,
      c.keyId,
      c.conversationId ?? null,
      c.messageId ?? null,
      c.kind ?? 'chat',
      c.status,
      c.errorCode ?? null,
      c.httpStatus ?? null,
      c.inputTokens ?? null,
      c.outputTokens ?? null,
      c.latencyMs ?? null,
      c.ttftMs ?? null,
      c.cost ?? null,
    );
    return id;
  }
}
