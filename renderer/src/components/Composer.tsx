import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../stores/chat.ts';
import { ErrorBox } from './ErrorBox.tsx';

export function Composer() {
  const { t } = useTranslation();
  const conversation = useChat((s) => s.conversation);
  const streams = useChat((s) => s.streams);
  const messages = useChat((s) => s.messages);
  const sendError = useChat((s) => s.sendError);
  // Keyed by conversation (see ChatPage), so the draft saved for this conversation is the start value.
  const [text, setText] = useState(() => conversation?.draft ?? '');
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    ref.current?.focus();
  }, []);

  const streamingHere = messages.find((m) => m.status === 'streaming' && streams[m.id]);

  const send = async () => {
    const value = text;
    if (!value.trim() || streamingHere) return;
    setText('');
    const ok = await useChat.getState().send(value);
    // Nothing typed is lost: a failed send puts the text back.
    if (!ok) setText((cur) => (cur === '' ? value : cur));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // The Enter that confirms an IME candidate (Japanese, Chinese input) must not send.
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape' && streamingHere) {
      e.preventDefault();
      void useChat.getState().stop(streamingHere.id);
    }
  };

  return (
    <div className="composer">
      {sendError && <ErrorBox error={sendError} />}
      <div className="composer-row">
        <textarea
          ref={ref}
          aria-label={t('chat.inputLabel')}
          placeholder={t('chat.placeholder')}
          value={text}
          rows={3}
          onChange={(e) => {
            setText(e.target.value);
            useChat.getState().saveDraft(e.target.value);
          }}
          onKeyDown={onKeyDown}
        />
        {streamingHere ? (
          <button type="button" className="danger" onClick={() => void useChat.getState().stop(streamingHere.id)}>
            {t('chat.stop')}
          </button>
        ) : (
          <button type="button" className="primary" disabled={!text.trim()} onClick={() => void send()}>
            {t('chat.send')}
          </button>
        )}
      </div>
    </div>
  );
}
