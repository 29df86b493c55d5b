import { describe, expect, it } from 'vitest';
import { ToolCallAccumulator } from './tool-calls.ts';

describe('ToolCallAccumulator', () => {
  it('accumulates one call: id and name from the first delta, arguments concatenated', () => {
    const acc = new ToolCallAccumulator();
    acc.push({ index: 0, id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '' } });
    acc.push({ index: 0, id: '', type: 'function', function: { arguments: '{"city":' } });
    acc.push({ index: 0, id: '', type: 'function', function: { arguments: '"Tokyo"' } });
    acc.push({ index: 0, id: '', type: 'function', function: { arguments: '}' } });
    expect(acc.size).toBe(1);
    expect(acc.list()).toEqual([{ index: 0, id: 'call_abc', name: 'get_weather', arguments: '{"city":"Tokyo"}' }]);
  });

  it('does not let later empty or different ids and names overwrite the first non-empty value', () => {
    const acc = new ToolCallAccumulator();
    acc.push({ index: 0, id: '', function: { name: '', arguments: '' } });
    acc.push({ index: 0, id: null, function: { name: null, arguments: null } });
    acc.push({ index: 0, id: 'call_1', function: { name: 'search' } });
    acc.push({ index: 0, id: '', function: { name: '', arguments: '{"q":"a"}' } });
    acc.push({ index: 0, id: 'call_other', function: { name: 'other', arguments: '' } });
    expect(acc.list()).toEqual([{ index: 0, id: 'call_1', name: 'search', arguments: '{"q":"a"}' }]);
  });

  it('returns only the new parts as the fragment to forward', () => {
    const acc = new ToolCallAccumulator();
    expect(acc.push({ index: 0, id: 'call_1', function: { name: 'search', arguments: '' } })).toEqual({ index: 0, id: 'call_1', name: 'search' });
    expect(acc.push({ index: 0, id: '', function: { arguments: '{"q"' } })).toEqual({ index: 0, arguments: '{"q"' });
    expect(acc.push({ index: 0, id: 'call_1', function: { name: 'search', arguments: ':1}' } })).toEqual({ index: 0, arguments: ':1}' });
  });

  it('keeps two interleaved calls apart by index and lists them in index order', () => {
    const acc = new ToolCallAccumulator();
    acc.push({ index: 1, id: 'call_b', function: { name: 'beta', arguments: '' } });
    acc.push({ index: 0, id: 'call_a', function: { name: 'alpha', arguments: '' } });
    acc.push({ index: 1, id: '', function: { arguments: '{"y":' } });
    acc.push({ index: 0, id: '', function: { arguments: '{"x":' } });
    acc.push({ index: 0, id: '', function: { arguments: '1}' } });
    acc.push({ index: 1, id: '', function: { arguments: '2}' } });
    expect(acc.size).toBe(2);
    expect(acc.list()).toEqual([
      { index: 0, id: 'call_a', name: 'alpha', arguments: '{"x":1}' },
      { index: 1, id: 'call_b', name: 'beta', arguments: '{"y":2}' },
    ]);
  });

  it('treats a delta without index as index 0', () => {
    const acc = new ToolCallAccumulator();
    acc.push({ id: 'call_x', function: { name: 'f', arguments: '{' } });
    acc.push({ function: { arguments: '}' } });
    expect(acc.list()).toEqual([{ index: 0, id: 'call_x', name: 'f', arguments: '{}' }]);
  });
});

describe('ToolCallAccumulator across rounds', () => {
  it('each request round has its own accumulator: index 0 of round 2 is a new call, not more of round 1', () => {
    // What DashScope-style streams send: the first delta with id and name, later ones `"id": ""`.
    const rounds = [
      [
        { index: 0, id: 'call_time', type: 'function', function: { name: 'get_current_time', arguments: '' } },
        { index: 0, id: '', type: 'function', function: { arguments: '{}' } },
      ],
      [
        { index: 0, id: 'call_calc', type: 'function', function: { name: 'calculate', arguments: '' } },
        { index: 0, id: '', type: 'function', function: { name: null, arguments: '{"expression":' } },
        { index: 0, id: '', type: 'function', function: { arguments: ' "6*7"}' } },
      ],
    ];
    const assembled = rounds.map((deltas) => {
      const acc = new ToolCallAccumulator();
      for (const d of deltas) acc.push(d);
      return acc.list();
    });
    expect(assembled).toEqual([
      [{ index: 0, id: 'call_time', name: 'get_current_time', arguments: '{}' }],
      [{ index: 0, id: 'call_calc', name: 'calculate', arguments: '{"expression": "6*7"}' }],
    ]);
  });
});

describe('ToolCallAccumulator without index', () => {
  it('keeps several calls sent in one delta apart (arguments are never glued together)', () => {
    const acc = new ToolCallAccumulator();
    acc.pushAll([
      { id: 'call_1', type: 'function', function: { name: 'get_current_time', arguments: '{}' } },
      { id: 'call_2', type: 'function', function: { name: 'calculate', arguments: '{"expression":"1"}' } },
    ]);
    expect(acc.list()).toEqual([
      { index: 0, id: 'call_1', name: 'get_current_time', arguments: '{}' },
      { index: 1, id: 'call_2', name: 'calculate', arguments: '{"expression":"1"}' },
    ]);
  });

  it('a fragment without id continues the call before it; a new id starts a new call', () => {
    const acc = new ToolCallAccumulator();
    acc.pushAll([{ id: 'call_1', function: { name: 'a', arguments: '{"x":' } }]);
    acc.pushAll([{ function: { arguments: '1}' } }]);
    acc.pushAll([{ id: 'call_2', function: { name: 'b', arguments: '{}' } }]);
    acc.pushAll([{ id: 'call_2', function: { arguments: '' } }]);
    expect(acc.list()).toEqual([
      { index: 0, id: 'call_1', name: 'a', arguments: '{"x":1}' },
      { index: 1, id: 'call_2', name: 'b', arguments: '{}' },
    ]);
  });

  it('several calls in one delta without ids take their place in it', () => {
    const acc = new ToolCallAccumulator();
    acc.pushAll([{ function: { name: 'a', arguments: '{}' } }, { function: { name: 'b', arguments: '{"y":2}' } }]);
    expect(acc.list().map((c) => [c.index, c.name, c.arguments])).toEqual([
      [0, 'a', '{}'],
      [1, 'b', '{"y":2}'],
    ]);
  });
});
