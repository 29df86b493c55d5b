import { useTranslation } from 'react-i18next';
import { headerProblem, type HeaderProblem } from '../../../../electron/contract/headers.ts';

export interface HeaderRow {
  id: number;
  name: string;
  value: string;
}

let nextRowId = 1;
export const headerRows = (h: Record<string, string>): HeaderRow[] => Object.entries(h).map(([name, value]) => ({ id: nextRowId++, name, value }));

/** Problems by row id (same rules main applies), plus duplicates, which only the whole list shows. */
export function headerProblems(rows: HeaderRow[]): Map<number, HeaderProblem> {
  const out = new Map<number, HeaderProblem>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.name.trim() === '' && r.value === '') continue; // an untouched new row is ignored on save
    const lower = r.name.trim().toLowerCase();
    const p = seen.has(lower) ? 'duplicate' : headerProblem(r.name.trim(), r.value);
    seen.add(lower);
    if (p) out.set(r.id, p);
  }
  return out;
}

export function rowsToRecord(rows: HeaderRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.name.trim()) out[r.name.trim()] = r.value;
  return out;
}

/** Custom headers sent with every request to this provider. */
export function HeadersEditor({ rows, onChange }: { rows: HeaderRow[]; onChange: (rows: HeaderRow[]) => void }) {
  const { t } = useTranslation();
  const problems = headerProblems(rows);
  const set = (id: number, patch: Partial<HeaderRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <fieldset className="headers-editor">
      <legend>{t('settings.headers')}</legend>
      {rows.length === 0 && <p className="muted">{t('settings.noHeaders')}</p>}
      {rows.map((r) => {
        const p = problems.get(r.id);
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
            <input aria-label={t('settings.headerValue')} placeholder={t('settings.headerValuePlaceholder')} value={r.value} spellCheck={false} onChange={(e) => set(r.id, { value: e.target.value })} />
            <button type="button" aria-label={t('settings.removeHeaderLabel', { name: r.name || '…' })} onClick={() => onChange(rows.filter((x) => x.id !== r.id))}>
              ×
            </button>
            {p && <p className="field-problem">{t(`settings.headerProblem.${p}`)}</p>}
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...rows, { id: nextRowId++, name: '', value: '' }])}>
        {t('settings.addHeader')}
      </button>
    </fieldset>
  );
}
