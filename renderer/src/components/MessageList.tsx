import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';

/** The scrolling list of a conversation's messages; follows the bottom while new ones arrive. */
export function MessageList({ conversationId, messages, renderMessage }: { conversationId: string | null; messages: Message[]; renderMessage: (m: Message) => ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, conversationId]);
  return (
    <div className="messages" ref={ref} role="log" aria-label={t('chat.messages')}>
      {messages.map((m) => (
        <div key={m.id}>{renderMessage(m)}</div>
      ))}
    </div>
  );
}
