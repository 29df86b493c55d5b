// The Kaiwa JSON conversation format against a real history database: an export keeps every branch,
// an import of it gives the same conversation back, and a bad file changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../errors.ts';
import { openHistoryDb } from '../history/db.ts';
import { HistoryStore } from '../history/store.ts';
import { silentLogger } from '../log.ts';
import { importConversation, parentsFirst, parseConversationFile, readConversation, safeFilename, type ConversationFile } from './conversation.ts';

let dir: string;
let history: HistoryStore;
let clock: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-transfer-'));
  clock = 1_700_000_000_000;
  history = new HistoryStore(openHistoryDb(dir, silentLogger).db, () => ++clock);
});

afterEach(() => {
  history.close();
  rmSync(dir, { recursive: true, force: true });
});

function add(conversationId: string, parentId: string | null, role: 'user' | 'assistant', content: string, extra: Partial<Parameters<HistoryStore['finalizeMessage']>[1]> = {}) {
  const m = history.insertMessage({ conversationId, parentId, role, content, status: 'done', ...(role === 'assistant' ? { providerId: 'modelscope', modelId: 'Qwen/Qwen3-8B' } : {}) });
  if (role === 'assistant' || Object.keys(extra).length) history.finalizeMessage(m.id, { content, reasoning: '', status: 'done', ...extra });
  history.updateConversation(conversationId, { leafId: m.id });
  return m;
}

/** A conversation with two versions of an answer, an edited question, reasoning, tools, usage and an error. */
function seed() {
  const c = history.createConversation({ providerId: 'modelscope', modelId: 'Qwen/Qwen3-8B', title: '会話 about code', systemPrompt: 'Be brief.', params: { temperature: 0.7, stop: ['END'] } });
  history.updateConversation(c.id, { draft: 'half-typed' });
  const q1 = add(c.id, null, 'user', 'Write fizzbuzz');
  const a1 = add(c.id, q1.id, 'assistant', '```python\nprint(1)\n```', { reasoning: 'Think first.', reasoningMs: 1200, usage: { promptTokens: 10, completionTokens: 20, reasoningTokens: 5 }, ttftMs: 300, durationMs: 900, cost: 0.0001 });
  add(c.id, q1.id, 'assistant', 'Second version with $x^2$', { toolCalls: [{ index: 0, id: 'call_1', name: 'search', arguments: '{"q":"x"}' }] });
  const q2 = add(c.id, a1.id, 'user', 'And in Rust?');
  add(c.id, q2.id, 'assistant', 'partial', { status: 'error', error: { code: 'rate_limited', message: 'Slow down', params: { provider: 'ModelScope' }, actions: ['retry'] } });
  add(c.id, null, 'user', 'Edited first question');
  // Show the branch under the first answer again, like a user who switched back to version 1.
  history.updateConversation(c.id, { leafId: history.activePath(c.id).at(-1)!.id });
  history.updateConversation(c.id, { leafId: q2.id });
  return c;
}

/** The parts of an export that must survive an import: ids become positions, export-time fields go. */
function comparable(f: ConversationFile) {
  const pos = new Map(f.messages.map((m, i) => [m.id, i]));
  return {
    format: f.format,
    version: f.version,
    conversation: { ...f.conversation, id: undefined, updatedAt: undefined },
    activeLeaf: f.activeLeafId === null ? null : pos.get(f.activeLeafId),
    messages: f.messages.map((m) => ({ ...m, id: pos.get(m.id), parentId: m.parentId === null ? null : pos.get(m.parentId) })),
  };
}

const count = () => (history.db.prepare('SELECT (SELECT COUNT(*) FROM conversations) AS c, (SELECT COUNT(*) FROM messages) AS m').get() as { c: number; m: number });

