import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText, truncate } from './html-text.ts';

describe('htmlToText', () => {
  it('drops scripts, styles and other non-text elements with their content', () => {
    const html = `<!doctype html><html><head><title>Weather &amp; Time</title>
      <style>body { color: red } .x::after { content: "STYLE" }</style>
      <script>window.hacked = true; document.write("SCRIPT")</script>
      <script type="module" src="x.js"></script>
      </head><body>
      <noscript>Enable JavaScript</noscript>
      <template><p>TEMPLATE</p></template>
      <svg viewBox="0 0 1 1"><text>SVG TEXT</text></svg>
      <h1>Tokyo</h1><p>Sunny, <b>21&nbsp;°C</b>.</p>
      <!-- a comment with <script>alert(1)</script> -->
      <SCRIPT>upper()</SCRIPT ><p>End.</p></body></html>`;
    const page = htmlToText(html);
    expect(page.title).toBe('Weather & Time');
    expect(page.text).toBe('Tokyo\nSunny, 21 °C.\nEnd.');
    for (const hidden of ['hacked', 'SCRIPT', 'STYLE', 'color', 'TEMPLATE', 'SVG TEXT', 'Enable JavaScript', 'alert', 'upper', '<']) {
      expect(page.text).not.toContain(hidden);
    }
    expect(page.truncated).toBe(false);
  });

  it('an unclosed script swallows the rest, as in a browser (nothing after it is text)', () => {
    expect(htmlToText('<p>Before</p><script>var s = "<p>not text</p>";').text).toBe('Before');
  });

  it('keeps the structure readable: blocks on their own lines, list items, table cells', () => {
    const text = htmlToText('<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table><div>x<br>y</div>').text;
    expect(text).toBe('- one\n- two\n| a | b\nx\ny');
  });

  it('collapses source whitespace as a browser does; <pre> keeps its lines', () => {
    expect(htmlToText('<p>  many \t  spaces\n\n\n here </p>\n\n\n\n<p>next</p>').text).toBe('many spaces here\nnext');
    expect(htmlToText('<p>Code:</p><pre><code>if (a) {\n  b();\n}</code></pre><p>after</p>').text).toBe('Code:\nif (a) {\n  b();\n}\nafter');
    expect(htmlToText('text<pre>x  &lt;y&gt;</pre>more').text).toBe('text\nx  <y>\nmore');
  });

  it('text that merely looks like markup is not a tag', () => {
    expect(htmlToText('<p>1 < 2 and 3 > 2</p>').text).toBe('1 < 2 and 3 > 2');
  });

  it('truncates long pages and says so', () => {
    const html = `<p>${'word '.repeat(10_000)}</p>`;
    const page = htmlToText(html, 1000);
    expect(page.truncated).toBe(true);
    expect(page.text.length).toBeLessThanOrEqual(1002);
    expect(page.text.endsWith('…')).toBe(true);
  });
});

describe('decodeEntities', () => {
  it('decodes named, decimal and hex entities', () => {
    expect(decodeEntities('&lt;b&gt; &amp;amp; &quot;q&quot; &#39;s&#39; &#x1F600; &#12354; &copy; &hellip;')).toBe('<b> &amp; "q" \'s\' 😀 あ © …');
  });

  it('leaves unknown names alone and replaces invalid code points', () => {
    expect(decodeEntities('&unknownentity; &#0; &#xD800; &#x110000;')).toBe('&unknownentity; \ufffd \ufffd \ufffd');
  });

  it('decoded markup is text, never parsed again', () => {
    expect(htmlToText('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>').text).toBe('<script>alert(1)</script>');
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair', () => {
    const s = '😀'.repeat(100);
    const t = truncate(s, 51).text;
    expect(t.slice(0, -2)).toBe('😀'.repeat(25));
  });
});
