import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { DB_FILE, MIGRATIONS, openHistoryDb } from './db.ts';
import { HistoryStore } from './store.ts';

let dir: string;
let store: HistoryStore;
let clock: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-history-'));
  clock = 1_700_000_000_000;
  // Every message gets its own millisecond unless a test says otherwise, like a real clock would.
  store = new HistoryStore(openHistoryDb(dir, silentLogger).db, () => ++clock);
});

afterEach(() => {
  try {
    store.close();
  } catch {
    /* closed by the test */
  }
  rmSync(dir, { recursive: true, force: true });
});

function conversation(title = '') {
  return store.createConversation({ providerId: 'p', modelId: 'm', ...(title ? { title } : {}) });
}

/** Adds a message under `parent` and makes it the conversation's leaf, like sending does. */
function add(conversationId: string, parent: string | null, role: 'user' | 'assistant', content: string) {
  const m = store.insertMessage({ conversationId, parentId: parent, role, content, status: 'done' });
  store.updateConversation(conversationId, { leafId: m.id });
  return m;
}

const texts = (conversationId: string) => store.activePath(conversationId).map((m) => m.content);

describe('conversation trees and versions', () => {
  it('a regenerated answer is a second version under the same question; switching moves the path', () => {
    const c = conversation();
    const q = add(c.id, null, 'user', 'question');
    const a1 = add(c.id, q.id, 'assistant', 'first answer');
    const q2 = add(c.id, a1.id, 'user', 'follow-up');
    add(c.id, q2.id, 'assistant', 'follow-up answer');
    const a2 = add(c.id, q.id, 'assistant', 'second answer');

    expect(texts(c.id)).toEqual(['question', 'second answer']);
    const path = store.activePath(c.id);
    expect(path[0]!.version).toEqual({ index: 1, count: 1 });
    expect(path[1]!.version).toEqual({ index: 2, count: 2 });

    // Back to version 1: the leaf goes to the newest leaf under it, so the follow-up is back too.
    const shown = store.selectVersion(a2.id, 1);
    expect(shown.id).toBe(a1.id);
    expect(shown.version).toEqual({ index: 1, count: 2 });
    expect(texts(c.id)).toEqual(['question', 'first answer', 'follow-up', 'follow-up answer']);

    store.selectVersion(a1.id, 2);
    expect(texts(c.id)).toEqual(['question', 'second answer']);
    expect(() => store.selectVersion(a1.id, 3)).toThrow(/version 3/);
  });

  it('an edited question is a sibling of the original; the old branch stays reachable', () => {
    const c = conversation();
    const q = add(c.id, null, 'user', 'hello');
    add(c.id, q.id, 'assistant', 'hi');
    const edited = add(c.id, null, 'user', 'hello again');
    add(c.id, edited.id, 'assistant', 'hi again');
    expect(texts(c.id)).toEqual(['hello again', 'hi again']);
    expect(store.activePath(c.id)[0]!.version).toEqual({ index: 2, count: 2 });
    // Root siblings are per conversation: another conversation's first message is not a version.
    const other = conversation();
    add(other.id, null, 'user', 'elsewhere');
    expect(store.activePath(c.id)[0]!.version).toEqual({ index: 2, count: 2 });
    expect(store.activePath(other.id)[0]!.version).toEqual({ index: 1, count: 1 });

    store.selectVersion(edited.id, 1);
    expect(texts(c.id)).toEqual(['hello', 'hi']);
  });

  it('versions keep creation order when several share a millisecond', () => {
    const c = conversation();
    const q = add(c.id, null, 'user', 'q');
    const frozen = clock;
    const ids = ['a', 'b', 'c'].map((t) => {
      clock = frozen; // same created_at for all three
      return add(c.id, q.id, 'assistant', t).id;
    });
    expect(store.siblingIds(ids[1]!)).toEqual(ids);
    expect(store.getMessage(ids[2]!)!.version).toEqual({ index: 3, count: 3 });
  });

  it('selecting a message that is not on the path shows it (search results jump there)', () => {
    const c = conversation();
    const q = add(c.id, null, 'user', 'q');
    const a1 = add(c.id, q.id, 'assistant', 'old answer');
    add(c.id, q.id, 'assistant', 'new answer');
    store.selectVersion(a1.id);
    expect(texts(c.id)).toEqual(['q', 'old answer']);
  });

  it('deleting a message without versions keeps the rest of the conversation', () => {
    const c = conversation();
    const q1 = add(c.id, null, 'user', 'q1');
    const a1 = add(c.id, q1.id, 'assistant', 'a1');
    const q2 = add(c.id, a1.id, 'user', 'q2');
    const a2 = add(c.id, q2.id, 'assistant', 'a2');

    expect(store.deleteMessage(a1.id)).toEqual({ conversationId: c.id, anchorId: q1.id });
    expect(texts(c.id)).toEqual(['q1', 'q2', 'a2']);
    expect(store.getMessage(q2.id)!.parentId).toBe(q1.id);

    // Deleting the last message moves the leaf to its parent.
    store.deleteMessage(a2.id);
    expect(texts(c.id)).toEqual(['q1', 'q2']);
    store.deleteMessage(q1.id);
    store.deleteMessage(q2.id);
    expect(texts(c.id)).toEqual([]);
    expect(store.leafOf(c.id)).toBeNull();
  });

  it('deleting one version removes its branch and shows a neighbouring version', () => {
    const c = conversation();
    const q = add(c.id, null, 'user', 'q');
    const a1 = add(c.id, q.id, 'assistant', 'a1');
    add(c.id, a1.id, 'user', 'under a1');
    const a2 = add(c.id, q.id, 'assistant', 'a2');
    const a3 = add(c.id, q.id, 'assistant', 'a3');
    store.selectVersion(a2.id);

    store.deleteMessage(a2.id);
    expect(texts(c.id)).toEqual(['q', 'a1', 'under a1']);
    expect(store.getMessage(a3.id)!.version).toEqual({ index: 2, count: 2 });

    // The first version has no earlier neighbour: the next one is shown.
    store.deleteMessage(a1.id);
    expect(texts(c.id)).toEqual(['q', 'a3']);
    expect(store.getMessage(a3.id)!.version).toEqual({ index: 1, count: 1 });
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE content = 'under a1'").get()).toEqual({ n: 0 });
  });

  it('deleting a version that is not shown leaves the shown path alone', () => {
    const c = conversation();
    const q = add(c.id, null, 'user', 'q');
    const a1 = add(c.id, q.id, 'assistant', 'a1');
    add(c.id, q.id, 'assistant', 'a2');
    store.deleteMessage(a1.id);
    expect(texts(c.id)).toEqual(['q', 'a2']);
  });

  it('a soft-deleted conversation disappears from the list and comes back on restore', () => {
    const a = conversation('A');
    conversation('B');
    store.deleteConversation(a.id);
    expect(store.listConversations().map((c) => c.title)).toEqual(['B']);
    expect(store.getConversation(a.id)).toBeNull();
    store.restoreConversation(a.id);
    expect(store.listConversations().map((c) => c.title).sort()).toEqual(['A', 'B']);
  });

  it('the list is most recent first', () => {
    const a = conversation('A');
    conversation('B');
    store.updateConversation(a.id, { title: 'A2' });
    expect(store.listConversations().map((c) => c.title)).toEqual(['A2', 'B']);
  });
});

