import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuotaFigure, QuotaView } from '../../../../electron/contract/index.ts';
import { call, on } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { useChat } from '../../stores/chat.ts';
import { formatClock, formatCountdown, formatInt, formatPercent } from './format.ts';
import './quota.css';

/** The conversation's model, else the default model — what the next message will use. */
function useCurrentModel(): { providerId: string; modelId: string } | null {
  const conversation = useChat((s) => s.conversation);
  const def = useApp((s) => s.settings?.defaultModel ?? null);
  if (conversation?.providerId && conversation.modelId) return { providerId: conversation.providerId, modelId: conversation.modelId };
  return def;
}

interface Loaded {
  view: QuotaView;
  /** performance.now() when it arrived: the countdown runs on main's clock, not the page's. */
  at: number;
}

/**
 * The quota view of this provider and model, kept fresh: after every call (`quota.changed`), when
 * keys or base URLs change, and at the reset; with the time left until it on main's clock.
 */
function useQuota(providerId: string | null, modelId: string | null): { loaded: Loaded | null; left: number | null } {
  const providers = useApp((s) => s.providers);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [tick, setTick] = useState(() => performance.now());
  const reloadRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (!providerId || !modelId) return;
    let seq = 0;
    let alive = true;
    const load = () => {
      const mine = ++seq;
      call('quota.get', { providerId, modelId })
        .then((view) => {
          if (alive && mine === seq) setLoaded(view ? { view, at: performance.now() } : null);
        })
        .catch(() => {
          if (alive && mine === seq) setLoaded(null);
        });
    };
    reloadRef.current = load;
    load();
    const off = on('quota.changed', (e) => {
      if (e.providerId === null || e.providerId === providerId) load();
    });
    return () => {
      alive = false;
      off();
    };
    // `providers` changes when keys or base URLs are saved: the key the next call uses may differ.
  }, [providerId, modelId, providers]);

  const resetAt = loaded?.view.resetAt ?? null;
  useEffect(() => {
    if (resetAt === null) return;
    const id = setInterval(() => setTick(performance.now()), 1000);
    return () => clearInterval(id);
  }, [resetAt]);

  const left = loaded && resetAt !== null ? resetAt - (loaded.view.now + (tick - loaded.at)) : null;
  const overdue = left !== null && left <= 0;
  useEffect(() => {
    // Main also announces the reset; asking once more covers a page that missed it.
    if (overdue) reloadRef.current();
  }, [overdue]);
  return { loaded, left };
}

/**
 * Calls left today on the provider the conversation uses (ModelScope), or "used up" for any
 * provider after a quota/credit error. Refreshes after every call, at the reset and when the
 * estimate's settings change (`quota.changed`).
 */
