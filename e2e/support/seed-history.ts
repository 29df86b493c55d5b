// Writes a long conversation straight into a data dir, through the history service's own database
// code (openHistoryDb runs the real migrations; HistoryStore creates the conversation and sets its
// leaf), before a host is started on that dir.
import { openHistoryDb } from '../../electron/services/history/db.ts';
import { HistoryStore } from '../../electron/services/history/store.ts';
import { createLogger } from '../../electron/services/log.ts';

export function seedLongConversation(dataDir: string, opts: { messages: number; title?: string; text?: (i: number) => string; idPrefix?: string }): { conversationId: string } {
  const text = opts.text ?? seededText;
  const prefix = opts.idPrefix ?? 'm_seed_';
  const { db } = openHistoryDb(dataDir, createLogger({}));
  const store = new HistoryStore(db);
  try {
    const conv = store.createConversation({ providerId: 'modelscope', modelId: 'fake-model', title: opts.title ?? 'A very long conversation' });
    // HistoryStore.insertMessage re-reads the whole conversation's version index after every insert
    // (quadratic for 10,000 messages), so the rows go in with one prepared statement instead; the
    // columns are the ones insertMessage writes.
    const insert = db.prepare(
      `INSERT INTO messages (id, conversation_id, parent_id, role, content, status, provider_id, model_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'done', ?, ?, ?, ?)`,
    );
    const t0 = Date.now() - opts.messages * 1000;
    let parent: string | null = null;
    store.transaction(() => {
      for (let i = 0; i < opts.messages; i++) {
        const id = `${prefix}${String(i).padStart(6, '0')}`;
        const user = i % 2 === 0;
        insert.run(id, conv.id, parent, user ? 'user' : 'assistant', text(i), user ? null : 'modelscope', user ? null : 'fake-model', t0 + i * 1000, t0 + i * 1000);
        parent = id;
      }
    });
    store.updateConversation(conv.id, { leafId: parent });
    return { conversationId: conv.id };
  } finally {
    store.close();
  }
}

/** Message i's text: varied lengths (rows of different heights), some markdown and code. */
export function seededText(i: number): string {
  if (i % 2 === 0) return `Question ${i}: how does item ${i} work?`;
  if (i % 10 === 1) return `Answer ${i}: here is code.\n\n\`\`\`ts\nconst item${i} = ${i};\nexport default item${i};\n\`\`\``;
  if (i % 6 === 3) return `Answer ${i}:\n\n- first point about ${i}\n- second point\n- third point, **bold**`;
  return `Answer ${i}: ${'a sentence that makes this answer longer. '.repeat((i % 5) + 1)}`;
}
