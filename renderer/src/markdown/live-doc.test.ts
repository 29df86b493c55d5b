// LiveDoc against a real LiveMessage, with the browser's frame clock replaced by a manual one (Node
// has no requestAnimationFrame): deltas are applied once per frame, whatever their number.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveMessage } from '../stores/live.ts';
import { LiveDoc } from './live-doc.ts';
import { scanAll } from './scanner.ts';

let frames: (() => void)[] = [];
const runFrame = () => {
  const due = frames;
  frames = [];
  for (const f of due) f();
};

beforeEach(() => {
  frames = [];
  globalThis.requestAnimationFrame = ((cb: FrameRequestCallback) => frames.push(() => cb(0))) as typeof requestAnimationFrame;
  globalThis.cancelAnimationFrame = (() => undefined) as typeof cancelAnimationFrame;
});
afterEach(() => {
  delete (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame;
  delete (globalThis as { cancelAnimationFrame?: unknown }).cancelAnimationFrame;
});

let seq = 0;
const delta = (live: LiveMessage, d: { content?: string; reasoning?: string; contentToReasoning?: boolean }) => live.apply({ streamId: 's', messageId: 'm', seq: ++seq, ...d });

describe('LiveDoc', () => {
  it('applies all deltas of a frame in one render, and only new text', () => {
    const live = new LiveMessage();
    delta(live, { content: '# Title\n\n' });
    const doc = new LiveDoc(live, 'content');
    let renders = 0;
    const off = doc.subscribe(() => renders++);
    delta(live, { content: 'para' });
    delta(live, { content: 'graph one\n\n```ts\nconst a' });
    delta(live, { content: ' = 1;\n' });
    expect(renders).toBe(0);
    expect(frames).toHaveLength(1);
    runFrame();
    expect(renders).toBe(1);
    expect(doc.scanner.blocks.map((b) => b.text)).toEqual(['# Title\n', 'paragraph one\n']);
    expect(doc.scanner.open!.fence!.tail).toBe('const a = 1;\n');
    // Reasoning deltas do not wake the content doc.
    delta(live, { reasoning: 'hmm' });
    expect(frames).toHaveLength(0);
    off();
  });

  it('catches up on text that arrived before it subscribed', () => {
    const live = new LiveMessage();
    delta(live, { content: 'a' });
    const doc = new LiveDoc(live, 'content');
    delta(live, { content: 'b\n' });
    doc.subscribe(() => undefined);
    runFrame();
    expect(doc.scanner.blocks).toHaveLength(0);
    expect(doc.scanner.open!.text).toBe('ab\n');
  });

  it('ends with exactly the blocks of the one-shot render, without rebuilding when the final text matches', () => {
    const live = new LiveMessage();
    const doc = new LiveDoc(live, 'content');
    doc.subscribe(() => undefined);
    const text = 'Intro\n\n```ts\n' + Array.from({ length: 40 }, (_, i) => `x${i}`).join('\n') + '\n```\n\n- a\n- b';
    for (let i = 0; i < text.length; i += 7) {
      delta(live, { content: text.slice(i, i + 7) });
      if (i % 21 === 0) runFrame();
    }
    const blocks = doc.scanner.blocks;
    const fenceGroup = blocks[1]!.fence!.groups[0];
    doc.finish(text);
    expect(doc.scanner.blocks).toBe(blocks);
    expect(doc.scanner.blocks[1]!.fence!.groups[0]).toBe(fenceGroup);
    expect(doc.scanner.blocks).toEqual(scanAll(text));
    // A different stored text (e.g. edited server-side) is rendered from that text instead.
    doc.finish(text + '\n\nmore');
    expect(doc.scanner.blocks).toEqual(scanAll(text + '\n\nmore'));
  });

  it('starts over when content is reclassified as reasoning', () => {
    const live = new LiveMessage();
    const content = new LiveDoc(live, 'content');
    const reasoning = new LiveDoc(live, 'reasoning');
    content.subscribe(() => undefined);
    reasoning.subscribe(() => undefined);
    delta(live, { content: 'thinking out loud\n' });
    runFrame();
    delta(live, { contentToReasoning: true, content: 'The answer.' });
    runFrame();
    expect(content.scanner.open).toBe(null);
    expect(content.scanner.partial).toBe('The answer.');
    expect(reasoning.scanner.open!.text).toBe('thinking out loud\n');
  });
});
