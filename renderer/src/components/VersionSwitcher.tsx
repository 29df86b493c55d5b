import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { useChat } from '../stores/chat.ts';

/** "‹ 2/3 ›" between the versions of a message (regenerated answers, edited questions). */
export function VersionSwitcher({ message, disabled }: { message: Message; disabled: boolean }) {
  const { t } = useTranslation();
  const { index, count } = message.version;
  if (count < 2) return null;
  const go = (v: number) => void useChat.getState().selectVersion(message.id, v);
  return (
    <div role="group" className="versions" aria-label={t('chat.versions.label', { index, count })}>
      <button type="button" className="icon" aria-label={t('chat.versions.previous')} disabled={disabled || index <= 1} onClick={() => go(index - 1)}>
        ‹
      </button>
      <span aria-hidden="true">
        {index}/{count}
      </span>
      <button type="button" className="icon" aria-label={t('chat.versions.next')} disabled={disabled || index >= count} onClick={() => go(index + 1)}>
        ›
      </button>
    </div>
  );
}
