import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Composer } from '../components/Composer.tsx';
import { MessageItem } from '../components/MessageItem.tsx';
import { ModelPicker } from '../components/ModelPicker.tsx';
import { useChat } from '../stores/chat.ts';

export function ChatPage() {
  const { t } = useTranslation();
  const conversation = useChat((s) => s.conversation);
  const messages = useChat((s) => s.messages);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, conversation?.id]);

  return (
    <section className="chat" aria-label={conversation?.title || t('sidebar.untitled')}>
      <header className="chat-head">
        <h1 className="chat-title">{conversation?.title || t('sidebar.untitled')}</h1>
        <ModelPicker />
      </header>
      <div className="messages" ref={listRef} role="log" aria-label={t('chat.messages')}>
        {messages.length === 0 ? (
          <div className="empty">
            <h2>{t('chat.emptyTitle')}</h2>
            <p>{t('chat.emptyHint')}</p>
          </div>
        ) : (
          messages.map((m) => <MessageItem key={m.id} message={m} />)
        )}
      </div>
      <Composer key={conversation?.id ?? 'none'} />
    </section>
  );
}
