import { useState } from 'react';
import type { Message } from '../../../electron/contract/index.ts';
import { MarkdownView, StreamingMarkdown } from '../markdown/index.ts';
import type { LiveMessage } from '../stores/live.ts';
import { liveFor } from '../stores/streams.ts';

/**
 * The text of a message (its answer or its reasoning). An answer is markdown: while streaming it
 * follows the live buffer; when the stream ends the same renderer closes its blocks (nothing is
 * rendered twice); a message that was already final is rendered once. What the user typed is shown
 * exactly as typed.
 */
export function MessageBody({ message, field = 'content' }: { message: Message; field?: 'content' | 'reasoning' }) {
  const streaming = message.status === 'streaming';
  const [streamed, setStreamed] = useState<{ id: string; live: LiveMessage } | null>(() => (streaming ? { id: message.id, live: liveFor(message.id) } : null));
  if (streaming && streamed?.id !== message.id) setStreamed({ id: message.id, live: liveFor(message.id) });

  if (message.role === 'user') return <div className="plain-text">{message[field]}</div>;
  if (streamed && streamed.id === message.id) return <StreamingMarkdown live={streamed.live} field={field} final={streaming ? undefined : message[field]} />;
  return <MarkdownView text={message[field]} />;
}
