import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import type { LiveMessage } from '../stores/live.ts';
import { liveOf } from '../stores/streams.ts';
import { MessageBody } from './MessageBody.tsx';
import { useLiveValue } from './useLive.ts';

export function formatSeconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(1);
}

/** Seconds spent thinking: ticks while reasoning streams, stops when the answer starts or the stream ends. */
function ThinkingTime({ message, live, ticking }: { message: Message; live: LiveMessage | undefined; ticking: boolean }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!ticking) return;
    const id = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(id);
  }, [ticking]);
  let ms: number | undefined;
  if (!live) ms = message.reasoningMs;
  else if (live.reasoningStartedAt !== undefined) ms = (live.answerStartedAt ?? now) - live.reasoningStartedAt;
  if (ms === undefined) return null;
  return <span className="thinking-time">{t('chat.thinking.seconds', { seconds: formatSeconds(ms) })}</span>;
}

/**
 * The model's reasoning, above its answer. Open while the model thinks, folded once the answer
 * starts (unless the user opened or closed it), folded for stored answers.
 */
export function ThinkingPanel({ message }: { message: Message }) {
  const { t } = useTranslation();
  const id = useId();
  const streaming = message.status === 'streaming';
  const live = liveOf(message);
  const liveReasoning = useLiveValue(live, (l) => l.reasoning.length > 0, false);
  const answerStarted = useLiveValue(live, (l) => l.answerStartedAt !== undefined, false);
  const [manual, setManual] = useState<boolean | null>(null);
  const has = streaming ? liveReasoning : message.reasoning.length > 0;
  const thinking = streaming && liveReasoning && !answerStarted;
  if (!has) return null;
  const open = manual ?? thinking;
  return (
    <div className={`thinking${thinking ? ' live' : ''}`}>
      <button type="button" className="thinking-toggle" aria-expanded={open} aria-controls={id} onClick={() => setManual(!open)}>
        <span className="thinking-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        {thinking ? t('chat.thinking.live') : t('chat.thinking.done')} <ThinkingTime message={message} live={live} ticking={thinking} />
      </button>
      <div id={id} className="thinking-body" hidden={!open}>
        <MessageBody message={message} field="reasoning" />
      </div>
    </div>
  );
}
