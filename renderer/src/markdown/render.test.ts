// The renderer's output as markup (server rendering in Node, no browser needed): what model output
// may and may not become. The browser-level guarantees (nothing executes, no CSP violation) are in
// e2e/specs/markdown.spec.ts.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import '../i18n/index.ts';
import { highlightGroup, toLines } from './highlight.ts';
import { lex } from './lexer.ts';
import { MarkdownView } from './MarkdownView.tsx';
import { codeGroups } from './render.tsx';
import { decodeEntities, safeHref } from './text.ts';

const html = (text: string) => renderToStaticMarkup(createElement(MarkdownView, { text }));

describe('markdown rendering', () => {
  it('renders GFM: table, task list, strikethrough, autolink, nested lists, headings, quotes', () => {
    const out = html(
      [
        '## Plan',
        '',
        '| Step | Status |',
        '|:-----|-------:|',
        '| lex  | ~~old~~ done |',
        '',
        '- [x] parse blocks',
        '- [ ] ship it',
        '  1. nested',
        '',
        '> see www.example.com',
      ].join('\n'),
    );
    expect(out).toContain('<h2 class="md-heading">Plan</h2>');
    expect(out).toMatch(/<table>.*<th style="text-align:left">Step<\/th>.*<del>old<\/del> done/s);
    const boxes = [...out.matchAll(/<input ([^>]*)\/>/g)].map((m) => m[1]!);
    expect(boxes).toHaveLength(2);
    expect(boxes[0]).toMatch(/type="checkbox".*aria-label="parse blocks" checked=""/);
    expect(boxes[1]).toMatch(/type="checkbox".*disabled="".*aria-label="ship it"$/);
    expect(out).toMatch(/<li>nested<\/li>/);
    expect(out).toContain('<blockquote><p>see <a href="http://www.example.com/" class="md-link" rel="noopener noreferrer">www.example.com</a></p></blockquote>');
  });

  it('shows raw HTML as text and never emits active markup', () => {
    const payload = [
      '<script>window.__pwned=1</script>',
      '',
      'inline <img src=x onerror="window.__pwned=1"> and <svg onload="window.__pwned=1"></svg>',
      '',
      '<iframe src="javascript:window.__pwned=1"></iframe>',
      '',
      '<style>body{display:none}</style>',
      '',
      '<div style="position:fixed;inset:0">overlay</div>',
      '',
      '[x](javascript:window.__pwned=1) [d](data:text/html,<script>alert(1)</script>) [v](vbscript:msgbox) [r](/relative) [f](file:///etc/passwd)',
      '',
      '![tracker](https://evil.example/pixel.png)',
    ].join('\n');
    const out = html(payload);
    for (const tag of ['<script', '<img', '<svg', '<iframe', '<style', '<div style']) expect(out).not.toContain(tag);
    expect(out).not.toMatch(/<[^>]*\son\w+=/);
    expect(out).not.toMatch(/<[^>]*\shref="(?!https?:|mailto:)/);
    expect(out).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
    expect(out).toContain('&lt;style&gt;body{display:none}&lt;/style&gt;');
    // Links with other schemes are inert text; the image is a link to its URL, not a fetch.
    expect(out).toMatch(/<span class="md-link-inert" title="[^"]*javascript:window.__pwned=1">x<\/span>/);
    expect(out).toMatch(/<span class="md-link-inert"[^>]*>d<\/span>/);
    expect(out).toMatch(/<span class="md-link-inert"[^>]*>r<\/span>/);
    expect(out).toContain('Image: tracker</span> <a href="https://evil.example/pixel.png"');
  });

  it('highlights a fenced block with a language label and copy button', () => {
    const out = html('```ts\nconst x: number = 1; // one\n```');
    expect(out).toContain('<span class="md-code-lang">ts</span>');
    expect(out).toContain('aria-label="Copy code"');
    expect(out).toContain('<span class="hljs-keyword">const</span>');
    expect(out).toContain('<span class="hljs-comment">// one</span>');
  });

  it('renders math delimiters as math and leaves prices alone', () => {
    const tokens = lex('Euler $e^{i\\pi}+1=0$, \\(a\\) and \\[b\\] cost $5 and $10.\n\n$$\n\\sum_i i\n$$');
    const para = tokens[0] as unknown as { tokens: { type: string; tex?: string; display?: boolean }[] };
    expect(para.tokens.filter((t) => t.type === 'math').map((t) => [t.tex, t.display])).toEqual([
      ['e^{i\\pi}+1=0', false],
      ['a', false],
      ['b', true],
    ]);
    expect(para.tokens.map((t) => (t.type === 'text' ? (t as unknown as { text: string }).text : '')).join('')).toContain('cost $5 and $10.');
    expect(tokens.find((t) => t.type === 'math')).toMatchObject({ tex: '\\sum_i i', display: true });
    // Math inside code is code.
    expect(lex('`$x$`')[0]).toMatchObject({ tokens: [{ type: 'codespan', text: '$x$' }] });
  });

  it('decodes character references that marked leaves in text', () => {
    expect(html('Tom &amp; Jerry &copy; &#x41; &unknown;')).toContain('Tom &amp; Jerry © A &amp;unknown;');
    expect(decodeEntities('&#0; &#xD800;')).toBe('\ufffd \ufffd');
  });
});

describe('links', () => {
  it('only http(s) and mailto are openable, normalised', () => {
    expect(safeHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeHref('mailto:someone@example.com')).toBe('mailto:someone@example.com');
    expect(safeHref('https://ｅxample.com')).toBe('https://example.com/');
    expect(safeHref('https://пример.рф/')).toBe('https://xn--e1afmkfd.xn--p1ai/');
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '/relative', '#x', 'http://', '']) {
      expect(safeHref(bad), bad).toBe(null);
    }
  });
});

describe('code groups', () => {
  it('splits code like the streaming scanner and reproduces it exactly', () => {
    const code = Array.from({ length: 70 }, (_, i) => `x${i}`).join('\n');
    const done = codeGroups(code, false);
    expect(done.groups.map((g) => g.split('\n').length - 1)).toEqual([32, 32, 6]);
    expect(done.groups.join('')).toBe(code + '\n');
    const live = codeGroups(code, true);
    expect(live.groups).toHaveLength(2);
    expect(live.tail).toBe(done.groups[2]);
  });

  it('highlights a group using the previous group as context, line for line', () => {
    const context = 'const a = 1;\n/* a comment\n';
    const group = 'that ends here */\nlet b = 2;\n';
    const lines = highlightGroup('typescript', group, context)!;
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual([{ c: 'hljs-comment', k: ['that ends here */'] }]);
    expect(lines[1]![0]).toEqual({ c: 'hljs-keyword', k: ['let'] });
    // Without the context the comment's end is not recognised as a comment.
    expect(highlightGroup('typescript', group)![0]).not.toEqual([{ c: 'hljs-comment', k: ['that ends here */'] }]);
    expect(highlightGroup('no-such-language', group)).toBe(null);
  });

  it('cuts spans that cross line breaks without losing text', () => {
    const root = { type: 'root' as const, children: [{ type: 'element' as const, tagName: 'span', properties: { className: ['a'] }, children: [{ type: 'text' as const, value: 'x\ny' }] }] };
    expect(toLines(root)).toEqual([[{ c: 'a', k: ['x'] }], [{ c: 'a', k: ['y'] }]]);
  });
});
