import { useTranslation } from 'react-i18next';
import { headerProblem, type HeaderProblem } from '../../../../electron/contract/headers.ts';
import type { ProviderView } from '../../../../electron/contract/index.ts';

export interface HeaderRow {
  id: number;
  name: string;
  /** For a stored secret header: empty means "keep the stored value" (the window never has it). */
  value: string;
  /** Ticked "Not secret": kept in plain settings and shown. Headers are secret by default. */
  isPublic: boolean;
  /** A secret header main holds: its name when stored, masked value and state. */
  stored?: { name: string; masked: string; detached?: true | undefined; failure?: string | undefined };
}

let nextRowId = 1;
export const headerRows = (p: Pick<ProviderView, 'headers' | 'secretHeaders'>): HeaderRow[] => [
  ...Object.entries(p.headers).map(([name, value]) => ({ id: nextRowId++, name, value, isPublic: true })),
  ...p.secretHeaders.map((h) => ({ id: nextRowId++, name: h.name, value: '', isPublic: false, stored: h })),
];

/** A stored secret row left as it was: sent back by name only, so its value stays in main. */
const kept = (r: HeaderRow) => !r.isPublic && r.stored !== undefined && r.stored.name === r.name.trim() && r.value === '';

/** Problems by row id (same rules main applies), plus duplicates, which only the whole list shows. */
export function headerProblems(rows: HeaderRow[]): Map<number, HeaderProblem> {
  const out = new Map<number, HeaderProblem>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.name.trim() === '' && r.value === '') continue; // an untouched new row is ignored on save
    const lower = r.name.trim().toLowerCase();
    const p = seen.has(lower) ? 'duplicate' : kept(r) ? null : headerProblem(r.name.trim(), r.value, !r.isPublic);
    seen.add(lower);
    if (p) out.set(r.id, p);
  }
  return out;
}

/** The `providers.update` fields for these rows. */
export function rowsToPatch(rows: HeaderRow[]): { headers: Record<string, string>; publicHeaders: string[]; keepSecretHeaders: string[] } {
  const headers: Record<string, string> = {};
  const publicHeaders: string[] = [];
  const keepSecretHeaders: string[] = [];
  for (const r of rows) {
    const name = r.name.trim();
    if (!name) continue;
    if (kept(r)) keepSecretHeaders.push(name);
    else headers[name] = r.value;
    if (r.isPublic) publicHeaders.push(name);
  }
  return { headers, publicHeaders, keepSecretHeaders };
}

/** Custom headers sent with every request to this provider; values are secret unless marked otherwise. */
export function HeadersEditor({ rows, onChange }: { rows: HeaderRow[]; onChange: (rows: HeaderRow[]) => void }) {
  const { t } = useTranslation();
  const problems = headerProblems(rows);
  const set = (id: number, patch: Partial<HeaderRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <fieldset className="headers-editor">
      <legend>{t('settings.headers')}</legend>
      <p className="muted">{t('settings.headerSecretHint')}</p>
      {rows.length === 0 && <p className="muted">{t('settings.noHeaders')}</p>}
      {rows.map((r) => {
        const p = problems.get(r.id);
        const secretStored = r.stored && !r.isPublic;
        const note = secretStored
          ? r.stored!.failure
            ? t(r.stored!.failure === 'sealed_by_desktop' ? 'settings.keySealedByDesktop' : r.stored!.failure === 'sealed_by_browser' ? 'settings.keySealedByBrowser' : 'settings.keyUndecryptable')
            : r.stored!.detached
              ? t('settings.headerDetached')
              : null
          : null;
        return (
          <div key={r.id} className="header-row">
            <input
              aria-label={t('settings.headerName')}
              placeholder={t('settings.placeholders.headerName')}
              value={r.name}
              spellCheck={false}
              aria-invalid={p ? true : undefined}
              onChange={(e) => set(r.id, { name: e.target.value })}
            />
            <input
              aria-label={t('settings.headerValue')}
              placeholder={secretStored ? `${r.stored!.masked} — ${t('settings.headerStoredSecret')}` : t('settings.headerValuePlaceholder')}
              title={secretStored ? t('settings.headerStoredSecret') : undefined}
              value={r.value}
              spellCheck={false}
              autoComplete="off"
              className={r.isPublic ? undefined : 'secret'}
              onChange={(e) => set(r.id, { value: e.target.value })}
            />
            <label className="header-public">
              <input
                type="checkbox"
                checked={r.isPublic}
                aria-label={t('settings.headerSecretLabel', { name: r.name.trim() || '…' })}
                onChange={(e) => set(r.id, { isPublic: e.target.checked })}
              />
              <span aria-hidden="true">{t('settings.headerSecret')}</span>
            </label>
            <button type="button" aria-label={t('settings.removeHeaderLabel', { name: r.name || '…' })} onClick={() => onChange(rows.filter((x) => x.id !== r.id))}>
              ×
            </button>
            {note && <p className="muted header-note">{note}</p>}
            {p && <p className="field-problem">{t(`settings.headerProblem.${p}`)}</p>}
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...rows, { id: nextRowId++, name: '', value: '', isPublic: false }])}>
        {t('settings.addHeader')}
      </button>
    </fieldset>
  );
}
