import { useTranslation } from 'react-i18next';
import type { CheckResult } from '../../../../electron/contract/index.ts';
import { SettingsError } from './SettingsError.tsx';

export type CheckState = { busy: true } | { busy: false; result: CheckResult } | null;

/** The answer to "Check": success with latency, or the same explained error chat would show. */
export function CheckOutcome({ state, live = true }: { state: CheckState; live?: boolean }) {
  const { t } = useTranslation();
  if (!state) return null;
  // Inside the provider form the role is left off: that form's one status is "Saved".
  const role = live ? 'status' : undefined;
  if (state.busy) {
    return (
      <p className="check-outcome muted" role={role} aria-live="polite">
        {t('settings.checking')}
      </p>
    );
  }
  const r = state.result;
  if (r.ok) {
    return (
      <p className="check-outcome ok" role={role} aria-live="polite">
        {t('settings.checkOk', { ms: Math.round(r.latencyMs), model: r.modelId })}
        {r.key ? ` · ${t('settings.checkKey', { key: r.key })}` : ''}
      </p>
    );
  }
  return <div className="check-outcome">{r.error && <SettingsError error={r.error} />}</div>;
}
