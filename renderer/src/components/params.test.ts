import { describe, expect, it } from 'vitest';
import { formOf, validateParams, type ParamsForm } from './params.ts';

const empty: ParamsForm = { temperature: '', topP: '', maxTokens: '', presencePenalty: '', seed: '', stop: '', enableThinking: 'default', thinkingBudget: '', responseFormat: 'text', jsonSchema: '' };
const check = (patch: Partial<ParamsForm>, model?: { maxOutput?: number; thinkingBudgetMax?: number }) => validateParams({ ...empty, ...patch }, model);

describe('parameter validation (Model Studio ranges)', () => {
  it('leaves empty fields unset', () => {
    expect(check({})).toEqual({ params: {}, errors: {} });
  });

  it('temperature is [0, 2)', () => {
    expect(check({ temperature: '0' }).params).toEqual({ temperature: 0 });
    expect(check({ temperature: '1.99' }).params).toEqual({ temperature: 1.99 });
    expect(check({ temperature: '2' }).errors).toEqual({ temperature: 'temperature' });
    expect(check({ temperature: '-0.1' }).errors).toEqual({ temperature: 'temperature' });
    expect(check({ temperature: 'warm' }).errors).toEqual({ temperature: 'number' });
    expect(check({ temperature: '0x1' }).errors).toEqual({ temperature: 'number' });
  });

  it('top_p is (0, 1]', () => {
    expect(check({ topP: '1' }).params).toEqual({ topP: 1 });
    expect(check({ topP: '.5' }).params).toEqual({ topP: 0.5 });
    expect(check({ topP: '0' }).errors).toEqual({ topP: 'topP' });
    expect(check({ topP: '1.01' }).errors).toEqual({ topP: 'topP' });
  });

  it('max_tokens is a positive whole number within the model limit when known', () => {
    expect(check({ maxTokens: '512' }).params).toEqual({ maxTokens: 512 });
    expect(check({ maxTokens: '0' }).errors).toEqual({ maxTokens: 'maxTokens' });
    expect(check({ maxTokens: '1.5' }).errors).toEqual({ maxTokens: 'maxTokens' });
    expect(check({ maxTokens: '9000' }, { maxOutput: 8192 }).errors).toEqual({ maxTokens: 'maxTokensModel' });
    expect(check({ maxTokens: '8192' }, { maxOutput: 8192 }).params).toEqual({ maxTokens: 8192 });
  });

  it('presence_penalty is [-2, 2]', () => {
    expect(check({ presencePenalty: '-2' }).params).toEqual({ presencePenalty: -2 });
    expect(check({ presencePenalty: '2' }).params).toEqual({ presencePenalty: 2 });
    expect(check({ presencePenalty: '2.5' }).errors).toEqual({ presencePenalty: 'presencePenalty' });
  });

  it('seed is a non-negative whole number', () => {
    expect(check({ seed: '42' }).params).toEqual({ seed: 42 });
    expect(check({ seed: '-1' }).errors).toEqual({ seed: 'seed' });
    expect(check({ seed: '1e20' }).errors).toEqual({ seed: 'seed' });
  });

  it('stop sequences: one per line, at most four', () => {
    expect(check({ stop: 'END\n\n###\n' }).params).toEqual({ stop: ['END', '###'] });
    expect(check({ stop: 'a\nb\nc\nd\ne' }).errors).toEqual({ stop: 'stopCount' });
    expect(check({ stop: 'x'.repeat(201) }).errors).toEqual({ stop: 'stopLength' });
  });

  it('thinking is left to the model unless switched on or off', () => {
    expect(check({ enableThinking: 'off' }).params).toEqual({ enableThinking: false });
    expect(check({ enableThinking: 'on' }).params).toEqual({ enableThinking: true });
  });

  it('round-trips stored parameters through the form', () => {
    const p = { temperature: 0.7, topP: 0.9, maxTokens: 100, presencePenalty: -1, seed: 3, stop: ['a', 'b'], enableThinking: false };
    expect(validateParams(formOf(p))).toEqual({ params: p, errors: {} });
  });
});

describe('thinking budget', () => {
  it('is positive and at most the model’s maximum', () => {
    expect(check({ thinkingBudget: '2048' }, { thinkingBudgetMax: 38912 }).params).toEqual({ thinkingBudget: 2048 });
    expect(check({ thinkingBudget: '38913' }, { thinkingBudgetMax: 38912 }).errors).toEqual({ thinkingBudget: 'thinkingBudget' });
    expect(check({ thinkingBudget: '0' }, { thinkingBudgetMax: 38912 }).errors).toEqual({ thinkingBudget: 'thinkingBudget' });
    expect(check({ thinkingBudget: 'lots' }, { thinkingBudgetMax: 38912 }).errors).toEqual({ thinkingBudget: 'number' });
  });
  it('is not sent for a model without a budget', () => {
    expect(check({ thinkingBudget: '2048' }).params).toEqual({});
  });
});
