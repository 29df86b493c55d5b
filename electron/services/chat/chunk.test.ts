import { describe, expect, it } from 'vitest';
import type { Usage } from '../../contract/index.ts';
import { interpretChunk, type ChunkSink } from './chunk.ts';
import type { ToolCallDelta } from './tool-calls.ts';
import type { Source } from './wire.ts';

/** A sink that writes down what it was told, in order. */
function recorder() {
  const said: [string, unknown][] = [];
  const sink: ChunkSink = {
    onStreamError: (raw: unknown) => void said.push(['error', raw]),
    onUsage: (u: Usage) => void said.push(['usage', u]),
    onSources: (s: Source[]) => void said.push(['sources', s]),
    onReasoning: (t: string) => void said.push(['reasoning', t]),
    onContent: (t: string) => void said.push(['content', t]),
    onToolCalls: (f: ToolCallDelta[]) => void said.push(['tools', f]),
    onFinish: (r: string) => void said.push(['finish', r]),
  };
  return { sink, said };
}

const read = (obj: Record<string, unknown>, event = 'message') => {
  const r = recorder();
  interpretChunk(obj, event, r.sink);
  return r.said;
};

describe('interpretChunk', () => {
  it('reads reasoning_content (ModelScope) and reasoning (W&B) as reasoning, before the content', () => {
    expect(read({ choices: [{ delta: { reasoning_content: 'hmm', content: 'Hi' } }] })).toEqual([
      ['reasoning', 'hmm'],
      ['content', 'Hi'],
    ]);
    expect(read({ choices: [{ delta: { reasoning: 'w&b' } }] })).toEqual([['reasoning', 'w&b']]);
  });

  it('ignores empty strings, nulls and unknown fields', () => {
    expect(read({ choices: [{ delta: { content: '', reasoning_content: null, x: 1 }, finish_reason: null }], usage: null })).toEqual([]);
  });

  it('an error chunk (or an `event: error`) is only an error', () => {
    expect(read({ error: { code: 'x' }, choices: [{ delta: { content: 'no' } }] })).toEqual([['error', { code: 'x' }]]);
    expect(read({ code: 'y' }, 'error')).toEqual([['error', { code: 'y' }]]);
  });

  it('usage, tool-call fragments and the finish reason; a plain chat.completion has `message`', () => {
    const tc = [{ index: 0, id: 'c1', function: { name: 'f', arguments: '{' } }];
    expect(read({ choices: [{ delta: { tool_calls: tc }, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 3, completion_tokens: 4 } })).toEqual([
      ['usage', { promptTokens: 3, completionTokens: 4 }],
      ['tools', tc],
      ['finish', 'tool_calls'],
    ]);
    expect(read({ choices: [{ message: { content: 'whole' }, finish_reason: 'stop' }] })).toEqual([
      ['content', 'whole'],
      ['finish', 'stop'],
    ]);
  });

  it('all-zero usage (ModelScope, before the real figures) says nothing', () => {
    expect(read({ choices: [], usage: { prompt_tokens: 0, completion_tokens: 0 } })).toEqual([]);
  });
});
