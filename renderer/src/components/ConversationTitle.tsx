import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../electron/contract/index.ts';
import { useChat } from '../stores/chat.ts';
import { PencilIcon } from './icons.tsx';

/** The conversation's title with a Rename button; the title is generated from the first message until renamed. */
export function ConversationTitle({ conversation }: { conversation: Conversation | null }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const title = conversation?.title || t('sidebar.untitled');

  const save = () => {
    setEditing(false);
    const next = text.trim().slice(0, 200);
    if (conversation && next && next !== conversation.title) void useChat.getState().rename(conversation.id, next);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      save();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setEditing(false);
    }
  };

  if (editing && conversation) {
    return (
      <input
        className="title-input"
        aria-label={t('conversations.titleLabel')}
        value={text}
        maxLength={200}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={save}
      />
    );
  }
  return (
    <div className="chat-title-wrap">
      <h1 className="chat-title">{title}</h1>
      {conversation && (
        <button
          type="button"
          className="icon"
          aria-label={t('conversations.rename')}
          title={t('conversations.rename')}
          onClick={() => {
            setText(conversation.title);
            setEditing(true);
          }}
        >
          <PencilIcon />
        </button>
      )}
    </div>
  );
}
