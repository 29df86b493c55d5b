// The visible half of safe start (stores/safe-start.ts): the notice naming the conversation a start
// did not reopen, and the hook that tells the marker when the open conversation has been shown.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { painted, SHOWN_AFTER_MS, shown, streaming } from '../stores/safe-start.ts';
import { useChat } from '../stores/chat.ts';

/**
 * Tells safe start what the open conversation's state is: drawn (a frame after this commit); not
 * safe yet while an answer streams into it (a crash would leave the marker); safe once its messages
 * have stayed on screen for SHOWN_AFTER_MS.
 */
export function useSafeStartMarker(conversationId: string | null, messages: Message[], busy: boolean): void {
  useEffect(() => {
    if (!conversationId) return;
    // A task queued from a frame callback runs after that frame has been painted.
    let drawn: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (drawn = setTimeout(() => painted(conversationId), 0)));
    if (busy) streaming(conversationId);
    const timer = busy ? undefined : setTimeout(() => shown(conversationId), SHOWN_AFTER_MS);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(drawn);
      clearTimeout(timer);
    };
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
