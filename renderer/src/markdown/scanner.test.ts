import { describe, expect, it } from 'vitest';
import { BlockScanner, GROUP_LINES, scanAll, type Block } from './scanner.ts';

/** Deterministic PRNG so a failing seed can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chunked(text: string, seed: number, max = 40): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    // Mostly small chunks, sometimes single characters (splits "\r\n", "```", "$$"), sometimes big ones.
    const roll = r();
    const n = roll < 0.3 ? 1 : roll < 0.9 ? 1 + Math.floor(r() * max) : 1 + Math.floor(r() * 400);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

function feed(chunks: string[], finish = true): BlockScanner {
  const s = new BlockScanner();
  for (const c of chunks) s.push(c);
  if (finish) s.finish();
  return s;
}

const tsLines = Array.from({ length: 75 }, (_, i) => (i === 31 ? '/* a comment that' : i === 32 ? '   spans a group boundary */' : i % 7 === 3 ? '' : `  const v${i}: number = ${i} * 2; // line ${i}`));

const DOC = [
  '# Title',
  '',
  'Intro paragraph with **bold**, `code`, $x^2$ and a [link](https://example.com).',
  'Second line of the same paragraph.',
  '',
  '```ts',
  ...tsLines,
  '```',
  'Text right after a fence.',
  '',
  '~~~python',
  'def f():',
  '',
  '    return "```"  # a backtick fence inside a tilde fence',
  '~~~',
  '',
  '- item one',
  '',
  '  continued paragraph of item one',
  '  - nested',
  '',
  '    - deeper after a blank line',
  '- item two',
  '',
  '1. first',
  '2. second',
  '',
  '   ```js',
  '   inside a list item',
  '',
  '   still inside',
  '   ```',
  '3. third',
  '',
  '| a | b |',
  '|:--|--:|',
  '| 1 | 2 |',
  '| 3 | 4 |',
  '',
  '$$',
  '\\int_0^1 x\\,dx',
  '',
  '= \\frac12',
  '$$',
  '',
  '\\[',
  'E = mc^2',
  '\\]',
  '> a quote',
  '> continues',
  '',
  'Last paragraph',
  '````md',
  'a fence that is never closed',
  '```',
  'still code',
].join('\n');

