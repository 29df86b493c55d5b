// The live buffer of an answer that uses tools: calls of several rounds (each numbering its calls
// from 0, sent whole by main as they grow), main's snapshots of finished rounds, and the content reset
// when a round's text moves into the round.
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../electron/contract/index.ts';
import { LiveMessage, type LiveChange } from './live.ts';

type Delta = EventPayload<'stream.delta'>;
let seq = 0;
const delta = (d: Omit<Delta, 'streamId' | 'messageId' | 'seq'>): Delta => ({ streamId: 's', messageId: 'm', seq: ++seq, ...d });

describe('LiveMessage with tool rounds', () => {
  it('takes each call whole as main assembled it, by (round, index): a later version replaces the earlier one', () => {
    const live = new LiveMessage();
    live.apply(delta({ toolCalls: [{ index: 0, round: 0, id: 'call_a', name: 'get_current_time', arguments: '' }] }));
    live.apply(delta({ toolCalls: [{ index: 0, round: 1, id: 'call_b', name: 'calculate', arguments: '{"expression":' }] }));
    live.apply(delta({ toolCalls: [{ index: 1, round: 1, id: 'call_c', name: 'calculate', arguments: '' }, { index: 0, round: 1, id: 'call_b', name: 'calculate', arguments: '{"expression": "1+1"}' }] }));
    live.apply(delta({ toolCalls: [{ index: 1, round: 1, id: 'call_c', name: 'calculate', arguments: '{"expression":"2"}' }] }));
    expect(live.toolCalls).toEqual([
      { index: 0, round: 0, id: 'call_a', name: 'get_current_time', arguments: '' },
      { index: 0, round: 1, id: 'call_b', name: 'calculate', arguments: '{"expression": "1+1"}' },
      { index: 1, round: 1, id: 'call_c', name: 'calculate', arguments: '{"expression":"2"}' },
    ]);
  });

  it('a finished round takes the content streamed so far as its text and starts the content afresh', () => {
    const live = new LiveMessage();
    const changes: LiveChange[] = [];
    live.subscribe((c) => changes.push(c));
    live.apply(delta({ content: 'Let me check.', toolCalls: [{ index: 0, round: 0, id: 'call_a', name: 'get_current_time', arguments: '' }] }));
    const v = live.toolsVersion;
    live.applyTools({
      roundTexts: ['Let me check.'],
      toolCalls: [{ index: 0, round: 0, id: 'call_a', name: 'get_current_time', arguments: '', state: 'running' }],
    });
    expect(live.content).toBe('');
    expect(changes.at(-1)).toEqual({ content: '', reasoning: '', reset: true });
    expect(live.toolsVersion).toBeGreaterThan(v);
    // Round 1 streams while the state of round 0 changes: both are kept.
    live.apply(delta({ content: 'The answer', toolCalls: [{ index: 0, round: 1, id: 'call_b', name: 'calculate', arguments: '' }] }));
    live.applyTools({
      roundTexts: ['Let me check.'],
      toolCalls: [{ index: 0, round: 0, id: 'call_a', name: 'get_current_time', arguments: '', state: 'done', result: '{}' }],
    });
    expect(live.content).toBe('The answer');
    expect(changes.at(-1)!.reset).toBe(false);
    expect(live.toolCalls.map((c) => [c.round, c.id, c.state])).toEqual([
      [0, 'call_a', 'done'],
      [1, 'call_b', undefined],
    ]);
  });
});
