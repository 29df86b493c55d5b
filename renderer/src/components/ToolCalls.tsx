// Tool calls inside an answer, in the order they happened. `part="rounds"` (above the answer text):
// every finished round, its text and its calls with arguments, result (folded), duration and error.
// `part="open"` (below the text): calls of the round still streaming, and calls that never ran
// (round limit, Stop; or tools off for the conversation, shown as the model sent them).
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message, ToolCall } from '../../../electron/contract/index.ts';
import { MarkdownView } from '../markdown/index.ts';
import { liveOf } from '../stores/streams.ts';
import '../styles/tools.css';
import { useLiveValue } from './useLive.ts';

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // still streaming, or not JSON: shown as it arrived
  }
}

function pretty(args: string): string {
  const v = parse(args);
  return v === undefined ? args : JSON.stringify(v, null, 2);
}

/** A result as readable lines: strings as they are (a fetched page's text keeps its lines). */
function readable(v: unknown): string {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? v : JSON.stringify(v);
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => (typeof x === 'string' && x.includes('\n') ? `${k}:\n${x}` : `${k}: ${typeof x === 'string' ? x : JSON.stringify(x)}`))
    .join('\n');
}

/** The one argument worth showing in the collapsed line. */
function summary(c: ToolCall): string {
  const a = parse(c.arguments) as Record<string, unknown> | undefined;
  const v = a && typeof a === 'object' ? (a['expression'] ?? a['url']) : undefined;
  if (typeof v === 'string') return v;
  const raw = c.arguments.trim();
  return raw === '{}' ? '' : raw.length > 80 ? `${raw.slice(0, 79)}…` : raw;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function CallItem({ call, live }: { call: ToolCall; live: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const label = t(`tools.names.${call.name}`, { defaultValue: call.name || '…' });
  // A call left unfinished by an answer that is over (the app closed mid-call) did not run.
  const unfinished = !live && (call.state === 'pending' || call.state === 'confirming' || call.state === 'running');
  const state = unfinished ? 'error' : (call.state ?? (live ? 'pending' : undefined));
  const error = unfinished ? { code: 'cancelled' as const, message: '' } : call.error;
  const status =
    state === 'done' && call.durationMs !== undefined
      ? formatMs(call.durationMs)
      : state === 'error'
        ? t('tools.call.failed')
        : state
          ? t(`tools.call.state.${state}`)
          : '';
  const result = parse(call.result);
  return (
    <li className="tool-call" data-state={state ?? 'shown'}>
      <button type="button" className="tool-call-head" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        <span className="tool-call-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="tool-call-label">{label}</span>
        <code className="tool-call-summary">{summary(call)}</code>
        {status && <span className="tool-call-status">{status}</span>}
      </button>
      {error && <p className="tool-call-error">{t(`tools.errors.${error.code}`)}</p>}
      <div id={id} className="tool-call-body" hidden={!open}>
        <h4>{t('tools.call.arguments')}</h4>
        <pre className="tool-call-args">{pretty(call.arguments) || '{}'}</pre>
        {error?.message && (
          <>
            <h4>{t('tools.call.toModel')}</h4>
            <pre className="tool-call-result error">{error.message}</pre>
          </>
        )}
        {call.result !== undefined && !error && (
          <>
            <h4>{t('tools.call.result')}</h4>
            <pre className="tool-call-result">{result === undefined ? call.result : readable(result)}</pre>
          </>
        )}
        {/* The head shows the time of a call that worked; a failed one shows it here. */}
        {error && call.durationMs ? <p className="tool-call-duration">{t('tools.call.duration', { time: formatMs(call.durationMs) })}</p> : null}
      </div>
    </li>
  );
}

/** Calls the model sent in a conversation without tools: shown as sent, never run. */
function ShownOnly({ calls }: { calls: ToolCall[] }) {
  const { t } = useTranslation();
  return (
    <section className="tool-calls" aria-label={t('tools.shown.label')}>
      {calls.map((c) => (
        <div className="tool-call shown" key={c.index}>
          <div className="tool-call-name">{t('tools.shown.call', { name: c.name || '…' })}</div>
          <pre className="tool-call-args">{pretty(c.arguments)}</pre>
        </div>
      ))}
      <p className="tool-calls-note">{t('tools.shown.notRun')}</p>
    </section>
  );
}

export function ToolCalls({ message, part }: { message: Message; part: 'rounds' | 'open' }) {
  const { t } = useTranslation();
  const streaming = message.status === 'streaming';
  const live = liveOf(message);
  useLiveValue<number>(live, (l) => l.toolsVersion, 0);
  const calls: ToolCall[] = live ? live.toolCalls : (message.toolCalls ?? []);
  const texts: string[] = live ? live.roundTexts : (message.roundTexts ?? []);
  const done = texts.length;

  if (part === 'open') {
    const open = calls.filter((c) => c.round === undefined || c.round >= done);
    if (!open.length) return null;
    if (open.every((c) => c.round === undefined)) return <ShownOnly calls={open} />;
    return (
      <section className="tool-calls tool-round" aria-label={t('tools.rounds.current')}>
        <ol className="tool-call-list">
          {open.map((c) => (
            <CallItem key={`${c.round}-${c.index}`} call={c} live={streaming} />
          ))}
        </ol>
      </section>
    );
  }

  if (!done) return null;
  return (
    <section className="tool-calls tool-rounds" aria-label={t('tools.rounds.label')}>
      {texts.map((text, round) => (
        <div className="tool-round" key={round} role="group" aria-label={t('tools.rounds.round', { n: round + 1 })}>
          {text && (
            <div className="tool-round-text">
              <MarkdownView text={text} />
            </div>
          )}
          <ol className="tool-call-list">
            {calls
              .filter((c) => c.round === round)
              .map((c) => (
                <CallItem key={`${round}-${c.index}`} call={c} live={streaming} />
              ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
