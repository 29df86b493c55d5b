import type { Message } from '../../../electron/contract/index.ts';
import { liveFor } from '../stores/live.ts';
import { StreamingText } from './StreamingText.tsx';

/**
 * The text of a message (its answer or its reasoning). While streaming it follows the live buffer,
 * appending only what is new; once final it renders the stored text.
 */
export function MessageBody({ message, field = 'content' }: { message: Message; field?: 'content' | 'reasoning' }) {
  if (message.status === 'streaming') return <StreamingText live={liveFor(message.id)} field={field} />;
  return <div className="plain-text">{message[field]}</div>;
}
