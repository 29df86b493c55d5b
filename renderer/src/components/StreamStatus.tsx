import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StreamInfo } from '../stores/streams.ts';

/** "Connecting…" / "Retrying in 2 s…" above an answer that has not started yet. */
export function StreamStatus({ stream }: { stream: StreamInfo }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (stream.state !== 'retrying') return;
    const id = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(id);
  }, [stream.state]);
  if (stream.state === 'receiving') return null;
  if (stream.state === 'retrying') {
    const seconds = Math.max(0, Math.ceil(((stream.retryAt ?? now) - now) / 1000));
    const error = stream.error ? t(`errors.${stream.error.code}`, { provider: '', model: '', upstream: '', ...stream.error.params }) : '';
    return (
      <p className="stream-status" role="status">
        {t('chat.retryingAfter', { error, seconds, attempt: stream.attempt ?? 1 })}
      </p>
    );
  }
  return (
    <p className="stream-status" role="status">
      {t('chat.connecting')}
    </p>
  );
}
