// Search over the history: conversation titles, and message text through the trigram full-text
// index (words of 3+ characters) or LIKE (shorter words, common in Japanese and Chinese).
import type { SearchHit } from '../../../contract/index.ts';
import type { Statements } from './sql.ts';

/** About 120 characters of `text` around the first occurrence of `term`, whitespace collapsed. */
export function snippetOf(text: string, term: string, before = 30, after = 90): string {
  const at = Math.max(0, text.toLowerCase().indexOf(term.toLowerCase()));
  const start = Math.max(0, at - before);
  const end = Math.min(text.length, at + term.length + after);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}

/**
 * Full-text search over titles and finished messages of conversations that are not deleted.
 * Words of 3+ characters go through the trigram index; shorter ones (common in Japanese and
 * Chinese: 会話, 模型) cannot use trigrams and are matched with LIKE, newest first, stopping at
 * the limit. Every word must match (AND).
 */
export function searchHistory(s: Statements, query: string, limit = 50): SearchHit[] {
  const terms = query.trim().split(/\s+/).filter(Boolean).slice(0, 8);
  if (!terms.length) return [];
  const long = terms.filter((t) => [...t].length >= 3);
  const short = terms.filter((t) => [...t].length < 3);
  const like = (t: string) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const hits: SearchHit[] = [];

  const titleRows = s.q(
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
    rows = s.q(
      `${select} messages_fts f JOIN messages m ON m.rowid = f.rowid JOIN conversations c ON c.id = m.conversation_id
       WHERE messages_fts MATCH ? AND c.deleted_at IS NULL ${shortSql ? `AND ${shortSql}` : ''}
       ORDER BY m.rowid DESC LIMIT ?`,
    ).all(match, ...short.map(like), limit) as unknown as Row[];
  } else {
    rows = s.q(
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
