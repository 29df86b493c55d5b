import { describe, expect, it } from 'vitest';
import { ThinkSplitter, type ThinkOutput } from './think.ts';

interface Run {
  reasoning: string;
  content: string;
  /** The output of each push, then of flush(). */
  outputs: ThinkOutput[];
}

/**
 * Pushes `pieces` and flushes, applying the outputs the way the chat service does: `reclassify`
 * moves everything delivered as content so far to the end of the reasoning first.
 */
function run(pieces: string[], loneCloseAllowed?: () => boolean): Run {
  const s = new ThinkSplitter(loneCloseAllowed);
  let reasoning = '';
  let content = '';
  const outputs: ThinkOutput[] = [];
  const apply = (o: ThinkOutput) => {
    outputs.push(o);
    if (o.reclassify) {
      reasoning += content;
      content = '';
    }
    reasoning += o.reasoning;
    content += o.content;
  };
  for (const p of pieces) apply(s.push(p));
  apply(s.flush());
  return { reasoning, content, outputs };
}

/** Every way to cut `text` into two pieces, and into three. */
function* splits(text: string): Generator<string[]> {
  for (let i = 0; i <= text.length; i++) yield [text.slice(0, i), text.slice(i)];
  for (let i = 0; i <= text.length; i++) {
    for (let j = i; j <= text.length; j++) yield [text.slice(0, i), text.slice(i, j), text.slice(j)];
  }
}