describe('search', () => {
  function seed() {
    const en = conversation('Travel plans');
    const q = add(en.id, null, 'user', 'Which bird is a pelican? Tell me about pelicans in Europe.');
    add(en.id, q.id, 'assistant', 'The Dalmatian pelican lives in south-eastern Europe.');
    const ja = conversation('日本語の会話');
    const qj = add(ja.id, null, 'user', '東京の天気を教えてください');
    add(ja.id, qj.id, 'assistant', '東京は今日晴れです。会話を続けましょう。');
    const zh = conversation('中文');
    const qz = add(zh.id, null, 'user', '请介绍一下大语言模型');
    add(zh.id, qz.id, 'assistant', '大语言模型是一种深度学习模型。');
    return { en, ja, zh };
  }

  it('finds English words case-insensitively, with a snippet around the match', () => {
    const { en } = seed();
    const hits = store.search('DALMATIAN');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ conversationId: en.id, title: 'Travel plans', role: 'assistant' });
    expect(hits[0]!.snippet).toContain('Dalmatian pelican');
    // Every word must match, in any order.
    expect(store.search('europe pelican').map((h) => h.role).sort()).toEqual(['assistant', 'user']);
    expect(store.search('pelican giraffe')).toEqual([]);
  });

  it('finds Japanese and Chinese text, including words shorter than three characters', () => {
    const { ja, zh } = seed();
    expect(store.search('東京の天気').map((h) => h.conversationId)).toEqual([ja.id]);
    // Two characters cannot use the trigram index: matched by LIKE instead.
    const twoChars = store.search('会話');
    expect(twoChars.map((h) => h.messageId === null ? 'title' : h.role)).toEqual(['title', 'assistant']);
    expect(twoChars.every((h) => h.conversationId === ja.id)).toBe(true);
    expect(store.search('模型').map((h) => h.conversationId)).toEqual([zh.id, zh.id]);
    expect(store.search('晴').map((h) => h.snippet)).toEqual(['東京は今日晴れです。会話を続けましょう。']);
    // Mixed: a long word through the index, a short one as a filter.
    expect(store.search('大语言模型 深度').map((h) => h.role)).toEqual(['assistant']);
  });

  it('treats LIKE and FTS syntax in the query as plain text', () => {
    const c = conversation();
    add(c.id, null, 'user', 'progress is 100% done, file_name "quoted" AND NOT');
    expect(store.search('0%').map((h) => h.role)).toEqual(['user']);
    expect(store.search('e_n')).toHaveLength(1);
    expect(store.search('_')).toHaveLength(1);
    expect(store.search('%x')).toEqual([]);
    expect(store.search('"quoted"')).toHaveLength(1);
    expect(store.search('AND NOT')).toHaveLength(1);
    expect(store.search('NEAR(')).toEqual([]);
  });

  it('does not find deleted conversations, deleted messages or answers still streaming', () => {
    const { en } = seed();
    store.deleteConversation(en.id);
    expect(store.search('pelican')).toEqual([]);
    store.restoreConversation(en.id);
    expect(store.search('pelican')).toHaveLength(2);
    const c = conversation();
    const q = add(c.id, null, 'user', 'zebra question');
    const a = store.insertMessage({ conversationId: c.id, parentId: q.id, role: 'assistant', status: 'streaming' });
    store.checkpoint(a.id, 'a streaming okapi', '');
    expect(store.search('okapi')).toEqual([]);
    expect(store.search('ok')).toEqual([]);
    store.finalizeMessage(a.id, { content: 'a finished okapi', reasoning: '', status: 'done' });
    expect(store.search('okapi')).toHaveLength(1);
    store.deleteMessage(a.id);
    expect(store.search('okapi')).toEqual([]);
    // Purging removes index entries along with the rows.
    store.deleteConversation(c.id);
    clock += 10;
    expect(store.purgeDeleted(0)).toBe(1);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM messages_fts WHERE messages_fts MATCH '\"zebra\"'").get()).toEqual({ n: 0 });
  });
});

