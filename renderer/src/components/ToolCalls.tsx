import { useTranslation } from 'react-i18next';
import type { Message, ToolCall } from '../../../electron/contract/index.ts';
import { liveFor } from '../stores/live.ts';
import { useLiveValue } from './useLive.ts';

function pretty(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args; // still streaming, or not JSON: shown as it arrived
  }
}

/** Tool calls the model asked for, name and arguments, as they stream in. Running them is not built yet. */
export function ToolCalls({ message }: { message: Message }) {
  const { t } = useTranslation();
  const live = message.status === 'streaming' ? liveFor(message.id) : undefined;
  // Re-render when any name or argument grows.
  useLiveValue<number>(live, (l) => l.toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length + 1, 0), 0);
  const calls: ToolCall[] = live ? live.toolCalls : (message.toolCalls ?? []);
  if (!calls.length) return null;
  return (
    <section className="tool-calls" aria-label={t('chat.toolCalls.label')}>
      {calls.map((c) => (
        <div className="tool-call" key={c.index}>
          <div className="tool-call-name">{t('chat.toolCalls.call', { name: c.name || '…' })}</div>
          <pre className="tool-call-args">{live ? c.arguments : pretty(c.arguments)}</pre>
        </div>
      ))}
      <p className="tool-calls-note">{t('chat.toolCalls.notRun')}</p>
    </section>
  );
}