describe('BlockScanner', () => {
  it('gives the same blocks however the text is chunked', () => {
    const whole = feed([DOC]).snapshot();
    for (let seed = 1; seed <= 150; seed++) {
      expect(feed(chunked(DOC, seed)).snapshot(), `seed ${seed}`).toEqual(whole);
    }
  });

  it('gives the same state at every prefix, chunked or not (what a stream shows mid-way)', () => {
    const r = rng(7);
    for (let k = 0; k < 120; k++) {
      const cut = Math.floor(r() * DOC.length);
      const prefix = DOC.slice(0, cut);
      const one = feed([prefix], false).snapshot();
      expect(feed(chunked(prefix, 1000 + k), false).snapshot(), `cut ${cut}`).toEqual(one);
    }
  });

  it('treats CRLF and CR line endings like LF, also when "\\r" and "\\n" arrive apart', () => {
    const lf = feed([DOC]).snapshot();
    const crlf = DOC.replace(/\n/g, '\r\n');
    expect(feed([crlf]).snapshot()).toEqual(lf);
    for (let seed = 1; seed <= 40; seed++) expect(feed(chunked(crlf, seed, 3)).snapshot(), `seed ${seed}`).toEqual(lf);
    expect(feed(['a\r', '\nb\r', '\r\n']).snapshot()).toEqual(feed(['a\nb\n\n']).snapshot());
  });

  it('splits the document into the expected blocks', () => {
    const blocks = scanAll(DOC);
    const kinds = blocks.map((b) => [b.kind, b.text.split('\n')[0]]);
    expect(kinds).toEqual([
      ['md', '# Title'],
      ['md', 'Intro paragraph with **bold**, `code`, $x^2$ and a [link](https://example.com).'],
      ['fence', '```ts'],
      ['md', 'Text right after a fence.'],
      ['fence', '~~~python'],
      ['md', '- item one'],
      ['md', '1. first'],
      ['md', '| a | b |'],
      ['math', '$$'],
      ['math', '\\['],
      ['md', '> a quote'],
      ['md', 'Last paragraph'],
      ['fence', '````md'],
    ]);
    // The nested list kept its blank lines and deeper items in one block.
    expect(blocks[5]!.text).toContain('    - deeper after a blank line\n- item two');
    // The fence inside the ordered list (with a blank line in it) did not split the list.
    expect(blocks[6]!.text).toContain('   still inside\n   ```\n3. third');
    // Display math with a blank line inside is one block, and its expression is kept.
    expect(blocks[8]!.tex).toBe('\\int_0^1 x\\,dx\n\n= \\frac12\n');
    expect(blocks[9]!.tex).toBe('E = mc^2\n');
    // A ``` line does not close a ```` fence; the end of the text does.
    expect(blocks[12]!.fence).toMatchObject({ lang: 'md', closed: true });
    expect(blocks[12]!.fence!.groups.join('')).toBe('a fence that is never closed\n```\nstill code\n');
  });

  it('keeps fenced code in groups of lines, reproducing the code exactly', () => {
    const fence = scanAll(DOC)[2]!.fence!;
    expect(fence.lang).toBe('ts');
    expect(fence.groups.map((g) => g.split('\n').length - 1)).toEqual([GROUP_LINES, GROUP_LINES, 75 - 2 * GROUP_LINES]);
    expect(fence.groups.join('')).toBe(tsLines.join('\n') + '\n');
    // The tilde fence kept its blank line and the ``` inside it.
    expect(scanAll(DOC)[4]!.fence!.groups.join('')).toBe('def f():\n\n    return "```"  # a backtick fence inside a tilde fence\n');
  });

  it('strips the fence indentation from code lines, as CommonMark does', () => {
    const [b] = scanAll('  ```\n  a\n    b\nc\n  ```');
    expect(b!.fence!.groups.join('')).toBe('a\n  b\nc\n');
  });

  it('while a fence streams: finished groups are fixed, lines arrive in the tail, a closing fence is not shown early', () => {
    const s = new BlockScanner();
    s.push('Intro\n\n```ts\n');
    const code = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    s.push(code.slice(0, 33).join('\n') + '\n');
    const fence = s.open!.fence!;
    expect(s.open!.kind).toBe('fence');
    expect(fence.groups).toHaveLength(1);
    const firstGroup = fence.groups[0];
    expect(fence.tail).toBe('line 32\n');
    s.push('line 33\nli');
    expect(s.partialForFence()).toBe('li');
    s.push('ne 34\n``');
    // "``" may be the start of the closing fence: not shown inside the code yet.
    expect(s.partialForFence()).toBe('');
    s.push('`\nAfter');
    expect(s.open).toBe(null);
    expect(s.blocks.at(-1)!.fence!.closed).toBe(true);
    expect(s.blocks.at(-1)!.fence!.groups[0]).toBe(firstGroup);
    expect(s.partial).toBe('After');
  });

  it('never changes a finished block: later text only touches the open block', () => {
    const s = new BlockScanner();
    const chunks = chunked(DOC, 99);
    const seen = new Map<Block, string>();
    for (const c of chunks) {
      s.push(c);
      for (const b of s.blocks) {
        const text = b.text;
        if (!seen.has(b)) seen.set(b, text);
        else expect(text).toBe(seen.get(b));
      }
    }
  });

  it('decides a blank line only when the next line arrives (list continues, paragraph ends)', () => {
    const s = new BlockScanner();
    s.push('- a\n\n');
    expect(s.blocks).toHaveLength(0);
    s.push('- b\n\npara\n');
    expect(s.blocks.map((b) => b.text)).toEqual(['- a\n\n- b\n']);
    expect(s.open!.text).toBe('para\n');
    // A line after blank lines is shown on its own until it is known to start a block.
    s.push('\nnext');
    expect(s.partialInOpen).toBe(false);
  });

  it('counts consumed characters after normalisation', () => {
    const s = new BlockScanner();
    s.push('a\r\nb');
    expect(s.length).toBe(3);
  });
});