describe('migrations', () => {
  it('opens a v1 database with its data and moves it to the current schema', () => {
    store.close();
    const old = mkdtempSync(join(tmpdir(), 'kaiwa-v1-'));
    try {
      const db = new DatabaseSync(join(old, DB_FILE));
      db.exec(MIGRATIONS[0]!);
      db.exec('PRAGMA user_version = 1');
      db.exec(`INSERT INTO conversations (id, title, created_at, updated_at, leaf_id) VALUES ('c1', 'old', 1, 1, 'm2')`);
      db.exec(`INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at, updated_at)
               VALUES ('m1', 'c1', NULL, 'user', 'a question from v1', 'done', 1, 1),
                      ('m2', 'c1', 'm1', 'assistant', 'an answer from v1', 'done', 2, 2)`);
      db.close();

      const opened = openHistoryDb(old, silentLogger);
      expect(opened.notices).toEqual([]);
      const migrated = new HistoryStore(opened.db);
      expect((opened.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(MIGRATIONS.length);
      expect(opened.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'messages_siblings'").get()).toBeTruthy();
      expect(migrated.activePath('c1').map((m) => [m.content, m.version])).toEqual([
        ['a question from v1', { index: 1, count: 1 }],
        ['an answer from v1', { index: 1, count: 1 }],
      ]);
      expect(migrated.search('from v1')).toHaveLength(2);
      migrated.close();
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });
});

describe('a conversation of 10,000 messages', () => {
  it('opens with the whole path in order and correct versions, using the sibling index', () => {
    const c = conversation('long');
    const insert = store.db.prepare(
      `INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'done', ?, ?)`,
    );
    store.transaction(() => {
      let parent: string | null = null;
      for (let i = 0; i < 10_000; i++) {
        const id = `m${i}`;
        insert.run(id, c.id, parent, i % 2 ? 'assistant' : 'user', `message ${i}`, i, i);
        // Every 100th answer was regenerated once: a second version next to it.
        if (i % 100 === 1) insert.run(`${id}-v2`, c.id, parent, 'assistant', `message ${i} again`, i, i);
        parent = id;
      }
      store.updateConversation(c.id, { leafId: parent });
    });

    const path = store.activePath(c.id);
    expect(path).toHaveLength(10_000);
    expect(path.every((m, i) => m.content === `message ${i}`)).toBe(true);
    expect(path.every((m, i) => m.parentId === (i === 0 ? null : `m${i - 1}`))).toBe(true);
    const versioned = path.filter((m) => m.version.count === 2);
    expect(versioned).toHaveLength(100);
    expect(versioned.every((m) => m.version.index === 1)).toBe(true);
    expect(path.filter((m) => m.version.count === 1)).toHaveLength(9_900);

    // Switching a version deep in the path shortens it to that branch.
    store.selectVersion('m5001', 2);
    const switched = store.activePath(c.id);
    expect(switched).toHaveLength(5_002);
    expect(switched.at(-1)!.content).toBe('message 5001 again');
    expect(switched.at(-1)!.version).toEqual({ index: 2, count: 2 });

    // The version counts are index lookups, not a scan of the conversation per message.
    const plan = store.db
      .prepare(`EXPLAIN QUERY PLAN SELECT (SELECT COUNT(*) FROM messages s WHERE s.conversation_id = m.conversation_id AND s.parent_id IS m.parent_id) FROM messages m WHERE m.id = 'm1'`)
      .all() as { detail: string }[];
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toMatch(/messages_siblings/);
    expect(details).not.toMatch(/SCAN s\b/);
  });
});