export function QuotaMeter() {
  const { t } = useTranslation();
  const model = useCurrentModel();
  const providers = useApp((s) => s.providers);
  const providerId = model?.providerId ?? null;
  const modelId = model?.modelId ?? null;
  const { loaded, left } = useQuota(providerId, modelId);

  // A view fetched for the previous model is not shown while the new one loads.
  if (!loaded || loaded.view.providerId !== providerId || loaded.view.modelId !== modelId) return null;
  const v = loaded.view;
  const provider = providers.find((p) => p.id === v.providerId)?.name ?? v.providerId;
  const label = t('quota.meterLabel', { provider });
  const sourceWord = t(`quota.sourceWord.${v.source}`);

  if (!v.account) {
    // A provider without daily figures: only shown once its quota or credit is gone.
    const text = t('quota.exhaustedNoReset', { provider });
    return (
      <div className="quota-meter" role="group" aria-label={label} data-level={v.level} data-source={v.source}>
        <p className="quota-line quota-exhausted" aria-live="polite">
          {text}
        </p>
      </div>
    );
  }

  const sentence = figureSentence(t, 'quota.sentence', provider, v.account, sourceWord);
  const share = Math.max(usedShare(v.account), usedShare(v.model));
  const countdown = formatCountdown(left ?? 0);
  const resetClock = v.resetAt !== null ? formatClock(v.resetAt) : '';
  return (
    <div className="quota-meter" role="group" aria-label={label} data-level={v.level} data-source={v.source}>
      <div className="quota-line">
        <span className="quota-name">{provider}</span>
        <Bar figure={v.account} name={t('quota.accountMeter')} valueText={sentence} />
        <span className="quota-figure">{figureShort(t, v.account)}</span>
        <span className={`quota-badge ${v.source}`} title={t(`quota.sourceHint.${v.source}`, { provider })}>
          {t(`quota.source.${v.source}`, { provider })}
        </span>
      </div>
      <div className="quota-line quota-sub">
        {/* A bare per-model count says nothing useful once the day's calls are gone. */}
        {v.model && !(v.exhausted && v.model.limit === null) && (
          <span className="quota-model">
            {v.model.limit !== null && v.model.remaining !== null ? (
              <>
                <Bar
                  figure={v.model}
                  name={t('quota.modelMeter')}
                  valueText={t('quota.sentenceModel', { left: formatInt(v.model.remaining), limit: formatInt(v.model.limit) })}
                  small
                />
                {t('quota.modelShort', { left: formatInt(v.model.remaining), limit: formatInt(v.model.limit) })}
              </>
            ) : (
              t('quota.modelUsed', { used: formatInt(v.model.used) })
            )}
          </span>
        )}
        {v.exhausted ? (
          <span className="quota-exhausted">{t('quota.exhausted', { time: resetClock, countdown })}</span>
        ) : (
          <>
            {(v.level === 'warning' || v.level === 'critical') && <span className="quota-warn">{t('quota.usedShare', { percent: formatPercent(share) })}</span>}
            <span className="quota-reset" title={t('quota.resetsAt', { time: resetClock })}>
              {t('quota.resetsIn', { time: countdown })}
            </span>
          </>
        )}
        {v.keyMasked && <span className="quota-key">{t('quota.key', { key: v.keyMasked })}</span>}
      </div>
      {v.keys && <QuotaKeys keys={v.keys} />}
      {/* Announced when the figures change (after a call), not every second with the countdown. */}
      <span className="sr-only" aria-live="polite">
        {v.exhausted ? `${sentence} ${t('quota.exhaustedShort')}` : sentence}
      </span>
    </div>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

/** Each key's own figures when the provider has several: which one is next, which are used up. */
function QuotaKeys({ keys }: { keys: NonNullable<QuotaView['keys']> }) {
  const { t } = useTranslation();
  return (
    <ul className="quota-keys" aria-label={t('quota.keysLabel')}>
      {keys.map((k) => (
        <li key={k.keyId} data-next={k.next || undefined} data-exhausted={k.exhausted || undefined}>
          {t('quota.key', { key: k.keyMasked })}: {k.account ? figureShort(t, k.account) : '—'} ({t(`quota.sourceWord.${k.source}`)})
          {k.exhausted && ` · ${t('quota.keyUsedUp')}`}
          {k.next && ` · ${t('quota.keyNext')}`}
        </li>
      ))}
    </ul>
  );
}

function figureShort(t: T, f: QuotaFigure): string {
  if (f.limit === null || f.remaining === null) return t('quota.usedOnly', { used: formatInt(f.used) });
  return t('quota.accountShort', { left: formatInt(f.remaining), limit: formatInt(f.limit) });
}

function figureSentence(t: T, key: string, provider: string, f: QuotaFigure, source: string): string {
  if (f.limit === null || f.remaining === null) return t('quota.sentenceUsed', { provider, used: formatInt(f.used), source });
  return t(key, { provider, left: formatInt(f.remaining), limit: formatInt(f.limit), source });
}

function usedShare(f: QuotaFigure | null): number {
  return f && f.limit ? f.used / f.limit : 0;
}

function Bar({ figure, name, valueText, small }: { figure: QuotaFigure; name: string; valueText: string; small?: boolean }) {
  if (figure.limit === null || figure.remaining === null) return null;
  const pct = figure.limit > 0 ? Math.max(0, Math.min(100, (figure.remaining / figure.limit) * 100)) : 0;
  return (
    <span
      className={small ? 'quota-bar small' : 'quota-bar'}
      role="meter"
      aria-label={name}
      aria-valuemin={0}
      aria-valuemax={figure.limit}
      aria-valuenow={figure.remaining}
      aria-valuetext={valueText}
    >
      <span className="quota-fill" style={{ width: `${pct}%` }} />
    </span>
  );
}