describe('ThinkSplitter', () => {
  it('splits <think>…</think> into reasoning and content', () => {
    const r = run(['<think>Let me think.</think>The answer.']);
    expect(r.reasoning).toBe('Let me think.');
    expect(r.content).toBe('The answer.');
  });

  it('gives the same split whatever the chunk boundaries, including inside both tags', () => {
    const text = '<think>Let me think.</think>The answer.';
    for (const pieces of splits(text)) {
      const r = run(pieces);
      expect({ reasoning: r.reasoning, content: r.content }, JSON.stringify(pieces)).toEqual({ reasoning: 'Let me think.', content: 'The answer.' });
    }
  });

  it('gives the same split one character at a time', () => {
    const r = run([...'<think>多步推理</think>答案']);
    expect(r.reasoning).toBe('多步推理');
    expect(r.content).toBe('答案');
  });

  it('never shows a partial tag as content or reasoning while streaming', () => {
    const text = '<think>abc</think>xyz';
    for (const pieces of splits(text)) {
      const r = run(pieces);
      for (const o of r.outputs) {
        expect(o.content, JSON.stringify(pieces)).not.toMatch(/[<>]/);
        expect(o.reasoning, JSON.stringify(pieces)).not.toMatch(/[<>]/);
      }
    }
  });

  it('drops whitespace between </think> and the answer whatever the chunk boundaries', () => {
    // Models typically send `</think>` and the following "\n\n" as separate chunks.
    const text = '<think>plan</think>\n\nAnswer';
    for (const pieces of splits(text)) {
      const r = run(pieces);
      expect({ reasoning: r.reasoning, content: r.content }, JSON.stringify(pieces)).toEqual({ reasoning: 'plan', content: 'Answer' });
    }
  });

  it('shows answer text with "<" in it (code, comparisons, near-tags) whole and at once, whatever the boundaries', () => {
    const text = 'Answer: if (a < b) return <div>x</div>; </thin <<</th a<';
    for (const pieces of splits(text)) {
      const r = run(pieces);
      expect(r.content, JSON.stringify(pieces)).toBe(text);
      expect(r.reasoning).toBe('');
    }
    // With a lone close allowed, only a real tag prefix at the end is held: "a<" waits for its next character.
    const s = new ThinkSplitter();
    expect(s.push('x < y and z').content).toBe('x < y and z');
    expect(s.push(' then </thi').content).toBe(' then ');
    expect(s.push('ng').content).toBe('</thing');
  });

  it('accepts leading whitespace before <think>', () => {
    const text = '\n\n  <think>r</think>a';
    for (const pieces of splits(text)) {
      const r = run(pieces);
      expect({ reasoning: r.reasoning, content: r.content }, JSON.stringify(pieces)).toEqual({ reasoning: 'r', content: 'a' });
    }
  });

  it('leaves plain answers (no tags) untouched, leading whitespace included', () => {
    for (const pieces of splits('  Hello <b>world</b> <thinking>')) {
      const r = run(pieces);
      expect(r.reasoning, JSON.stringify(pieces)).toBe('');
      expect(r.content, JSON.stringify(pieces)).toBe('  Hello <b>world</b> <thinking>');
    }
  });

  describe('lone </think> (opening tag omitted)', () => {
    const text = 'I should add the numbers.</think>\n It is 4.';

    it('moves the content before it to reasoning at every split', () => {
      for (const pieces of splits(text)) {
        const r = run(pieces);
        expect({ reasoning: r.reasoning, content: r.content }, JSON.stringify(pieces)).toEqual({
          reasoning: 'I should add the numbers.',
          content: 'It is 4.',
        });
      }
    });

    it('sets reclassify exactly when content had been delivered in an earlier push', () => {
      const closeEnd = text.indexOf('</think>') + '</think>'.length;
      let sawBoth = false;
      for (const pieces of splits(text)) {
        const r = run(pieces);
        // The push in which the closing tag completes.
        let k = 0;
        for (let cum = pieces[0]!.length; cum < closeEnd; cum += pieces[++k]!.length);
        const deliveredEarlier = r.outputs.slice(0, k).some((o) => o.content.length > 0);
        expect(r.outputs[k]!.reclassify, JSON.stringify(pieces)).toBe(deliveredEarlier);
        expect(r.outputs.filter((o, i) => i !== k && o.reclassify), JSON.stringify(pieces)).toEqual([]);
        if (deliveredEarlier) sawBoth = true;
      }
      expect(sawBoth).toBe(true);
    });

    it('reclassify is true for content delivered earlier, false within a single push', () => {
      const split = run(['Thinking…', '</think>Done']);
      expect(split.outputs[0]).toEqual({ reclassify: false, reasoning: '', content: 'Thinking…' });
      expect(split.outputs[1]).toEqual({ reclassify: true, reasoning: '', content: 'Done' });

      const whole = run(['Thinking…</think>Done']);
      expect(whole.outputs[0]).toEqual({ reclassify: false, reasoning: 'Thinking…', content: 'Done' });
    });

    it('a second </think> after a lone close is plain text', () => {
      const r = run(['a</think>b', '</think>c']);
      expect(r.reasoning).toBe('a');
      expect(r.content).toBe('b</think>c');
    });
  });

  it('a </think> in the answer after a resolved pair is plain text', () => {
    const text = '<think>r</think>Use the </think> tag to close.';
    for (const pieces of splits(text)) {
      const r = run(pieces);
      expect({ reasoning: r.reasoning, content: r.content }, JSON.stringify(pieces)).toEqual({ reasoning: 'r', content: 'Use the </think> tag to close.' });
      expect(r.outputs.some((o) => o.reclassify)).toBe(false);
    }
  });

  it('keeps </think> as content when loneCloseAllowed returns false', () => {
    const text = 'The tag is </think> here.';
    for (const pieces of splits(text)) {
      const r = run(pieces, () => false);
      expect({ reasoning: r.reasoning, content: r.content }, JSON.stringify(pieces)).toEqual({ reasoning: '', content: text });
      expect(r.outputs.some((o) => o.reclassify)).toBe(false);
    }
  });

  it('consults loneCloseAllowed at the time the tag arrives', () => {
    let allowed = true;
    const s = new ThinkSplitter(() => allowed);
    expect(s.push('before ')).toEqual({ reclassify: false, reasoning: '', content: 'before ' });
    allowed = false; // e.g. reasoning arrived in a dedicated field meanwhile
    expect(s.push('</think>after')).toEqual({ reclassify: false, reasoning: '', content: '</think>after' });
  });

  describe('flush()', () => {
    it('releases a held partial opening tag as content', () => {
      const s = new ThinkSplitter();
      expect(s.push('<thi')).toEqual({ reclassify: false, reasoning: '', content: '' });
      expect(s.flush()).toEqual({ reclassify: false, reasoning: '', content: '<thi' });
      expect(s.flush()).toEqual({ reclassify: false, reasoning: '', content: '' });
    });

    it('releases held leading whitespace as content', () => {
      const s = new ThinkSplitter();
      expect(s.push('  ').content).toBe('');
      expect(s.flush().content).toBe('  ');
    });

    it('releases a held partial closing tag inside reasoning as reasoning', () => {
      const s = new ThinkSplitter();
      expect(s.push('<think>abc</thi')).toEqual({ reclassify: false, reasoning: 'abc', content: '' });
      expect(s.flush()).toEqual({ reclassify: false, reasoning: '</thi', content: '' });
    });

    it('releases a held partial closing tag in the answer as content', () => {
      const s = new ThinkSplitter();
      expect(s.push('answer </')).toEqual({ reclassify: false, reasoning: '', content: 'answer ' });
      expect(s.flush()).toEqual({ reclassify: false, reasoning: '', content: '</' });
    });

    it('an unclosed <think> ends as reasoning', () => {
      const r = run(['<think>still thinking when the stream ended']);
      expect(r.reasoning).toBe('still thinking when the stream ended');
      expect(r.content).toBe('');
    });
  });
});

describe('ThinkSplitter: a <think> that never closes', () => {
  it('says so, so the answer is not saved as an empty success without a word', () => {
    const s = new ThinkSplitter();
    s.push('<think>still thinking');
    s.flush();
    expect(s.unclosed).toBe(true);
    const t = new ThinkSplitter();
    t.push('<think>a</think>b');
    expect(t.unclosed).toBe(false);
  });

  it('a lone </think> is plain text when lone closes are not allowed (a model not known to think inline)', () => {
    const s = new ThinkSplitter(() => false);
    const out = s.push('Write </think> to close it.');
    expect(out).toEqual({ reclassify: false, reasoning: '', content: 'Write </think> to close it.' });
  });
});
