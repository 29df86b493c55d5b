import { describe, expect, it } from 'vitest';
import { isHtmlAnswer, sourcesOf, streamErrorOf, usageOf } from './wire.ts';

describe('usageOf', () => {
  it('all-zero usage (ModelScope sends it in every chunk before the real one) is unknown', () => {
    expect(usageOf({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 })).toBeNull();
  });
  it('real figures are read, reasoning tokens included', () => {
    expect(usageOf({ prompt_tokens: 12, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 3 } })).toEqual({ promptTokens: 12, completionTokens: 5, reasoningTokens: 3 });
  });
  it('no usage or null → null', () => {
    expect(usageOf(null)).toBeNull();
    expect(usageOf({})).toBeNull();
  });
});

describe('isHtmlAnswer / streamErrorOf', () => {
  it('a login page is not an API answer; SSE and JSON are', () => {
    expect(isHtmlAnswer('text/html; charset=utf-8')).toBe(true);
    expect(isHtmlAnswer('text/event-stream')).toBe(false);
    expect(isHtmlAnswer('application/json')).toBe(false);
  });
  it('`event: error` without the error wrapper carries its data as the error', () => {
    expect(streamErrorOf('error', { message: 'boom', code: 'x' })).toEqual({ message: 'boom', code: 'x' });
    expect(streamErrorOf('message', { error: { message: 'wrapped' } })).toEqual({ message: 'wrapped' });
    expect(streamErrorOf('message', { choices: [] })).toBeNull();
  });
});

describe('sourcesOf', () => {
  it('reads Model Studio search_info, keeping only http(s) links', () => {
    expect(
      sourcesOf({ search_info: { search_results: [{ index: 1, title: 'Kaiwa', url: 'https://example.com/a', site_name: 'Example' }, { title: 'x', url: 'javascript:alert(1)' }] } }),
    ).toEqual([{ title: 'Kaiwa', url: 'https://example.com/a', site: 'Example' }]);
    expect(sourcesOf({ choices: [] })).toBeNull();
  });
});
