// The fields of the conversation settings panel (ParamsPanel.tsx): one labelled input with its range
// and inline error, and the thinking and response-format sections that appear per model and format.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelInfo } from '../../../electron/contract/index.ts';
import type { ParamField, ParamsForm } from './params.ts';

/** A text field with its label, allowed range and, when invalid, the message it is described by. */
export function ParamInput(o: {
  id: string;
  label: ReactNode;
  range?: string | undefined;
  value: string;
  error: string;
  onChange: (value: string) => void;
  /** Rows of a multi-line field; absent for a one-line input. */
  rows?: number | undefined;
  inputMode?: 'decimal' | 'numeric' | undefined;
  spellCheck?: false | undefined;
}) {
  const described = {
    'aria-invalid': o.error ? true : undefined,
    'aria-describedby': o.error ? `${o.id}-error` : undefined,
  } as const;
  return (
    <div className="field">
      <label htmlFor={o.id}>
        {o.label}
        {o.range !== undefined && (
          <>
            {' '}
            <span className="range">{o.range}</span>
          </>
        )}
      </label>
      {o.rows !== undefined ? (
        <textarea id={o.id} rows={o.rows} spellCheck={o.spellCheck} value={o.value} {...described} onChange={(e) => o.onChange(e.target.value)} />
      ) : (
        <input id={o.id} inputMode={o.inputMode} value={o.value} {...described} onChange={(e) => o.onChange(e.target.value)} />
      )}
      {o.error && (
        <p id={`${o.id}-error`} className="field-error" role="alert">
          {o.error}
        </p>
      )}
    </div>
  );
}

interface SectionProps {
  uid: string;
  form: ParamsForm;
  set: (k: keyof ParamsForm, v: string) => void;
  errorText: (k: ParamField) => string;
}

/** Thinking on/off for hybrid models, and the thinking budget where the model has one. */
export function ThinkingFields({ uid, form, set, errorText, info }: SectionProps & { info: ModelInfo | undefined }) {
  const { t } = useTranslation();
  return (
    <>
      {info?.hybridThinking && (
        <div className="field">
          <label htmlFor={`${uid}-thinking`}>{t('chat.params.thinking')}</label>
          <select id={`${uid}-thinking`} value={form.enableThinking} onChange={(e) => set('enableThinking', e.target.value)}>
            <option value="default">{t('chat.params.thinkingDefault')}</option>
            <option value="on">{t('chat.params.thinkingOn')}</option>
            <option value="off">{t('chat.params.thinkingOff')}</option>
          </select>
        </div>
      )}
      {info?.thinkingBudgetMax && (
        <ParamInput
          id={`${uid}-budget`}
          label={t('chat.params.thinkingBudget')}
          range={`1 – ${info.thinkingBudgetMax}`}
          inputMode="numeric"
          value={form.thinkingBudget}
          error={errorText('thinkingBudget')}
          onChange={(v) => set('thinkingBudget', v)}
        />
      )}
    </>
  );
}

/** Text, JSON object or JSON schema; the schema field only for the last. */
export function FormatFields({ uid, form, set, errorText }: SectionProps) {
  const { t } = useTranslation();
  return (
    <>
      <div className="field">
        <label htmlFor={`${uid}-format`}>{t('chat.params.responseFormat')}</label>
        <select id={`${uid}-format`} value={form.responseFormat} onChange={(e) => set('responseFormat', e.target.value)}>
          <option value="text">{t('chat.params.formatText')}</option>
          <option value="json_object">{t('chat.params.formatJson')}</option>
          <option value="json_schema">{t('chat.params.formatSchema')}</option>
        </select>
        {form.responseFormat === 'json_object' && <small className="muted">{t('chat.params.formatJsonHint')}</small>}
        {form.responseFormat === 'json_schema' && <small className="muted">{t('chat.params.formatSchemaHint')}</small>}
      </div>
      {form.responseFormat === 'json_schema' && (
        <ParamInput id={`${uid}-schema`} label={t('chat.params.jsonSchema')} rows={5} spellCheck={false} value={form.jsonSchema} error={errorText('jsonSchema')} onChange={(v) => set('jsonSchema', v)} />
      )}
    </>
  );
}
