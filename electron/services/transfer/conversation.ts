// A conversation as a portable file: the Kaiwa JSON format ("kaiwa.conversation"), which keeps the
// whole tree — every version of every message, the branch that was shown, reasoning, usage, errors —
// so an export imported again loses nothing.
//
// Reading and writing go through the history store (the whole tree in one read; an import in one
// transaction, so a file that fails half-way leaves no trace).
import { z } from 'zod';
import { ChatParams, KaiwaError, MessageStatus, ToolCall, Usage } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { decodeTools, messageFigures, type HistoryStore, type MessageRow } from '../history/store.ts';
import { newId } from '../util/ids.ts';

export const CONVERSATION_FORMAT = 'kaiwa.conversation';
export const CONVERSATION_VERSION = 1;
/** A file larger than this is refused before it is parsed. */
export const MAX_CONVERSATION_FILE_CHARS = 512 * 1024 * 1024;

const RefId = z.string().min(1).max(200);
const Ms = z.number().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const ExportedMessage = z.strictObject({
  id: RefId,
  parentId: RefId.nullable(),
  role: z.enum(['user', 'assistant']),
  content: z.string().max(2_000_000),
  reasoning: z.string().max(2_000_000),
  status: MessageStatus,
  toolCalls: z.array(ToolCall).max(1000).optional(),
  /** What the model wrote before each tool round's calls (answers that ran tools). */
  roundTexts: z.array(z.string().max(2_000_000)).max(100).optional(),
  error: KaiwaError.optional(),
  providerId: z.string().max(200).optional(),
  modelId: z.string().max(200).optional(),
  usage: Usage.optional(),
  ttftMs: Ms.optional(),
  durationMs: Ms.optional(),
  reasoningMs: Ms.optional(),
  cost: z.number().nonnegative().nullable().optional(),
  createdAt: Ms,
});
export type ExportedMessage = z.infer<typeof ExportedMessage>;

export const ConversationFile = z
  .strictObject({
    format: z.literal(CONVERSATION_FORMAT),
    version: z.literal(CONVERSATION_VERSION),
    exportedAt: z.string().max(100),
    app: z.strictObject({ name: z.string().max(100), version: z.string().max(100) }).optional(),
    conversation: z.strictObject({
      id: RefId,
      title: z.string().max(1000),
      titleAuto: z.boolean(),
      providerId: z.string().max(200).nullable(),
      modelId: z.string().max(200).nullable(),
      systemPrompt: z.string().max(100_000),
      params: ChatParams,
      draft: z.string().max(1_000_000),
      createdAt: Ms,
      updatedAt: Ms,
    }),
    /** The last message of the branch that was shown. */
    activeLeafId: RefId.nullable(),
    /** Every message of every branch; a parent always comes before its children. */
    messages: z.array(ExportedMessage).max(200_000),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.messages.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path: ['messages', i, 'id'], message: 'duplicate message id' });
      if (m.parentId !== null && !seen.has(m.parentId)) ctx.addIssue({ code: 'custom', path: ['messages', i, 'parentId'], message: 'parent must come before its children' });
      seen.add(m.id);
    });
    if (f.activeLeafId !== null && !seen.has(f.activeLeafId)) ctx.addIssue({ code: 'custom', path: ['activeLeafId'], message: 'not a message of this file' });
    if (f.activeLeafId === null && f.messages.length) ctx.addIssue({ code: 'custom', path: ['activeLeafId'], message: 'missing' });
  });
export type ConversationFile = z.infer<typeof ConversationFile>;

