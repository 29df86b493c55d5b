import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { useChat, type StreamInfo } from '../stores/chat.ts';
import { liveFor } from '../stores/live.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { StreamingText } from './StreamingText.tsx';
import { StreamStatus } from './StreamStatus.tsx';

export const MessageItem = memo(function MessageItem({ message }: { message: Message }) {
  const { t } = useTranslation();
  const stream = useChat((s): StreamInfo | undefined => s.streams[message.id]);
  const streaming = message.status === 'streaming';
  const who = message.role === 'user' ? t('chat.you') : message.modelId ?? t('chat.assistant');

  return (
    <article className={`message ${message.role}`} aria-label={who} data-status={message.status} data-message-id={message.id}>
      <header className="message-head">{who}</header>
      {streaming ? (
        <>
          {stream && <StreamStatus stream={stream} />}
          <div className="message-body">
            <StreamingText live={liveFor(message.id)} field="content" />
          </div>
        </>
      ) : (
        <div className="message-body">
          <div className="plain-text">{message.content}</div>
        </div>
      )}
      {!streaming && message.status !== 'done' && message.status !== 'error' && (
        <p className={`message-status ${message.status}`}>{t(`chat.status.${message.status}`)}</p>
      )}
      {message.error && <ErrorBox error={message.error} />}
    </article>
  );
});
