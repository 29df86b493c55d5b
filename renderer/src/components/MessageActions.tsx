import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { useChat } from '../stores/chat.ts';
import { VersionSwitcher } from './VersionSwitcher.tsx';

/** Copy, regenerate, edit, delete and the version switcher under a message. */
export function MessageActions({ message, busy, onEdit }: { message: Message; busy: boolean; onEdit: () => void }) {
  const { t } = useTranslation();
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (copy === 'idle') return;
    const id = setTimeout(() => setCopy('idle'), 2500);
    return () => clearTimeout(id);
  }, [copy]);

  const doCopy = async () => {
    try {
      // The markdown source, as the model wrote it.
      await navigator.clipboard.writeText(message.content);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  if (confirming) {
    return (
      <div className="message-actions confirming" role="group" aria-label={t('chat.actions.confirmDelete')}>
        <span>{t('chat.actions.confirmDelete')}</span>
        <button
          type="button"
          className="danger"
          onClick={() => {
            setConfirming(false);
            void useChat.getState().deleteMessage(message.id);
          }}
        >
          {t('chat.actions.confirmYes')}
        </button>
        <button type="button" onClick={() => setConfirming(false)} autoFocus>
          {t('chat.actions.cancel')}
        </button>
      </div>
    );
  }

  return (
    <div className="message-actions" role="group" aria-label={t('chat.actions.group')}>
      <VersionSwitcher message={message} disabled={busy} />
      <button type="button" onClick={() => void doCopy()} disabled={!message.content}>
        {t('chat.actions.copy')}
      </button>
      {message.role === 'assistant' ? (
        <button type="button" disabled={busy} onClick={() => void useChat.getState().regenerate(message.id)}>
          {t('chat.actions.regenerate')}
        </button>
      ) : (
        <button type="button" disabled={busy} onClick={onEdit}>
          {t('chat.actions.edit')}
        </button>
      )}
      <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
        {t('chat.actions.delete')}
      </button>
      <span role="status" className={`copy-status ${copy}`}>
        {copy === 'copied' ? t('chat.actions.copied') : copy === 'failed' ? t('chat.actions.copyFailed') : ''}
      </span>
    </div>
  );
}