function parseJson<T>(text: string | null): T | undefined {
  if (text == null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function toExported(r: MessageRow): ExportedMessage {
  const m: ExportedMessage = { id: r.id, parentId: r.parent_id, role: r.role, content: r.content, reasoning: r.reasoning, status: r.status, createdAt: r.created_at };
  if (r.tool_calls) {
    // The same decoding the history store uses: a plain list, or {calls, roundTexts} once tools ran.
    const tools = decodeTools(r.tool_calls);
    if (tools.toolCalls.length) m.toolCalls = tools.toolCalls;
    if (tools.roundTexts?.length) m.roundTexts = tools.roundTexts;
  }
  const error = parseJson<KaiwaError>(r.error);
  if (error) m.error = error;
  return Object.assign(m, messageFigures(r));
}

/**
 * Creation order, except that a message never comes before its parent (a clock set back could
 * make a reply look older than its question). Siblings keep their relative order, so versions keep
 * their numbers after an import.
 */
export function parentsFirst<T extends { id: string; parentId: string | null }>(items: T[]): T[] {
  const ids = new Set(items.map((m) => m.id));
  const out: T[] = [];
  const emitted = new Set<string>();
  const waiting = new Map<string, T[]>();
  const emit = (m: T) => {
    out.push(m);
    emitted.add(m.id);
    const kids = waiting.get(m.id);
    if (kids) {
      waiting.delete(m.id);
      for (const k of kids) emit(k);
    }
  };
  for (const m of items) {
    if (m.parentId === null || !ids.has(m.parentId) || emitted.has(m.parentId)) emit(m);
    else {
      const list = waiting.get(m.parentId) ?? [];
      list.push(m);
      waiting.set(m.parentId, list);
    }
  }
  // Only a cycle could leave messages waiting; keep them rather than lose them.
  for (const list of waiting.values()) for (const m of list) if (!emitted.has(m.id)) out.push({ ...m, parentId: null });
  return out;
}

/** The whole conversation (every branch) as a Kaiwa JSON object. */
export function readConversation(history: HistoryStore, id: string, meta: { appVersion: string; now: number }): ConversationFile {
  const whole = history.readWhole(id);
  if (!whole) throw new ServiceError('not_found', 'This conversation no longer exists.');
  const { conversation: c, leafId, rows } = whole;
  const messages = parentsFirst(rows.map(toExported));
  return {
    format: CONVERSATION_FORMAT,
    version: CONVERSATION_VERSION,
    exportedAt: new Date(meta.now).toISOString(),
    app: { name: 'Kaiwa', version: meta.appVersion },
    conversation: {
      id: c.id,
      title: c.title,
      titleAuto: c.titleAuto,
      providerId: c.providerId,
      modelId: c.modelId,
      systemPrompt: c.systemPrompt,
      params: ChatParams.catch({}).parse(c.params),
      draft: c.draft,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    },
    activeLeafId: leafId && messages.some((m) => m.id === leafId) ? leafId : (messages.at(-1)?.id ?? null),
    messages,
  };
}

/** Why a file is not an importable conversation, in words the UI can show (`errors.import_invalid`). */
function invalid(reason: 'json' | 'format' | 'newer' | 'content', details?: string): ServiceError {
  return new ServiceError('import_invalid', `This file cannot be imported (${reason}).`, { params: { reason }, ...(details ? { details } : {}) });
}

/** Parses and fully validates a Kaiwa JSON conversation file; nothing is written here. */
export function parseConversationFile(text: string): ConversationFile {
  if (text.length > MAX_CONVERSATION_FILE_CHARS) throw new ServiceError('too_large', 'The file is too large.');
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw invalid('json');
  }
  const head = z.object({ format: z.string(), version: z.number() }).safeParse(raw);
  if (!head.success || head.data.format !== CONVERSATION_FORMAT) throw invalid('format');
  if (head.data.version > CONVERSATION_VERSION) throw invalid('newer');
  const parsed = ConversationFile.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('\n');
    throw invalid('content', details);
  }
  return parsed.data;
}

/**
 * Writes a validated file as a new conversation with fresh ids, in one transaction. Creation times
 * are kept (they order versions); the conversation counts as just updated so it shows on top.
 */
export function importConversation(history: HistoryStore, file: ConversationFile, now: number): string {
  const c = file.conversation;
  const conversationId = newId('c');
  const ids = new Map<string, string>();
  for (const m of file.messages) ids.set(m.id, newId('m'));
  history.insertWhole(
    { ...c, id: conversationId, updatedAt: now },
    file.messages.map((m) => ({
      place: {
        id: ids.get(m.id)!,
        conversationId,
        parentId: m.parentId === null ? null : ids.get(m.parentId)!,
        role: m.role,
        providerId: m.providerId ?? null,
        modelId: m.modelId ?? null,
        createdAt: m.createdAt,
      },
      // Nothing is streaming into an imported answer.
      final: { ...m, status: m.status === 'streaming' ? 'interrupted' : m.status },
    })),
    file.activeLeafId ? ids.get(file.activeLeafId)! : null,
  );
  return conversationId;
}

/** The branch that was shown, root first. */
export function activeBranch(file: ConversationFile): ExportedMessage[] {
  const byId = new Map(file.messages.map((m) => [m.id, m]));
  const out: ExportedMessage[] = [];
  for (let m = file.activeLeafId ? byId.get(file.activeLeafId) : undefined; m; m = m.parentId ? byId.get(m.parentId) : undefined) out.push(m);
  return out.reverse();
}

/** A file name from a title: no path separators or characters Windows refuses, not too long. */
export function safeFilename(title: string, ext: string, fallback = 'conversation'): string {
  const base = title
    .replace(/[\p{Cc}<>:"/\\|?*]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 80)
    .trim();
  return `${base || fallback}.${ext}`;
}
