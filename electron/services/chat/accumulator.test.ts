import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../contract/index.ts';
import { AnswerAccumulator } from './accumulator.ts';
import { DeltaBatcher } from './batcher.ts';

type Delta = EventPayload<'stream.delta'>;

/** An accumulator over a real batcher that flushes only when told, and a clock the test moves. */
function setup(o: { inlineThink?: boolean; round?: number | null; cont?: { content: string; reasoning: string } } = {}) {
  let now = 1000;
  const sent: Delta[] = [];
  const batcher = new DeltaBatcher('s', 'm', (d) => sent.push(d), 1_000_000, () => 0);
  const acc = new AnswerAccumulator({
    batcher,
    clock: { now: () => now },
    t0: 1000,
    cont: o.cont,
    inlineThink: o.inlineThink ?? false,
    round: () => o.round ?? null,
  });
  return { acc, batcher, sent, tick: (ms: number) => (now += ms) };
}

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ choices: [{ delta }], ...extra });

describe('AnswerAccumulator', () => {
  it('keeps reasoning and content apart, times the first token from the attempt, and batches what is new', () => {
    const { acc, batcher, sent, tick } = setup();
    acc.beginAttempt(1100);
    tick(150);
    acc.chunk(chunk({ reasoning_content: 'think ' }), 'message');
    tick(50);
    acc.chunk(chunk({ content: 'Hello' }), 'message');
    acc.chunk(chunk({ content: ' world' }, { usage: { prompt_tokens: 5, completion_tokens: 7 } }), 'message');
    acc.chunk({ choices: [{ delta: {}, finish_reason: 'stop' }] }, 'message');
    batcher.flush();
    expect(acc.reasoning).toBe('think ');
    expect(acc.content).toBe('Hello world');
    expect(acc.ttftMs).toBe(50);
    expect(acc.finishReason).toBe('stop');
    expect(acc.usage).toEqual({ promptTokens: 5, completionTokens: 7 });
    expect(sent).toEqual([{ streamId: 's', messageId: 'm', seq: 1, reasoning: 'think ', content: 'Hello world', answerStartedMs: 200 }]);
  });

  it('a lone </think> moves what was sent as content to reasoning, for inline-thinking families only', () => {
    const { acc } = setup({ inlineThink: true });
    acc.chunk(chunk({ content: 'pondering' }), 'message');
    acc.chunk(chunk({ content: '</think>Answer' }), 'message');
    expect(acc.reasoning).toBe('pondering');
    expect(acc.content).toBe('Answer');
  });

  it('continue: the stored answer is the old text plus the new', () => {
    const { acc } = setup({ cont: { content: 'Once upon ', reasoning: 'r1 ' } });
    acc.chunk(chunk({ content: 'a time', reasoning_content: 'r2' }), 'message');
    expect(acc.storedContent()).toBe('Once upon a time');
    expect(acc.storedReasoning()).toBe('r1 r2');
  });

  it('usage summed over rounds becomes unknown when one round reported none', () => {
    const { acc } = setup({ round: 0 });
    acc.chunk(chunk({ content: 'a' }, { usage: { prompt_tokens: 1, completion_tokens: 2 } }), 'message');
    acc.endAttempt(1500);
    expect(acc.takeRoundText()).toBe('a');
    expect(acc.content).toBe('');
    acc.nextRound();
    expect(acc.usage).toBeNull();
    acc.endAttempt(1600);
    expect(acc.usageKnown).toBe(false);
  });

  it('an error event is kept as sent; malformed events and [DONE] are counted', () => {
    const { acc } = setup();
    acc.chunk({ error: { code: 'data_inspection_failed' } }, 'message');
    acc.malformed();
    acc.done();
    expect(acc.streamErrorRaw).toEqual({ code: 'data_inspection_failed' });
    expect(acc.malformedCount).toBe(1);
    expect(acc.sawDone).toBe(true);
  });
});
