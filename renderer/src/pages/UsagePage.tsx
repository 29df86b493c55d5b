import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError, UsageRange, UsageSummary, UsageTotals } from '../../../electron/contract/index.ts';
import { call, errorInfo, on } from '../bridge/index.ts';
import { ErrorBox } from '../components/ErrorBox.tsx';
import { formatCost, formatDay, formatInt, formatMs } from '../components/quota/format.ts';
import '../components/quota/quota.css';
import { useApp } from '../stores/app.ts';

const RANGES: UsageRange[] = ['today', '7d', '30d'];
const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Calls, tokens, cost and errors per provider and model for today / 7 / 30 days, and a CSV export. */
export function UsagePage() {
  const { t } = useTranslation();
  const providers = useApp((s) => s.providers);
  const [range, setRange] = useState<UsageRange>('today');
  const [summary, setSummary] = useState<UsageSummary | null>(null);
  const [error, setError] = useState<KaiwaError | null>(null);
  const [exported, setExported] = useState<number | null>(null);

  useEffect(() => {
    let alive = true;
    const load = () => {
      call('usage.summary', { range, timeZone: timeZone() })
        .then((s) => {
          if (!alive) return;
          setSummary(s);
          setError(null);
        })
        .catch((err: unknown) => alive && setError(errorInfo(err)));
    };
    load();
    // New calls (and the daily reset) arrive as quota.changed: keep the page current.
    const off = on('quota.changed', load);
    return () => {
      alive = false;
      off();
    };
  }, [range]);

  const exportCsv = async () => {
    setExported(null);
    try {
      const { filename, csv, rows } = await call('usage.exportCsv', { range, timeZone: timeZone() });
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExported(rows);
    } catch (err) {
      setError(errorInfo(err));
    }
  };

  const name = (id: string) => providers.find((p) => p.id === id)?.name ?? id;
  const shown = summary?.range === range ? summary : null;

  return (
    <section className="usage" aria-label={t('usage.title')}>
      <header className="chat-head">
        <h1>{t('usage.title')}</h1>
        <div className="usage-tools" role="group" aria-label={t('usage.range')}>
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={r === range}
              onClick={() => {
                setRange(r);
                setExported(null);
              }}
            >
              {t(`usage.ranges.${r}`)}
            </button>
          ))}
        </div>
        <button type="button" onClick={() => void exportCsv()}>
          {t('usage.export')}
        </button>
        {exported !== null && (
          <span role="status" className="ok">
            {t('usage.exported', { count: exported, rows: formatInt(exported) })}
          </span>
        )}
      </header>
      <div className="usage-body">
        {error && <ErrorBox error={error} />}
        {shown && (
          <>
            <Totals totals={shown.totals} />
            <Chart summary={shown} />
            <section aria-label={t('usage.byProvider')}>
              <h2>{t('usage.byProvider')}</h2>
              <UsageTable rows={shown.byProvider.map((p) => ({ key: p.providerId, label: [name(p.providerId)], totals: p }))} labels={[t('usage.col.provider')]} caption={t('usage.byProvider')} />
            </section>
            <section aria-label={t('usage.byModel')}>
              <h2>{t('usage.byModel')}</h2>
              <UsageTable
                rows={shown.byModel.map((m) => ({ key: `${m.providerId}\u0000${m.modelId}`, label: [m.modelId, name(m.providerId)], totals: m }))}
                labels={[t('usage.col.model'), t('usage.col.provider')]}
                caption={t('usage.byModel')}
              />
            </section>
          </>
        )}
      </div>
    </section>
  );
}

