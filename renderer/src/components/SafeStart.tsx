// The visible half of safe start (stores/safe-start.ts): the notice naming the conversation a start
// did not reopen, and the hook that tells the marker when the open conversation has been shown.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { SHOWN_AFTER_MS, showing, shown } from '../stores/safe-start.ts';
import { useChat } from '../stores/chat.ts';

/**
 * While an answer streams into the open conversation it is not safe yet (a crash would leave the
 * marker); once its messages have stayed on screen for SHOWN_AFTER_MS, it is.
 */
export function useSafeStartMarker(conversationId: string | null, messages: Message[], busy: boolean): void {
  useEffect(() => {
    if (!conversationId) return;
    if (busy) {
      showing(conversationId);
      return;
    }
    const timer = setTimeout(() => shown(conversationId), SHOWN_AFTER_MS);
    return () => clearTimeout(timer);
  }, [conversationId, messages, busy]);
}

/** "Kaiwa did not reopen …", with a way to open it anyway. */
export function SafeStartNotice() {
  const { t } = useTranslation();
  const skipped = useChat((s) => s.skipped);
  if (!skipped) return null;
  const title = skipped.title || t('sidebar.untitled');
  return (
    <div className="safe-start" role="status">
      <p>{t('safety.start.skipped', { title })}</p>
      <div className="safe-start-actions">
        <button type="button" className="primary" onClick={() => void useChat.getState().open(skipped.id)}>
          {t('safety.start.open')}
        </button>
        <button type="button" onClick={() => useChat.getState().dismissSkipped()}>
          {t('actions.dismiss')}
        </button>
      </div>
    </div>
  );
}
