// LiveDoc against a real LiveMessage, with the browser's frame clock replaced by a manual one (Node
// has no requestAnimationFrame): deltas are applied once per frame, whatever their number.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveMessage } from '../stores/live.ts';
import { LiveDoc, REVEAL_BLOCKS } from './live-doc.ts';
import { scanAll } from './scanner.ts';

let frames: { id: number; run: () => void }[] = [];
let nextFrame = 1;
const runFrame = () => {
  const due = frames;
  frames = [];
  for (const f of due) f.run();
};

beforeEach(() => {
  frames = [];
  globalThis.requestAnimationFrame = ((cb: FrameRequestCallback) => {
    const id = nextFrame++;
    frames.push({ id, run: () => cb(0) });
    return id;
  }) as typeof requestAnimationFrame;
  globalThis.cancelAnimationFrame = ((id: number) => {
    frames = frames.filter((f) => f.id !== id);
  }) as typeof cancelAnimationFrame;
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

  it('reveals a burst of many blocks a frame at a time, the open block last, and keeps going after the end', () => {
    const live = new LiveMessage();
    const doc = new LiveDoc(live, 'content');
    let renders = 0;
    doc.subscribe(() => renders++);
    const paras = Array.from({ length: 300 }, (_, i) => `Paragraph ${i} of one huge chunk.`);
    const text = paras.join('\n\n') + '\n\nand an open tail';
    delta(live, { content: text });
    runFrame();
    // 299 finished paragraphs arrived at once (the last one stays open until the next line starts):
    // the first frame renders REVEAL_BLOCKS of them.
    expect(doc.scanner.blocks).toHaveLength(299);
    expect(doc.shown).toBe(REVEAL_BLOCKS);
    expect(doc.caughtUp).toBe(false);
    // The next frames are asked for without any new delta, and each shows more, in order.
    const seen = [doc.shown];
    for (let i = 0; i < 20 && frames.length; i++) {
      runFrame();
      seen.push(doc.shown);
      if (i === 1) doc.finish(text);
    }
    // The end closes the last paragraph and the tail: 301 blocks in all.
    expect(seen).toEqual([64, 128, 192, 256, 301]);
    expect(doc.caughtUp).toBe(true);
    expect(frames).toHaveLength(0);
    expect(renders).toBe(seen.length + 1);
    expect(doc.scanner.blocks).toEqual(scanAll(text));
  });

  it('never holds back an ordinary stream: every finished block shows in the frame it completes', () => {
    const live = new LiveMessage();
    const doc = new LiveDoc(live, 'content');
    doc.subscribe(() => undefined);
    const text = Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? `## Heading ${i}` : `Line ${i} of an answer.`)).join('\n\n');
    for (let i = 0; i < text.length; i += 40) {
      delta(live, { content: text.slice(i, i + 40) });
      runFrame();
      expect(doc.caughtUp).toBe(true);
    }
    expect(frames).toHaveLength(0);
  });

  it('a page reloaded in the middle of a long answer starts from its checkpoint and reveals it progressively', () => {
    const live = new LiveMessage();
    const text = Array.from({ length: 150 }, (_, i) => `Saved paragraph ${i}.`).join('\n\n') + '\n\n';
    live.seed(text, '', true);
    const doc = new LiveDoc(live, 'content');
    expect(doc.shown).toBe(REVEAL_BLOCKS);
    doc.subscribe(() => undefined);
    runFrame();
    runFrame();
    // The last saved paragraph stays open until the stream goes on.
    expect(doc.shown).toBe(149);
    expect(doc.caughtUp).toBe(true);
    expect(frames).toHaveLength(0);
  });

  it('the end of an ordinary stream keeps every block on screen: closing the open block does not hide it for a frame', () => {
    const live = new LiveMessage();
    const doc = new LiveDoc(live, 'content');
    doc.subscribe(() => undefined);
    const text = 'First paragraph.\n\nSecond paragraph.\n\nThe last one, still open';
    delta(live, { content: text });
    runFrame();
    expect(doc.caughtUp).toBe(true);
    // The second paragraph is finished only when the next line starts; the third is open.
    expect(doc.scanner.blocks).toHaveLength(1);
    doc.finish(text);
    expect(doc.scanner.blocks).toHaveLength(3);
    expect(doc.shown).toBe(3);
    expect(doc.caughtUp).toBe(true);
    expect(frames).toHaveLength(0);
  });
});
