// The Markdown export read back by a real Markdown parser (marked, GFM): code, math and reasoning
// survive, what the user typed renders literally, model HTML is shown and never interpreted.
import { marked, type Token } from 'marked';
import { describe, expect, it } from 'vitest';
import type { ConversationFile, ExportedMessage } from './conversation.ts';
import { conversationToMarkdown, embedMarkdown, escapePlain } from './markdown.ts';

function file(messages: Partial<ExportedMessage>[], extra: Partial<ConversationFile['conversation']> = {}): ConversationFile {
  const full = messages.map((m, i) => ({ id: `m${i}`, parentId: i ? `m${i - 1}` : null, role: 'assistant' as const, content: '', reasoning: '', status: 'done' as const, createdAt: i, ...m }));
  return {
    format: 'kaiwa.conversation',
    version: 1,
    exportedAt: '2026-01-01T00:00:00.000Z',
    conversation: { id: 'c', title: 'Title', titleAuto: false, providerId: null, modelId: null, systemPrompt: '', params: {}, draft: '', createdAt: 0, updatedAt: 0, ...extra },
    activeLeafId: full.at(-1)?.id ?? null,
    messages: full,
  };
}

/** The text a reader sees: tags dropped, entities decoded, whitespace collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function walk(tokens: Token[], out: Token[] = []): Token[] {
  for (const t of tokens) {
    out.push(t);
    const kids = (t as { tokens?: Token[]; items?: Token[] }).tokens ?? (t as { items?: Token[] }).items;
    if (kids) walk(kids, out);
  }
  return out;
}

describe('Markdown export', () => {
  it('shows tool rounds like the app: the text before each round, then its calls with arguments and result or error', () => {
    const md = conversationToMarkdown(
      file([
        {
          content: 'The sum is **0.3**.',
          roundTexts: ['First the time.', 'Then the sum.'],
          toolCalls: [
            { index: 0, id: 'a', name: 'get_current_time', arguments: '{}', round: 0, result: '{"iso":"2026-11-22T10:00"}' },
            { index: 0, id: 'b', name: 'calculate', arguments: '{"expression":"0.1+0.2"}', round: 1, result: '{"result":"0.3"}' },
            { index: 1, id: 'c', name: 'fetch_url', arguments: '{"url":"x"}', round: 1, error: { code: 'denied', message: 'The user said no' } },
          ],
        },
      ]),
      { user: 'You', assistant: 'Assistant', thinking: 'Thinking', systemPrompt: 'System', untitled: 'Untitled', tool: 'ツール' },
    );
    const text = textOf(marked.parse(md, { async: false, gfm: true }));
    const order = ['First the time.', 'ツール: get_current_time', '2026-11-22T10:00', 'Then the sum.', 'ツール: calculate', '0.1+0.2', '"result":"0.3"', 'ツール: fetch_url', 'denied: The user said no', 'The sum is 0.3'];
    let at = -1;
    for (const piece of order) {
      const i = text.indexOf(piece, at + 1);
      expect(i, `"${piece}" after position ${at} in: ${text}`).toBeGreaterThan(at);
      at = i;
    }
  });

  it('keeps code blocks, math and structure of an answer as they are', () => {
    const answer = ['Here is **code**:', '', '```python', 'def f(x):', '    return x < 2 and "<b>"', '```', '', 'Inline math $x^2 + y_1$ and display:', '', '$$', '\\int_0^1 x\\,dx < 1', '$$', '', '- a list', '- with `<tag>` in code'].join('\n');
    const md = conversationToMarkdown(file([{ role: 'user', content: 'Show me' }, { content: answer, modelId: 'Qwen/Qwen3-8B' }]));
    const tokens = walk(marked.lexer(md));
    const code = tokens.find((t) => t.type === 'code') as { lang: string; text: string };
    expect(code).toMatchObject({ lang: 'python', text: 'def f(x):\n    return x < 2 and "<b>"' });
    expect(md).toContain('$x^2 + y_1$');
    expect(md).toContain('$$\n\\int_0^1 x\\,dx < 1\n$$');
    expect(tokens.filter((t) => t.type === 'list')).toHaveLength(1);
    expect(tokens.some((t) => t.type === 'codespan' && (t as { text: string }).text === '<tag>')).toBe(true);
    expect(md).toMatch(/^## Assistant · Qwen\/Qwen3-8B$/m);
  });

  it('shows raw HTML from the model as text; a viewer never gets a tag to run', () => {
    const answer = 'Look: <script>alert(1)</script> <img src=x onerror="alert(2)"> &amp; <b>bold?</b>';
    const md = conversationToMarkdown(file([{ content: answer }]));
    const html = marked.parse(md) as string;
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(textOf(html)).toContain('Look: <script>alert(1)</script> <img src=x onerror="alert(2)"> &amp; <b>bold?</b>');
    expect(walk(marked.lexer(md)).filter((t) => t.type === 'html' && !/details|summary/.test(t.raw))).toEqual([]);
  });

  it('folds the reasoning into a <details> block above the answer, in the UI language', () => {
    const md = conversationToMarkdown(
      file([{ role: 'user', content: '質問' }, { reasoning: 'Step **one**.\n\nStep two.', content: '答え' }]),
      { user: 'あなた', assistant: 'アシスタント', thinking: '思考', systemPrompt: 'システムプロンプト', untitled: '新しい会話' },
    );
    const html = marked.parse(md) as string;
    expect(html).toMatch(/<details>\s*<summary>思考<\/summary>\s*<p>Step <strong>one<\/strong>\.<\/p>\s*<p>Step two\.<\/p>\s*<\/details>\s*<p>答え<\/p>/);
    expect(md.indexOf('<details>')).toBeLessThan(md.indexOf('答え'));
    expect(md).toMatch(/^## あなた$/m);
    expect(md).toMatch(/^## アシスタント$/m);
  });

  it('renders what the user typed literally, line breaks included', () => {
    const typed = '2*3*4 and _x_ and `tick`\n# not a heading\n- not a list\n1. not a list\n    indented\n> not a quote\n<b>not bold</b> $5 | a | b |';
    const md = conversationToMarkdown(file([{ role: 'user', content: typed }]));
    const html = (marked.parse(md) as string).split('<h2>You</h2>')[1]!;
    expect(html).not.toMatch(/<(em|strong|h[1-6]|ul|ol|blockquote|code|pre|table|b)>/);
    expect(textOf(html).replace(/\u00a0/g, ' ')).toContain(typed.replace(/\s+/g, ' '));
    expect((html.match(/<br>/g) ?? []).length).toBe(6);
    expect(escapePlain('a\n\nb')).toBe('a\n\nb');
  });

  it('closes a fence an answer left open, so the rest of the file stays Markdown', () => {
    const md = conversationToMarkdown(file([{ content: 'Partial:\n\n```js\nlet x = 1;', status: 'stopped' }, { role: 'user', content: 'go on' }]));
    expect(embedMarkdown('```js\nlet x = 1;')).toBe('```js\nlet x = 1;\n```');
    expect(embedMarkdown('~~~~\ncode\n~~~')).toBe('~~~~\ncode\n~~~\n~~~~');
    const tokens = marked.lexer(md);
    expect(tokens.find((t) => t.type === 'code')).toMatchObject({ text: 'let x = 1;' });
    expect(tokens.filter((t) => t.type === 'heading').map((t) => (t as { text: string }).text)).toEqual(['Title', 'Assistant', 'You']);
  });

  it('exports only the branch that was shown, with the title and system prompt first', () => {
    const f = file([{ role: 'user', content: 'q' }, { content: 'old answer' }], { title: 'My *chat*', systemPrompt: 'Be brief.' });
    f.messages.push({ id: 'm2', parentId: 'm0', role: 'assistant', content: 'new answer', reasoning: '', status: 'done', createdAt: 5 });
    f.activeLeafId = 'm2';
    const md = conversationToMarkdown(f);
    expect(md).toContain('new answer');
    expect(md).not.toContain('old answer');
    const headings = marked.lexer(md).filter((t) => t.type === 'heading').map((t) => textOf(marked.parseInline((t as { text: string }).text) as string));
    expect(headings).toEqual(['My *chat*', 'System prompt', 'You', 'Assistant']);
  });
});
