import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Composer } from '../components/Composer.tsx';
import { ConversationTitle } from '../components/ConversationTitle.tsx';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { GuardedMessage } from '../components/MessageGuard.tsx';
import { MessageList } from '../components/MessageList.tsx';
import { ModelPicker } from '../components/ModelPicker.tsx';
import { ParamsPanel } from '../components/ParamsPanel.tsx';
import { UndoToast } from '../components/UndoToast.tsx';
import { TrashIcon } from '../components/icons.tsx';
import { QuotaMeter } from '../components/quota/QuotaMeter.tsx'; // calls left today on this key
import { ConversationMenu } from '../components/ConversationMenu.tsx'; // export and import of this conversation
import { SafeStartNotice, useSafeStartMarker } from '../components/SafeStart.tsx';
import { useApp } from '../stores/app.ts';
import { useChat } from '../stores/chat.ts';
import { selectBusy } from '../stores/streams.ts';
import '../styles/chat.css';
import { usableKeys } from '../components/settings/format.ts';

export function ChatPage() {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const conversation = useChat((s) => s.conversation);
  const messages = useChat((s) => s.messages);
  const focusId = useChat((s) => s.focusId);
  const focusSeq = useChat((s) => s.focusSeq);
  const [showParams, setShowParams] = useState(false);
  const busy = useChat(selectBusy);
  useSafeStartMarker(conversation?.id ?? null, messages, busy);

  // Esc stops the answer streaming here, wherever the focus is (dialogs and editors handle their own Esc first).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return;
      const s = useChat.getState();
      if (s.searchOpen || document.querySelector('dialog[open]')) return;
      const streaming = s.messages.find((m) => m.status === 'streaming' && s.streams[m.id]);
      if (streaming) {
        e.preventDefault();
        void s.stop(streaming.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <section className="chat" aria-label={conversation?.title || t('sidebar.untitled')}>
      <header className="chat-head">
        <ConversationTitle key={conversation?.id ?? 'none'} conversation={conversation} />
        <ModelPicker />
        <QuotaMeter /> {/* calls left today, so a 429 is no surprise */}
        {conversation && (
          <>
            <button type="button" aria-expanded={showParams} aria-controls="conversation-settings" onClick={() => setShowParams(!showParams)}>
              {t('chat.params.toggle')}
            </button>
            <button type="button" className="icon" aria-label={t('conversations.delete')} title={t('conversations.delete')} onClick={() => void useChat.getState().remove(conversation.id)}>
              <TrashIcon />
            </button>
          </>
        )}
        <ConversationMenu /> {/* export as Markdown or Kaiwa JSON, import */}
      </header>
      <div className="chat-body">
        <div className="chat-main">
          <SafeStartNotice />
          <EarlierFailed />
          {messages.length === 0 ? (
            <div className="messages">
              <div className="empty">
                <h2>{t('chat.emptyTitle')}</h2>
                <p>{t('chat.emptyHint')}</p>
                <NeedsKey providerId={conversation?.providerId ?? settings?.defaultModel?.providerId ?? null} />
              </div>
            </div>
          ) : (
            <MessageList conversationId={conversation?.id ?? null} messages={messages} focusId={focusId} focusSeq={focusSeq} renderMessage={(m) => <GuardedMessage message={m} />} />
          )}
          <Composer />
        </div>
        {showParams && conversation && <ParamsPanel key={conversation.id} conversation={conversation} onClose={() => setShowParams(false)} />}
      </div>
      <UndoToast />
    </section>
  );
}

/** First run: the chosen provider has no key yet, so say where to put one before the user types. */
function NeedsKey({ providerId }: { providerId: string | null }) {
  const { t } = useTranslation();
  const provider = useApp((s) => s.providers.find((p) => p.id === providerId));
  const go = useApp((s) => s.go);
  if (!provider || provider.kind === 'custom' || usableKeys(provider.keys).length > 0) return null;
  return (
    <div className="needs-key" role="note">
      <p>{t('chat.needsKey', { provider: provider.name })}</p>
      <button type="button" className="primary" onClick={() => go('settings', { providerId: provider.id })}>
        {t('chat.addKey', { provider: provider.name })}
      </button>
    </div>
  );
}

/** Opening showed the newest messages, but the older ones could not be fetched after them. */
function EarlierFailed() {
  const { t } = useTranslation();
  const error = useChat((s) => s.earlierError);
  if (!error) return null;
  // Loading again is always possible, whatever the error suggested; its own text goes under details.
  const shown = { ...error, actions: ['retry' as const], details: error.details ?? error.message };
  return (
    <div className="earlier-failed">
      <ErrorBox error={shown} message={t('chat.earlierFailed')} onRetry={() => useChat.getState().retryEarlier()} retryLabel={t('chat.earlierRetry')} />
    </div>
  );
}