describe('Kaiwa JSON export', () => {
  it('holds every version of every message, the shown branch, and the conversation settings', () => {
    const c = seed();
    const file = readConversation(history, c.id, { appVersion: '1.2.3', now: clock });
    expect(file.format).toBe('kaiwa.conversation');
    expect(file.version).toBe(1);
    expect(file.app).toEqual({ name: 'Kaiwa', version: '1.2.3' });
    expect(file.messages.map((m) => m.content)).toEqual(['Write fizzbuzz', '```python\nprint(1)\n```', 'Second version with $x^2$', 'And in Rust?', 'partial', 'Edited first question']);
    expect(file.conversation).toMatchObject({ title: '会話 about code', systemPrompt: 'Be brief.', params: { temperature: 0.7, stop: ['END'] }, draft: 'half-typed', titleAuto: false });
    const byContent = (t: string) => file.messages.find((m) => m.content === t)!;
    expect(file.activeLeafId).toBe(byContent('And in Rust?').id);
    expect(byContent('```python\nprint(1)\n```')).toMatchObject({ reasoning: 'Think first.', reasoningMs: 1200, usage: { promptTokens: 10, completionTokens: 20, reasoningTokens: 5 }, ttftMs: 300, durationMs: 900, cost: 0.0001, modelId: 'Qwen/Qwen3-8B' });
    expect(byContent('Second version with $x^2$').toolCalls).toEqual([{ index: 0, id: 'call_1', name: 'search', arguments: '{"q":"x"}' }]);
    expect(byContent('partial')).toMatchObject({ status: 'error', error: { code: 'rate_limited', params: { provider: 'ModelScope' } } });
    // The file validates against its own schema.
    expect(parseConversationFile(JSON.stringify(file))).toEqual(file);
  });

  it('round-trips exactly: import the export, export the import, compare without ids and times', () => {
    const c = seed();
    const first = readConversation(history, c.id, { appVersion: '1', now: clock });
    const importedId = importConversation(history, parseConversationFile(JSON.stringify(first)), ++clock);
    expect(importedId).not.toBe(c.id);
    const second = readConversation(history, importedId, { appVersion: '1', now: clock });
    expect(comparable(second)).toEqual(comparable(first));
    expect(second.messages.map((m) => m.id).some((id) => first.messages.some((m) => m.id === id))).toBe(false);

    // The app sees the same conversation: the shown branch and the version numbers.
    const shown = (id: string) => history.activePath(id).map((m) => [m.content, m.version.index, m.version.count]);
    expect(shown(importedId)).toEqual(shown(c.id));
    expect(history.listConversations()[0]!.id).toBe(importedId);
  });

  it('keeps an answer that ran tools: every call with its round, result and error, and the text written before each round', () => {
    const c = history.createConversation({ providerId: 'modelscope', modelId: 'Qwen/Qwen3-8B', title: 'tools' });
    const q = add(c.id, null, 'user', 'What time is it, and 0.1 + 0.2?');
    const toolCalls = [
      { index: 0, id: 'call_t', name: 'get_current_time', arguments: '{}', round: 0, state: 'done' as const, result: '{"iso":"2026-11-22T10:00:00+09:00"}', durationMs: 3 },
      { index: 0, id: 'call_c', name: 'calculate', arguments: '{"expression":"0.1 + 0.2"}', round: 1, state: 'done' as const, result: '{"result":"0.3"}', durationMs: 2 },
      { index: 1, id: 'call_x', name: 'fetch_url', arguments: '{bad json', round: 1, state: 'error' as const, error: { code: 'bad_arguments' as const, message: 'not JSON' }, durationMs: 0 },
    ];
    add(c.id, q.id, 'assistant', 'It is 10:00 and the sum is exactly 0.3.', { toolCalls, roundTexts: ['Let me check the time.', 'Now the sum.'] });
    const first = readConversation(history, c.id, { appVersion: '1', now: clock });
    const answer = first.messages.find((m) => m.role === 'assistant')!;
    expect(answer.toolCalls).toEqual(toolCalls);
    expect(answer.roundTexts).toEqual(['Let me check the time.', 'Now the sum.']);

    const importedId = importConversation(history, parseConversationFile(JSON.stringify(first)), ++clock);
    const shown = history.activePath(importedId).at(-1)!;
    expect(shown.toolCalls).toEqual(toolCalls);
    expect(shown.roundTexts).toEqual(['Let me check the time.', 'Now the sum.']);
    expect(comparable(readConversation(history, importedId, { appVersion: '1', now: clock })).messages).toEqual(comparable(first).messages);
  });

  it('keeps version order when versions share a millisecond', () => {
    const c = history.createConversation({ providerId: null, modelId: null });
    const frozen = ++clock;
    const q = history.insertMessage({ conversationId: c.id, parentId: null, role: 'user', content: 'q', status: 'done' });
    const ids = ['one', 'two', 'three'].map((t) => {
      clock = frozen;
      return history.insertMessage({ conversationId: c.id, parentId: q.id, role: 'assistant', content: t, status: 'done' }).id;
    });
    history.updateConversation(c.id, { leafId: ids[1]! });
    clock = frozen + 10;
    const file = readConversation(history, c.id, { appVersion: '1', now: clock });
    const again = importConversation(history, file, clock);
    expect(history.activePath(again).map((m) => [m.content, m.version.index, m.version.count])).toEqual([
      ['q', 1, 1],
      ['two', 2, 3],
    ]);
  });

  it('an answer that was streaming comes back interrupted', () => {
    const c = history.createConversation({ providerId: null, modelId: null });
    const q = add(c.id, null, 'user', 'q');
    const a = history.insertMessage({ conversationId: c.id, parentId: q.id, role: 'assistant', content: 'so far', status: 'streaming' });
    history.updateConversation(c.id, { leafId: a.id });
    const id = importConversation(history, readConversation(history, c.id, { appVersion: '1', now: clock }), clock);
    expect(history.activePath(id).at(-1)).toMatchObject({ content: 'so far', status: 'interrupted' });
  });

  it('puts a parent before its children even when the clock went backwards', () => {
    const items = [
      { id: 'child', parentId: 'root' },
      { id: 'grandchild', parentId: 'child' },
      { id: 'root', parentId: null },
      { id: 'other', parentId: null },
    ];
    expect(parentsFirst(items).map((m) => m.id)).toEqual(['root', 'child', 'grandchild', 'other']);
  });

  it('refuses a deleted or unknown conversation', () => {
    const c = seed();
    history.deleteConversation(c.id);
    expect(() => readConversation(history, c.id, { appVersion: '1', now: 1 })).toThrow(/no longer exists/);
  });

  it('makes file names safe on every system', () => {
    expect(safeFilename('a/b\\c:d*e?f"g<h>i|j', 'md')).toBe('a b c d e f g h i j.md');
    expect(safeFilename('  ..hidden  ', 'md')).toBe('hidden.md');
    expect(safeFilename('', 'kaiwa.json')).toBe('conversation.kaiwa.json');
    expect(safeFilename('会話のタイトル', 'md')).toBe('会話のタイトル.md');
    expect(safeFilename('x'.repeat(300), 'md')).toHaveLength(83);
  });
});

