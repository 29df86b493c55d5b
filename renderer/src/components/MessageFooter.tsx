import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import { formatSeconds } from './ThinkingPanel.tsx';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });

/** Per answer: the model, tokens in/out, time to first token, speed and cost. Unknown figures are left out, never guessed. */
export function MessageFooter({ message }: { message: Message }) {
  const { t } = useTranslation();
  const parts: { key: string; text: string }[] = [];
  if (message.modelId) parts.push({ key: 'model', text: message.modelId });
  const u = message.usage;
  if (u) parts.push({ key: 'tokens', text: t('chat.footer.tokens', { input: u.promptTokens, output: u.completionTokens }) });
  if (message.ttftMs !== undefined) parts.push({ key: 'ttft', text: t('chat.footer.ttft', { seconds: formatSeconds(message.ttftMs) }) });
  if (u && u.completionTokens > 0 && message.ttftMs !== undefined && message.durationMs !== undefined && message.durationMs > message.ttftMs) {
    const perSecond = u.completionTokens / ((message.durationMs - message.ttftMs) / 1000);
    parts.push({ key: 'speed', text: t('chat.footer.speed', { value: perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1) }) });
  }
  if (typeof message.cost === 'number') parts.push({ key: 'cost', text: t('chat.footer.cost', { value: usd.format(message.cost) }) });
  if (!parts.length) return null;
  return (
    <footer className="message-footer" aria-label={t('chat.footer.label')}>
      {parts.map((p) => (
        <span key={p.key} className={`footer-${p.key}`}>
          {p.text}
        </span>
      ))}
    </footer>
  );
}
