import { describe, expect, it } from 'vitest';
import { familyOf, thinkingOf } from './model-families.ts';

describe('familyOf: one row per model family', () => {
  it.each([
    // id, thinking, inline </think>, budget max
    ['Qwen/Qwen3-235B-A22B-Thinking-2507', 'always', true, 81920],
    ['qwen3-30b-a3b-thinking-2507', 'always', true, 81920],
    ['qwen3-next-80b-a3b-thinking', 'always', true, 81920],
    ['Qwen/Qwen3-235B-A22B-Instruct-2507', 'none', false, undefined],
    ['Qwen/Qwen3-Coder-480B-A35B-Instruct', 'none', false, undefined],
    ['qwen3-coder-plus', 'none', false, undefined],
    ['qwen3-235b-a22b', 'hybrid', true, 38912],
    ['qwen3-8b', 'hybrid', true, 38912],
    ['Qwen/Qwen3-32B', 'hybrid', true, 38912],
    ['qwen-plus', 'hybrid', false, 38912],
    ['qwen-flash-us', 'hybrid', false, 38912],
    ['qwen3.5-plus', 'hybrid', true, 81920],
    ['Qwen/Qwen3.5-397B-A17B', 'hybrid', true, 81920],
    ['qwen3-max', 'none', false, undefined],
    ['qwq-plus', 'always', true, undefined],
    ['deepseek-ai/DeepSeek-R1-0528', 'always', true, undefined],
    ['deepseek-ai/DeepSeek-V3-0324', 'none', false, undefined],
    ['deepseek-ai/DeepSeek-V4-Flash', 'hybrid', false, undefined],
    ['ZhipuAI/GLM-4.5', 'hybrid', false, undefined],
    ['ZhipuAI/GLM-5.1', 'hybrid', false, undefined],
    ['moonshotai/Kimi-K2-Instruct', 'none', false, undefined],
    ['moonshotai/Kimi-K2.5', 'hybrid', false, undefined],
    ['MiniMax/MiniMax-M2.5', 'always', true, undefined],
    ['meta-llama/Llama-3.3-70B-Instruct', 'none', false, undefined],
    ['microsoft/Phi-4-mini-instruct', 'none', false, undefined],
    ['fake-model', 'none', false, undefined],
  ])('%s → %s, inline %s, budget ≤ %s', (id, thinking, inline, budget) => {
    const f = familyOf(id);
    expect(f.thinking).toBe(thinking);
    expect(f.inlineThink).toBe(inline);
    expect(f.budgetMax).toBe(budget);
  });
});

describe('thinkingOf: the user’s capability flags win over the table', () => {
  it('a model marked hybrid by the user gets the toggle even if the table does not know it', () => {
    expect(thinkingOf('my-local-model', { hybridThinking: true }).thinking).toBe('hybrid');
  });
  it('a model marked as not reasoning never has its answer split at </think>', () => {
    expect(thinkingOf('deepseek-ai/DeepSeek-R1-0528', { reasoning: false })).toMatchObject({ thinking: 'none', inlineThink: false });
  });
});
