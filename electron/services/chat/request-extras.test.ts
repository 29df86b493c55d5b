import { describe, expect, it } from 'vitest';
import type { ChatParams, ModelInfo } from '../../contract/index.ts';
import { ServiceError } from '../errors.ts';
import { checkForModel, responseFormatFields, searchFields, thinkingFields } from './request-extras.ts';

const code = (f: () => void) => {
  try {
    f();
    return null;
  } catch (err) {
    return err instanceof ServiceError ? err.info.code : 'other';
  }
};

describe('thinkingFields', () => {
  it('hybrid model: the toggle is sent top-level as enable_thinking on ModelScope and DashScope', () => {
    expect(thinkingFields('dashscope', 'qwen-plus', undefined, { enableThinking: true })).toEqual({ enable_thinking: true });
    expect(thinkingFields('modelscope', 'ZhipuAI/GLM-4.5', undefined, { enableThinking: false })).toEqual({ enable_thinking: false });
  });
  it('non-thinking and thinking-only models never get enable_thinking', () => {
    expect(thinkingFields('modelscope', 'Qwen/Qwen3-235B-A22B-Instruct-2507', undefined, { enableThinking: true })).toEqual({});
    expect(thinkingFields('modelscope', 'Qwen/Qwen3-235B-A22B-Thinking-2507', undefined, { enableThinking: false })).toEqual({});
  });
  it('W&B takes neither field', () => {
    expect(thinkingFields('wandb', 'qwen-plus', undefined, { enableThinking: true, thinkingBudget: 100 })).toEqual({});
  });
  it('the budget goes out only while the model thinks', () => {
    const p: ChatParams = { enableThinking: true, thinkingBudget: 2048 };
    expect(thinkingFields('dashscope', 'qwen-plus', undefined, p)).toEqual({ enable_thinking: true, thinking_budget: 2048 });
    expect(thinkingFields('dashscope', 'qwen-plus', undefined, { ...p, enableThinking: false })).toEqual({ enable_thinking: false });
    expect(thinkingFields('dashscope', 'qwen3-235b-a22b-thinking-2507', undefined, { thinkingBudget: 4096 })).toEqual({ thinking_budget: 4096 });
  });
  it('a model the user flagged as hybrid gets the toggle', () => {
    const info: ModelInfo = { id: 'my-local', source: 'manual', hybridThinking: true };
    expect(thinkingFields('custom', 'my-local', info, { enableThinking: true })).toEqual({ enable_thinking: true });
  });
});

describe('checkForModel', () => {
  it('refuses a budget above the family maximum before sending', () => {
    expect(code(() => checkForModel('qwen-plus', undefined, { thinkingBudget: 38913 }))).toBe('thinking_budget_range');
    expect(code(() => checkForModel('qwen-plus', undefined, { thinkingBudget: 38912 }))).toBeNull();
  });
  it('refuses a budget for a thinking model that takes none', () => {
    expect(code(() => checkForModel('deepseek-ai/DeepSeek-R1-0528', undefined, { thinkingBudget: 100 }))).toBe('thinking_budget_range');
  });
  it('ignores a budget left over for a model that does not think (it is not sent)', () => {
    expect(code(() => checkForModel('Qwen/Qwen3-235B-A22B-Instruct-2507', undefined, { thinkingBudget: 999999 }))).toBeNull();
  });
});

describe('web search and structured output', () => {
  it('enable_search reaches Model Studio only when on, and only for models that have it', () => {
    expect(searchFields('dashscope', 'qwen-plus', { enableSearch: true })).toEqual({ enable_search: true, search_options: { enable_source: true } });
    expect(searchFields('dashscope', 'qwen-plus', {})).toEqual({});
    expect(searchFields('dashscope', 'qwen2.5-7b-instruct', { enableSearch: true })).toEqual({});
    expect(searchFields('modelscope', 'qwen-plus', { enableSearch: true })).toEqual({});
  });
  it('json_object needs the word JSON in the prompt', () => {
    expect(code(() => checkForModel('qwen-plus', undefined, { responseFormat: 'json_object' }, 'dashscope', 'List three fruits.'))).toBe('json_mode_needs_json');
    expect(code(() => checkForModel('qwen-plus', undefined, { responseFormat: 'json_object' }, 'dashscope', 'List three fruits as JSON.'))).toBeNull();
    expect(responseFormatFields({ responseFormat: 'json_object' })).toEqual({ response_format: { type: 'json_object' } });
  });
  it('json_schema: not while thinking, not on providers that do not document it, and the schema must be an object', () => {
    const schema = '{"type":"object","properties":{"a":{"type":"string"}}}';
    expect(code(() => checkForModel('qwen-plus', undefined, { responseFormat: 'json_schema', jsonSchema: schema }, 'dashscope', 'x'))).toBeNull();
    expect(code(() => checkForModel('qwen-plus', undefined, { responseFormat: 'json_schema', jsonSchema: schema, enableThinking: true }, 'dashscope', 'x'))).toBe('response_format_unsupported');
    expect(code(() => checkForModel('Qwen/Qwen3-235B-A22B-Thinking-2507', undefined, { responseFormat: 'json_schema', jsonSchema: schema }, 'dashscope', 'x'))).toBe('response_format_unsupported');
    expect(code(() => checkForModel('m', undefined, { responseFormat: 'json_schema', jsonSchema: schema }, 'wandb', 'x'))).toBe('response_format_unsupported');
    expect(code(() => checkForModel('qwen-plus', undefined, { responseFormat: 'json_schema', jsonSchema: '[1]' }, 'dashscope', 'x'))).toBe('invalid_params');
    expect(responseFormatFields({ responseFormat: 'json_schema', jsonSchema: schema })).toEqual({
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: JSON.parse(schema) } },
    });
  });
});
