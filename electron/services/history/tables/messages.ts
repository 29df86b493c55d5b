// The `messages` table: its row, the mappers between a row and a message, and the one writer of a
// message's stored fields, shared by finishing an answer and importing a conversation file.
import type { KaiwaError, Message, MessageStatus, ToolCall, Usage } from '../../../contract/index.ts';
import { parseJson, type Statements } from './sql.ts';

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

type Source = NonNullable<Message['sources']>[number];
type MessageFigures = Pick<Message, 'providerId' | 'modelId' | 'usage' | 'ttftMs' | 'durationMs' | 'reasoningMs' | 'cost'>;

/** What an answer ends with: written when it finishes, and for every message of an import. */
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

/** A row as a message; `version` is its place among its siblings. */
export function rowToMessage(r: MessageRow, version: { index: number; count: number }): Message {
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

/** The stored fields of a finished message as columns, in the one order both writers use. */
export function finalToRow(f: MessageFinal): [column: string, value: string | number | null][] {
  return [
    ['content', f.content],
    ['reasoning', f.reasoning],
    ['status', f.status],
    ['tool_calls', encodeTools(f.toolCalls, f.roundTexts, f.sources)],
    ['error', f.error ? JSON.stringify(f.error) : null],
    ['prompt_tokens', f.usage?.promptTokens ?? null],
    ['completion_tokens', f.usage?.completionTokens ?? null],
    ['reasoning_tokens', f.usage?.reasoningTokens ?? null],
    ['ttft_ms', f.ttftMs ?? null],
    ['duration_ms', f.durationMs ?? null],
    ['reasoning_ms', f.reasoningMs ?? null],
    ['cost', f.cost ?? null],
  ];
}

/** A message's place and identity, for a row written whole (an import). */
export interface MessagePlace {
  id: string;
  conversationId: string;
  parentId: string | null;
  role: 'user' | 'assistant';
  providerId: string | null;
  modelId: string | null;
  createdAt: number;
}

/**
 * Writes a message's stored fields: over an existing row (`id` only: an answer finishing) or as a
 * new row (`place`: an imported message). One list of columns for both, so they cannot drift.
 */
export function writeMessageRow(s: Statements, target: { id: string } | { place: MessagePlace }, f: MessageFinal, now: number): void {
  const cols = finalToRow(f);
  if ('id' in target) {
    s.q(`UPDATE messages SET ${cols.map(([c]) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(...cols.map(([, v]) => v), now, target.id);
    return;
  }
  const p = target.place;
  const names = ['id', 'conversation_id', 'parent_id', 'role', 'provider_id', 'model_id', ...cols.map(([c]) => c), 'created_at', 'updated_at'];
  s.q(`INSERT INTO messages (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(
    p.id,
    p.conversationId,
    p.parentId,
    p.role,
    p.providerId,
    p.modelId,
    ...cols.map(([, v]) => v),
    p.createdAt,
    now,
  );
}