function Totals({ totals }: { totals: UsageTotals }) {
  const { t } = useTranslation();
  const card = (label: string, value: string, note?: string) => (
    <div className="usage-card" role="group" aria-label={label}>
      <span className="label">{label}</span>
      <span className="value">{value}</span>
      {note && <span className="note">{note}</span>}
    </div>
  );
  return (
    <div className="usage-cards">
      {card(t('usage.col.calls'), formatInt(totals.calls))}
      {card(t('usage.col.input'), formatInt(totals.inputTokens))}
      {card(t('usage.col.output'), formatInt(totals.outputTokens))}
      {card(t('usage.col.cost'), formatCost(totals.cost), totals.unpricedCalls ? t('usage.unpriced', { count: totals.unpricedCalls, calls: formatInt(totals.unpricedCalls) }) : undefined)}
      {card(t('usage.col.errors'), formatInt(totals.errors))}
      {card(t('usage.col.latency'), formatMs(totals.avgLatencyMs))}
      {card(t('usage.col.ttft'), formatMs(totals.avgTtftMs))}
    </div>
  );
}

function Chart({ summary }: { summary: UsageSummary }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...summary.days.map((d) => d.calls));
  // Every other label on a 30-day chart so they stay readable.
  const step = summary.days.length > 14 ? 3 : 1;
  return (
    <section aria-label={t('usage.chart')}>
      <h2>{t('usage.chart')}</h2>
      <ol className="usage-chart" aria-label={t('usage.chart')}>
        {summary.days.map((d) => {
          const label = t('usage.dayBar', { count: d.calls, day: formatDay(d.day), calls: formatInt(d.calls), errors: formatInt(d.errors) });
          return (
            <li key={d.day} aria-label={label} title={label}>
              {d.calls > 0 && <span className="count" aria-hidden="true">{formatInt(d.calls)}</span>}
              <span className="bar" style={{ height: `${(d.calls / max) * 80}%` }} aria-hidden="true">
                {d.errors > 0 && <span className="err" style={{ height: `${(d.errors / d.calls) * 100}%` }} />}
              </span>
            </li>
          );
        })}
      </ol>
      <div className="usage-chart-days" aria-hidden="true">
        {summary.days.map((d, i) => (
          <span key={d.day}>{(summary.days.length - 1 - i) % step === 0 ? formatDay(d.day) : ''}</span>
        ))}
      </div>
      <div className="usage-legend" aria-hidden="true">
        <span>
          <i style={{ background: 'var(--accent)' }} />
          {t('usage.col.calls')}
        </span>
        <span>
          <i style={{ background: 'var(--danger)' }} />
          {t('usage.col.errors')}
        </span>
      </div>
    </section>
  );
}

function UsageTable({ rows, labels, caption }: { rows: { key: string; label: string[]; totals: UsageTotals }[]; labels: string[]; caption: string }) {
  const { t } = useTranslation();
  if (!rows.length) return <p className="usage-empty">{t('usage.empty')}</p>;
  return (
    <table className="usage-table" aria-label={caption}>
      <thead>
        <tr>
          {labels.map((l) => (
            <th key={l} scope="col" className="text">
              {l}
            </th>
          ))}
          <th scope="col">{t('usage.col.calls')}</th>
          <th scope="col">{t('usage.col.input')}</th>
          <th scope="col">{t('usage.col.output')}</th>
          <th scope="col">{t('usage.col.cost')}</th>
          <th scope="col">{t('usage.col.errors')}</th>
          <th scope="col">{t('usage.col.latency')}</th>
          <th scope="col">{t('usage.col.ttft')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            {r.label.map((l, i) =>
              i === 0 ? (
                <th key={i} scope="row" className="text">
                  {l}
                </th>
              ) : (
                <td key={i} className="text">
                  {l}
                </td>
              ),
            )}
            <td>{formatInt(r.totals.calls)}</td>
            <td>{formatInt(r.totals.inputTokens)}</td>
            <td>{formatInt(r.totals.outputTokens)}</td>
            <td>
              {r.totals.unpricedCalls > 0 && r.totals.cost === 0 ? t('usage.unknownCost') : formatCost(r.totals.cost)}
              {r.totals.unpricedCalls > 0 && r.totals.cost > 0 && ` ${t('usage.partlyUnpriced')}`}
            </td>
            <td className={r.totals.errors ? 'errors-some' : undefined}>{formatInt(r.totals.errors)}</td>
            <td>{formatMs(r.totals.avgLatencyMs)}</td>
            <td>{formatMs(r.totals.avgTtftMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
