import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../stores/chat.ts';

export const UNDO_MS = 10_000;

/** "… was deleted. Undo" for a few seconds after a conversation is deleted. */
export function UndoToast() {
  const { t } = useTranslation();
  const deleted = useChat((s) => s.deleted);
  useEffect(() => {
    if (!deleted) return;
    const id = setTimeout(() => useChat.getState().dismissUndo(), UNDO_MS);
    return () => clearTimeout(id);
  }, [deleted]);
  return (
    <div className="undo-toast-region" role="status">
      {deleted && (
        <div className="undo-toast">
          <span>{deleted.title ? t('conversations.deleted', { title: deleted.title }) : t('conversations.deletedUntitled')}</span>
          <button type="button" onClick={() => void useChat.getState().undoRemove()}>
            {t('conversations.undo')}
          </button>
          <button type="button" className="icon" aria-label={t('conversations.dismiss')} onClick={() => useChat.getState().dismissUndo()}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
