import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.ts';

interface SseEvent {
  event: string;
  data: string;
}

/** Feeds `pieces` to a fresh parser and returns what it reported. */
function parse(pieces: string[], callEnd = true): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const p = new SseParser(
    (data, event) => events.push({ event, data }),
    (c) => comments.push(c),
  );
  for (const piece of pieces) p.push(piece);
  if (callEnd) p.end();
  return { events, comments };
}

// Two events with a keep-alive comment between them, one multi-line and one named; covers every
// line-ending style so split positions land next to \r, \n and inside \r\n.
const STREAM =
  'data: {"choices":[{"delta":{"content":"Hel"}}]}\r\n\r\n' +
  ': ping\n\n' +
  'data: line one\rdata: line two\r\r' +
  'data: crlf one\r\ndata: crlf two\r\n\r\n' +
  'event: custom\ndata:no-space\n\n' +
  'data: 日本語と中文\n\n' +
  'data: [DONE]\n\n';

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"choices":[{"delta":{"content":"Hel"}}]}' },
  { event: 'message', data: 'line one\nline two' },
  { event: 'message', data: 'crlf one\ncrlf two' },
  { event: 'custom', data: 'no-space' },
  { event: 'message', data: '日本語と中文' },
  { event: 'message', data: '[DONE]' },
];

describe('SseParser', () => {
  it('parses a whole stream in one push', () => {
    const { events, comments } = parse([STREAM]);
    expect(events).toEqual(EXPECTED);
    expect(comments).toEqual(['ping']);
  });

  it('gives identical events when the stream is split at every position into two pushes', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      const { events, comments } = parse([STREAM.slice(0, i), STREAM.slice(i)]);
      expect(events, `split at ${i}`).toEqual(EXPECTED);
      expect(comments, `split at ${i}`).toEqual(['ping']);
    }
  });

  it('gives identical events when split at every pair of positions into three pushes', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      for (let j = i; j <= STREAM.length; j++) {
        const { events } = parse([STREAM.slice(0, i), STREAM.slice(i, j), STREAM.slice(j)]);
        expect(events, `split at ${i},${j}`).toEqual(EXPECTED);
      }
    }
  });

  it('gives identical events when fed one character at a time', () => {
    const { events, comments } = parse([...STREAM]);
    expect(events).toEqual(EXPECTED);
    expect(comments).toEqual(['ping']);
  });

  it('treats \\n, \\r\\n and \\r alike as line endings', () => {
    for (const nl of ['\n', '\r\n', '\r']) {
      const { events } = parse([`data: a${nl}data: b${nl}${nl}data: c${nl}${nl}`], false);
      expect(events, JSON.stringify(nl)).toEqual([
        { event: 'message', data: 'a\nb' },
        { event: 'message', data: 'c' },
      ]);
    }
  });

  it('treats \\r at the end of one push and \\n at the start of the next as one line ending', () => {
    // Were the \n counted as a second line ending, the blank line would dispatch "a" alone.
    const { events } = parse(['data: a\r', '\ndata: b\r', '\n\r', '\n'], false);
    expect(events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('still treats a lone \\r at the end of a push as a line ending when the next push starts with text', () => {
    const { events } = parse(['data: a\r', 'data: b\r', '\r'], false);
    expect(events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('an empty push between \\r and \\n does not break the pair', () => {
    const { events } = parse(['data: a\r', '', '\n', 'data: b\r\n\r\n'], false);
    expect(events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  // eventsource-parser drops the one optional space after the colon, as it does in field values.
  it('reports comments (keep-alive pings) without dispatching them', () => {
    const { events, comments } = parse([': ping\n\n: ping\n\n:\n\n'], false);
    expect(events).toEqual([]);
    expect(comments).toEqual(['ping', 'ping', '']);
  });

  it('a comment inside an event does not end or alter it', () => {
    const { events, comments } = parse(['data: a\n: keep-alive\ndata: b\n\n'], false);
    expect(events).toEqual([{ event: 'message', data: 'a\nb' }]);
    expect(comments).toEqual(['keep-alive']);
  });

  it('joins multi-line data with \\n and keeps only one leading space out of each value', () => {
    const { events } = parse(['data: first\ndata:  indented\ndata:\ndata: last\n\n'], false);
    expect(events).toEqual([{ event: 'message', data: 'first\n indented\n\nlast' }]);
  });

  it('ignores id and retry fields and blank lines without data', () => {
    const { events } = parse(['\n\nid: 7\nretry: 100\n\nid: 8\ndata: x\n\n'], false);
    expect(events).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('does not deliver an unterminated final event before end()', () => {
    const events: SseEvent[] = [];
    const p = new SseParser((data, event) => events.push({ event, data }));
    p.push('data: first\n\ndata: tail');
    expect(events).toEqual([{ event: 'message', data: 'first' }]);
    p.end();
    expect(events).toEqual([
      { event: 'message', data: 'first' },
      { event: 'message', data: 'tail' },
    ]);
  });

  it('delivers a final event that ended its line but not with a blank line on end()', () => {
    const { events } = parse(['data: {"a":1}\n']);
    expect(events).toEqual([{ event: 'message', data: '{"a":1}' }]);
  });

  it('end() on an empty or comment-only stream delivers nothing', () => {
    expect(parse([]).events).toEqual([]);
    expect(parse([': ping']).events).toEqual([]);
  });

  it('parses a 4 MB single data line pushed in 1 KB pieces to the exact string', () => {
    // Not a repeated character: a misplaced or dropped piece would change the result.
    const unit = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_'; // 64 chars
    let big = '';
    for (let i = 0; i < (4 * 1024 * 1024) / unit.length; i++) big += unit;
    big = big.slice(0, -5) + 'END!!';
    const wire = `data: ${big}\n\n`;
    const pieces: string[] = [];
    for (let i = 0; i < wire.length; i += 1024) pieces.push(wire.slice(i, i + 1024));
    expect(pieces.length).toBeGreaterThan(4000);

    const { events } = parse(pieces, false);
    expect(events).toHaveLength(1);
    expect(events[0]!.data.length).toBe(big.length);
    expect(events[0]!.data === big).toBe(true);
    // A generous bound that a per-piece re-scan or re-join of the whole line would not meet.
  }, 5_000);
});
