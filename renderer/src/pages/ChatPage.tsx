import { useTranslation } from 'react-i18next';
import { Composer } from '../components/Composer.tsx';
import { MessageItem } from '../components/MessageItem.tsx';
import { MessageList } from '../components/MessageList.tsx';
import { ModelPicker } from '../components/ModelPicker.tsx';
import { QuotaMeter } from '../components/quota/QuotaMeter.tsx'; // quota (issue 5)
import { useChat } from '../stores/chat.ts';

export function ChatPage() {
  const { t } = useTranslation();
  const conversation = useChat((s) => s.conversation);
  const messages = useChat((s) => s.messages);

  return (
    <section className="chat" aria-label={conversation?.title || t('sidebar.untitled')}>
      <header className="chat-head">
        <h1 className="chat-title">{conversation?.title || t('sidebar.untitled')}</h1>
        <ModelPicker />
        <QuotaMeter /> {/* quota (issue 5) */}
      </header>
      {messages.length === 0 ? (
        <div className="messages">
          <div className="empty">
            <h2>{t('chat.emptyTitle')}</h2>
            <p>{t('chat.emptyHint')}</p>
          </div>
        </div>
      ) : (
        <MessageList conversationId={conversation?.id ?? null} messages={messages} renderMessage={(m) => <MessageItem message={m} />} />
      )}
      <Composer key={conversation?.id ?? 'none'} />
    </section>
  );
}
