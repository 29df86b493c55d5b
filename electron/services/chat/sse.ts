// Incremental Server-Sent Events parser. Input arrives in arbitrary pieces (one network read may
// hold several events or half of one; a single event may be megabytes); each byte is looked at a
// bounded number of times, so parsing stays linear in the stream size.
//
// Per the SSE spec: lines end with \n, \r\n or \r; `:` starts a comment (keep-alive pings);
// `data:` lines accumulate until a blank line dispatches the event.

export interface SseEvent {
  event: string;
  data: string;
}

export class SseParser {
  private pending: string[] = [];
  private dataLines: string[] = [];
  private eventName = '';
  private skipLeadingLF = false;

  private readonly onEvent: (e: SseEvent) => void;
  private readonly onComment: ((text: string) => void) | undefined;

  constructor(onEvent: (e: SseEvent) => void, onComment?: (text: string) => void) {
    this.onEvent = onEvent;
    this.onComment = onComment;
  }

  push(chunk: string): void {
    const n = chunk.length;
    let i = 0;
    if (this.skipLeadingLF && n > 0) {
      if (chunk.charCodeAt(0) === 10) i = 1;
      this.skipLeadingLF = false;
    }
    // Cache the next CR and LF positions so a chunk with many lines is scanned once, not once per line.
    let nextLF = chunk.indexOf('\n', i);
    let nextCR = chunk.indexOf('\r', i);
    while (i < n) {
      if (nextLF !== -1 && nextLF < i) nextLF = chunk.indexOf('\n', i);
      if (nextCR !== -1 && nextCR < i) nextCR = chunk.indexOf('\r', i);
      let end: number;
      if (nextLF === -1 && nextCR === -1) {
        this.pending.push(i === 0 ? chunk : chunk.slice(i));
        return;
      } else if (nextLF === -1) end = nextCR;
      else if (nextCR === -1) end = nextLF;
      else end = Math.min(nextLF, nextCR);

      let line = chunk.slice(i, end);
      if (this.pending.length) {
        this.pending.push(line);
        line = this.pending.join('');
        this.pending = [];
      }
      if (chunk.charCodeAt(end) === 13) {
        if (end + 1 < n) {
          if (chunk.charCodeAt(end + 1) === 10) end += 1;
        } else {
          this.skipLeadingLF = true;
        }
      }
      i = end + 1;
      this.line(line);
    }
  }

  /** End of input: a final event without its blank line is still delivered (lenient). */
  end(): void {
    if (this.pending.length) {
      const line = this.pending.join('');
      this.pending = [];
      this.line(line);
    }
    this.dispatch();
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    const c0 = line.charCodeAt(0);
    if (c0 === 58 /* : */) {
      this.onComment?.(line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
    // `id` and `retry` have no meaning for one-shot completions.
  }

  private dispatch(): void {
    if (this.dataLines.length === 0) {
      this.eventName = '';
      return;
    }
    const data = this.dataLines.length === 1 ? this.dataLines[0]! : this.dataLines.join('\n');
    const event = this.eventName || 'message';
    this.dataLines = [];
    this.eventName = '';
    this.onEvent({ event, data });
  }
}
