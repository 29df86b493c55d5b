import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { useChat, type StreamInfo } from '../stores/chat.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { MessageBody } from './MessageBody.tsx';
import { StreamStatus } from './StreamStatus.tsx';

export const MessageItem = memo(function MessageItem({ message }: { message: Message }) {
  const { t } = useTranslation();
  const stream = useChat((s): StreamInfo | undefined => s.streams[message.id]);
  const streaming = message.status === 'streaming';
  const who = message.role === 'user' ? t('chat.you') : message.modelId ?? t('chat.assistant');

  return (
    <article className={`message ${message.role}`} aria-label={who} data-status={message.status} data-message-id={message.id}>
      <header className="message-head">{who}</header>
      {streaming && stream && <StreamStatus stream={stream} />}
      <div className="message-body">
        <MessageBody message={message} />
      </div>
      {!streaming && message.status !== 'done' && message.status !== 'error' && (
        <p className={`message-status ${message.status}`}>{t(`chat.status.${message.status}`)}</p>
      )}
      {message.error && <ErrorBox error={message.error} />}
    </article>
  );
});
