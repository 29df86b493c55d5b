// Server-Sent Events framing over `eventsource-parser` (the kept SSE parser): input arrives in
// arbitrary pieces (one network read may hold several events or half of one; a single event may be
// megabytes) and the library keeps it linear. This adapter adds only what the chat stream needs on
// top of it: the default event name `message`, and `end()`, which still delivers a final event that
// lost its blank line (some gateways close the body right after the last `data:` line).
//
// The callback takes the data and the event name as two arguments rather than an object, so the
// hot path allocates nothing beyond what the library does. Unknown fields such as
// `reasoning_content` live inside `data` and pass through untouched; comments (keep-alive pings)
// never dispatch an event.
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';

export class SseParser {
  private readonly parser: EventSourceParser;

  constructor(onEvent: (data: string, event: string) => void, onComment?: (text: string) => void) {
    this.parser = createParser({
      onEvent: (m: EventSourceMessage) => onEvent(m.data, m.event ?? 'message'),
      ...(onComment ? { onComment } : {}),
    });
  }

  push(chunk: string): void {
    this.parser.feed(chunk);
  }

  /** End of input: a final line (or event) without its blank line is still delivered (lenient). */
  end(): void {
    this.parser.feed('\n\n');
    this.parser.reset();
  }
}
