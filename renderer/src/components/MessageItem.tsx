import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { useChat } from '../stores/chat.ts';
import { selectBusy, type StreamInfo } from '../stores/streams.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { MessageActions } from './MessageActions.tsx';
import { MessageBody } from './MessageBody.tsx';
import { MessageFooter } from './MessageFooter.tsx';
import { ContentGuard } from './PlainMessage.tsx';
import { StreamStatus } from './StreamStatus.tsx';
import { ThinkingPanel } from './ThinkingPanel.tsx';
import { Sources } from './Sources.tsx';
import { ToolCalls } from './ToolCalls.tsx';

/** Statuses after which the model can be asked to carry on with the same answer. */
const CONTINUABLE = new Set(['length', 'interrupted', 'incomplete']);

function EditBox({ message, onDone }: { message: Message; onDone: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(message.content);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const submit = async () => {
    if (!text.trim()) return;
    if (await useChat.getState().edit(message.id, text)) onDone();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onDone();
    }
  };
  return (
    <div className="edit-box">
      <textarea ref={ref} aria-label={t('chat.edit.label')} value={text} rows={Math.min(12, text.split('\n').length + 1)} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} />
      <div className="edit-actions">
        <button type="button" className="primary" disabled={!text.trim()} onClick={() => void submit()}>
          {t('chat.edit.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('chat.edit.cancel')}
        </button>
      </div>
    </div>
  );
}

export const MessageItem = memo(function MessageItem({ message }: { message: Message }) {
  const { t } = useTranslation();
  const stream = useChat((s): StreamInfo | undefined => s.streams[message.id]);
  // Actions that start or change answers wait while this conversation streams.
  const busy = useChat(selectBusy);
  const focused = useChat((s) => s.focusId === message.id);
  const [editing, setEditing] = useState(false);
  const streaming = message.status === 'streaming';
  const assistant = message.role === 'assistant';
  const who = assistant ? (message.modelId ?? t('chat.assistant')) : t('chat.you');

  const model = message.providerId && message.modelId ? { providerId: message.providerId, modelId: message.modelId } : undefined;

  return (
    <article className={`message ${message.role}${focused ? ' focused' : ''}`} aria-label={who} data-status={message.status} data-message-id={message.id}>
      <header className="message-head">{who}</header>
      {streaming && stream && <StreamStatus stream={stream} />}
      {editing ? (
        <EditBox message={message} onDone={() => setEditing(false)} />
      ) : (
        <ContentGuard message={message}>
          {assistant && <ThinkingPanel message={message} />}
          {assistant && <ToolCalls message={message} part="rounds" />}
          <div className="message-body">
            <MessageBody message={message} field="content" />
          </div>
          {assistant && <ToolCalls message={message} part="open" />}
          {assistant && <Sources message={message} />}
        </ContentGuard>
      )}
      {!streaming && message.status !== 'done' && message.status !== 'error' && (
        <p className={`message-status ${message.status}`}>{t(`chat.status.${message.status}`)}</p>
      )}
      {message.error && (
        <ErrorBox
          error={message.error}
          currentModel={model}
          onRetry={busy ? undefined : () => void useChat.getState().regenerate(message.id)}
          onSwitchModel={busy ? undefined : (ref) => void useChat.getState().regenerate(message.id, ref)}
        />
      )}
      {assistant && !streaming && CONTINUABLE.has(message.status) && (
        <button type="button" className="continue" disabled={busy} onClick={() => void useChat.getState().continueAnswer(message.id)}>
          {t('chat.actions.continue')}
        </button>
      )}
      {assistant && !streaming && <MessageFooter message={message} />}
      {!streaming && !editing && <MessageActions message={message} busy={busy} onEdit={() => setEditing(true)} />}
    </article>
  );
});
