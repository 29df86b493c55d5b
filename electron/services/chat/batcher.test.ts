// The batcher decides how soon streamed text reaches the window and how often the boundary is
// crossed. Time is the test's own (an injected clock and vitest's fake timers), so the assertions
// are about the schedule, not about how fast this machine is.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventPayload } from '../../contract/index.ts';
import { DeltaBatcher, FRAME_MS } from './batcher.ts';
import { ToolCallAccumulator } from './tool-calls.ts';

type Delta = EventPayload<'stream.delta'>;

let sent: { at: number; d: Delta }[] = [];
const now = () => Date.now();
const batcher = () => new DeltaBatcher('s1', 'm1', (d) => sent.push({ at: now(), d }), FRAME_MS, now);

/** Advances the clock and runs the timers due by then. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 1000 });
  sent = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DeltaBatcher', () => {
  it('sends the first text of a quiet stream without waiting for a frame, and joins what was parsed with it', async () => {
    const b = batcher();
    b.addContent('Hel');
    b.addContent('lo');
    expect(sent).toHaveLength(0); // not inside the parse loop itself
    await Promise.resolve();
    expect(sent.map((s) => [s.at, s.d.content])).toEqual([[1000, 'Hello']]);
  });

  it('a slow stream (one chunk every 20 ms, 50 tok/s) is sent chunk by chunk with no added delay', async () => {
    const b = batcher();
    for (let i = 0; i < 10; i++) {
      b.addContent(`w${i} `);
      const arrived = now();
      await Promise.resolve();
      expect(sent.at(-1)).toMatchObject({ at: arrived, d: { content: `w${i} ` } });
      await advance(20);
    }
    expect(sent).toHaveLength(10);
  });

  it('a fast stream (a chunk every millisecond) crosses the boundary at most once per frame, losing nothing', async () => {
    const b = batcher();
    const words: string[] = [];
    for (let i = 0; i < 200; i++) {
      words.push(`t${i} `);
      b.addContent(words[i]!);
      await advance(1);
    }
    await advance(FRAME_MS);
    const gaps = sent.slice(1).map((s, i) => s.at - sent[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(FRAME_MS);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(200 / FRAME_MS) + 1);
    expect(sent.map((s) => s.d.content).join('')).toBe(words.join(''));
    expect(sent.map((s) => s.d.seq)).toEqual(sent.map((_, i) => i + 1));
  });

  it('text arriving just after a send waits only for the rest of that frame', async () => {
    const b = batcher();
    b.addContent('a');
    await Promise.resolve();
    await advance(5);
    b.addContent('b');
    await advance(FRAME_MS - 5 - 1);
    expect(sent).toHaveLength(1);
    await advance(1);
    expect(sent.map((s) => [s.at, s.d.content])).toEqual([
      [1000, 'a'],
      [1000 + FRAME_MS, 'b'],
    ]);
  });

  it('an explicit flush (end of stream) sends what is pending at once and nothing twice', async () => {
    const b = batcher();
    b.addContent('a');
    await Promise.resolve();
    b.addContent('b');
    b.addReasoning('r');
    b.flush();
    await advance(FRAME_MS * 2);
    expect(sent.map((s) => [s.d.content, s.d.reasoning])).toEqual([
      ['a', undefined],
      ['b', 'r'],
    ]);
  });
});

describe('DeltaBatcher with tool calls', () => {
  it('sends each call that changed in a frame once, whole as accumulated so far, and not changed by later fragments', async () => {
    const acc = new ToolCallAccumulator();
    const b = batcher();
    acc.push({ index: 0, id: 'call_1', function: { name: 'calculate', arguments: '{"expression":' } });
    b.addTool(acc.get(0)!, 0);
    acc.push({ index: 0, function: { arguments: '"1+' } });
    b.addTool(acc.get(0)!, 0);
    await Promise.resolve();
    acc.push({ index: 0, function: { arguments: '1"}' } });
    b.addTool(acc.get(0)!, 0);
    await advance(FRAME_MS);
    expect(sent.map((s) => s.d.toolCalls)).toEqual([
      [{ index: 0, round: 0, id: 'call_1', name: 'calculate', arguments: '{"expression":"1+' }],
      [{ index: 0, round: 0, id: 'call_1', name: 'calculate', arguments: '{"expression":"1+1"}' }],
    ]);
  });
});
