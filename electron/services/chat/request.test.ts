import { describe, expect, it } from 'vitest';
import type { ChatParams, Message } from '../../contract/index.ts';
import { buildBody, buildMessages, CONTINUE_PROMPT } from './request.ts';

const msg = (id: string, role: Message['role'], content: string): Message =>
  ({ id, conversationId: 'c', parentId: null, role, content, reasoning: '', status: 'done', createdAt: 0, version: { index: 1, count: 1 } }) as Message;

describe('buildMessages', () => {
  const path = [msg('u1', 'user', 'Q1'), msg('a1', 'assistant', 'A1'), msg('u2', 'user', 'Q2'), msg('a2', 'assistant', '')];

  it('system prompt, then the branch down to the new answer; empty answers are left out', () => {
    expect(buildMessages(path, 'a2', 'Be brief.', undefined)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Q1' },
      { role: 'assistant', content: 'A1' },
      { role: 'user', content: 'Q2' },
    ]);
    expect(buildMessages([msg('u1', 'user', 'Q1'), msg('e', 'assistant', ''), msg('u2', 'user', 'Q2'), msg('a2', 'assistant', '')], 'a2', '  ', undefined)).toEqual([
      { role: 'user', content: 'Q1' },
      { role: 'user', content: 'Q2' },
    ]);
  });

  it('continue sends the answer so far and asks for the rest', () => {
    const out = buildMessages(path, 'a2', '', { content: 'half', reasoning: '' });
    expect(out.slice(-2)).toEqual([
      { role: 'assistant', content: 'half' },
      { role: 'user', content: CONTINUE_PROMPT },
    ]);
  });
});

describe('buildBody', () => {
  const ref = { providerId: 'p', modelId: 'Qwen/Qwen3-8B' };

  it('streams with usage and maps the parameters to their wire names', () => {
    const params = { temperature: 0.3, topP: 0.9, maxTokens: 100, presencePenalty: 1, seed: 7, stop: ['END'] } as ChatParams;
    expect(buildBody(ref, [], params, 'custom', undefined)).toEqual({
      model: 'Qwen/Qwen3-8B',
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 100,
      presence_penalty: 1,
      seed: 7,
      stop: ['END'],
    });
  });

  it('enable_thinking only where the provider kind takes it top-level; tools on every request', () => {
    const params = { enableThinking: false } as ChatParams;
    expect(buildBody(ref, [], params, 'modelscope', undefined)['enable_thinking']).toBe(false);
    expect(buildBody(ref, [], params, 'wandb', undefined)).not.toHaveProperty('enable_thinking');
    const tools = [{ type: 'function', function: { name: 'f', description: 'd', parameters: {} } }] as never;
    expect(buildBody(ref, [], {} as ChatParams, 'custom', undefined, tools)['tools']).toBe(tools);
  });
});