describe('Kaiwa JSON import: a bad file gives a clear reason and writes nothing', () => {
  function expectRefused(text: string, reason: string) {
    const before = count();
    let err: unknown;
    try {
      importConversation(history, parseConversationFile(text), clock);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).info).toMatchObject({ code: 'import_invalid', params: { reason } });
    expect(count()).toEqual(before);
  }

  it('refuses what is not JSON, not ours, or from a newer Kaiwa', () => {
    seed();
    expectRefused('not json {', 'json');
    expectRefused(JSON.stringify({ hello: 'world' }), 'format');
    expectRefused(JSON.stringify({ format: 'kaiwa.backup', version: 1 }), 'format');
    expectRefused(JSON.stringify({ format: 'kaiwa.conversation', version: 2, messages: [] }), 'newer');
  });

  it('refuses broken trees, unknown fields and oversized values, saying where', () => {
    const c = seed();
    const good = readConversation(history, c.id, { appVersion: '1', now: clock });
    const variants: [string, (f: ConversationFile) => unknown][] = [
      ['child before parent', (f) => ({ ...f, messages: [...f.messages].reverse() })],
      ['duplicate id', (f) => ({ ...f, messages: [...f.messages, f.messages[0]] })],
      ['leaf not in file', (f) => ({ ...f, activeLeafId: 'nope' })],
      ['unknown role', (f) => ({ ...f, messages: f.messages.map((m, i) => (i === 0 ? { ...m, role: 'system' } : m)) })],
      ['unknown field', (f) => ({ ...f, messages: f.messages.map((m, i) => (i === 0 ? { ...m, evil: true } : m)) })],
      ['bad params', (f) => ({ ...f, conversation: { ...f.conversation, params: { temperature: 9 } } })],
      ['oversized', (f) => ({ ...f, conversation: { ...f.conversation, systemPrompt: 'x'.repeat(100_001) } })],
    ];
    for (const [, change] of variants) expectRefused(JSON.stringify(change(good)), 'content');
    let details = '';
    try {
      parseConversationFile(JSON.stringify(variants[0]![1](good)));
    } catch (e) {
      details = (e as ServiceError).info.details ?? '';
    }
    expect(details).toMatch(/parentId: parent must come before its children/);
  });

  it('accepts a file with a byte-order mark (saved by some editors)', () => {
    const c = seed();
    const text = `\uFEFF${JSON.stringify(readConversation(history, c.id, { appVersion: '1', now: clock }))}`;
    expect(parseConversationFile(text).messages).toHaveLength(6);
  });
});
