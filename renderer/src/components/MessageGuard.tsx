// A row of the message list behind an error boundary: should MessageItem itself fail, a minimal row
// replaces it with the text as written and the actions (copy, regenerate, delete) that still work on
// the stored message. What MessageItem draws from the message has its own guard (PlainMessage.tsx).
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { useChat } from '../stores/chat.ts';
import { selectBusy } from '../stores/streams.ts';
import { MessageActions } from './MessageActions.tsx';
import { MessageItem } from './MessageItem.tsx';
import { PlainMessageBody } from './PlainMessage.tsx';
import { RenderGuard } from './RenderGuard.tsx';

function BrokenMessage({ message }: { message: Message }) {
  const { t } = useTranslation();
  const busy = useChat(selectBusy);
  const who = message.role === 'assistant' ? (message.modelId ?? t('chat.assistant')) : t('chat.you');
  return (
    <article className={`message ${message.role}`} aria-label={who} data-status={message.status} data-message-id={message.id}>
      <header className="message-head">{who}</header>
      <PlainMessageBody message={message} />
      {/* Editing needs the row that failed; the other actions work on the stored message. */}
      <MessageActions message={message} busy={busy} onEdit={() => undefined} />
    </article>
  );
}

/** A row of the message list. */
export function GuardedMessage({ message }: { message: Message }) {
  return (
    <RenderGuard resetKey={message} fallback={() => <BrokenMessage message={message} />}>
      <MessageItem message={message} />
    </RenderGuard>
  );
}
