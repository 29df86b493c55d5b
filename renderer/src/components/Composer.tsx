import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../stores/chat.ts';
import { draftOf } from '../stores/drafts.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { ThinkingControl } from './ThinkingControl.tsx';

/** Why the last message could not be sent, with a way to switch to another model. */
function SendError() {
  const conversation = useChat((s) => s.conversation);
  const sendError = useChat((s) => s.sendError);
  if (!sendError) return null;
  return (
    <ErrorBox
      error={sendError}
      currentModel={conversation?.providerId && conversation.modelId ? { providerId: conversation.providerId, modelId: conversation.modelId } : undefined}
      onSwitchModel={(ref) => void useChat.getState().setModel(ref)}
    />
  );
}

export function Composer() {
  const { t } = useTranslation();
  const conversation = useChat((s) => s.conversation);
  const streams = useChat((s) => s.streams);
  const messages = useChat((s) => s.messages);
  const id = conversation?.id ?? null;
  const [text, setText] = useState(() => draftOf(conversation));
  const [shownFor, setShownFor] = useState(id);
  const ref = useRef<HTMLTextAreaElement>(null);

  // Another conversation: show its saved draft. But text typed while a new conversation was being
  // created (no conversation yet) belongs to that new conversation and is kept.
  if (id !== shownFor) {
    setShownFor(id);
    if (shownFor !== null || id === null || text === '') setText(draftOf(conversation));
    else useChat.getState().saveDraft(text);
  }

  useEffect(() => {
    ref.current?.focus();
  }, [id]);

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
      <SendError />
      <div className="composer-tools">
        <ThinkingControl />
      </div>
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
