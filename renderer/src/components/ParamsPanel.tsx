import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatParams, Conversation } from '../../../electron/contract/index.ts';
import { useApp } from '../stores/app.ts';
import { useChat } from '../stores/chat.ts';
import { formOf, validateParams, type ParamField, type ParamsForm } from './params.ts';
import { ToolSettings } from './ToolSettings.tsx'; // which built-in tools this conversation offers the model

const FIELDS: { key: Exclude<ParamField, 'stop'>; hint: string; mode: 'decimal' | 'numeric' }[] = [
  { key: 'temperature', hint: '[0, 2)', mode: 'decimal' },
  { key: 'topP', hint: '(0, 1]', mode: 'decimal' },
  { key: 'maxTokens', hint: '≥ 1', mode: 'numeric' },
  { key: 'presencePenalty', hint: '[-2, 2]', mode: 'decimal' },
  { key: 'seed', hint: '≥ 0', mode: 'numeric' },
];

const KEYS: (keyof ChatParams)[] = ['temperature', 'topP', 'maxTokens', 'presencePenalty', 'seed', 'stop', 'enableThinking', 'thinkingBudget', 'responseFormat', 'jsonSchema'];
const same = (a: ChatParams, b: ChatParams) => KEYS.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));

/**
 * System prompt and sampling parameters of the open conversation. Valid values are saved as they
 * are typed; an invalid one gets an inline message, is not saved, and blocks sending until fixed.
 */
export function ParamsPanel({ conversation, onClose }: { conversation: Conversation; onClose: () => void }) {
  const { t } = useTranslation();
  const uid = useId();
  const providers = useApp((s) => s.providers);
  const defaultModel = useApp((s) => s.settings?.defaultModel ?? null);
  const [form, setForm] = useState<ParamsForm>(() => formOf(conversation.params));
  const [system, setSystem] = useState(conversation.systemPrompt);
  const providerId = conversation.providerId ?? defaultModel?.providerId;
  const modelId = conversation.modelId ?? defaultModel?.modelId;
  const info = providers.find((p) => p.id === providerId)?.models.find((m) => m.id === modelId);
  const { params, errors } = validateParams(form, info);
  const invalid = Object.keys(errors).length > 0;
  const stored = conversation.params;

  useEffect(() => {
    useChat.getState().setParamsInvalid(invalid);
  }, [invalid]);
  // Closing the panel drops what was typed there; the saved values are valid.
  useEffect(() => () => useChat.getState().setParamsInvalid(false), []);

  // The composer's thinking toggle changes the same parameter: follow it instead of writing it back.
  const [seenThinking, setSeenThinking] = useState(stored.enableThinking);
  if (stored.enableThinking !== seenThinking) {
    setSeenThinking(stored.enableThinking);
    setForm((f) => ({ ...f, enableThinking: stored.enableThinking === undefined ? 'default' : stored.enableThinking ? 'on' : 'off' }));
  }

  useEffect(() => {
    if (invalid || same(params, stored)) return;
    // The tool settings are saved by their own section; this form must not drop them.
    // Web search is the composer's switch; keep it too.
    const keep = { ...(stored.tools ? { tools: stored.tools } : {}), ...(stored.enableSearch !== undefined ? { enableSearch: stored.enableSearch } : {}) };
    const id = setTimeout(() => void useChat.getState().updateSettings({ params: { ...params, ...keep } }), 300);
    return () => clearTimeout(id);
    // `params` is rebuilt on every render; its content is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify(params), invalid, stored]);

  useEffect(() => {
    if (system === conversation.systemPrompt) return;
    const id = setTimeout(() => void useChat.getState().updateSettings({ systemPrompt: system }), 500);
    return () => clearTimeout(id);
  }, [system, conversation.systemPrompt]);

  const set = (k: keyof ParamsForm, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const errorText = (k: ParamField) => {
    const e = errors[k];
    return e ? t(`chat.params.errors.${e}`, { max: (k === 'thinkingBudget' ? info?.thinkingBudgetMax : info?.maxOutput) ?? 0 }) : '';
  };

  return (
    <aside className="params-panel" id="conversation-settings" aria-labelledby={`${uid}-title`}>
      <div className="params-head">
        <h2 id={`${uid}-title`}>{t('chat.params.title')}</h2>
        <button type="button" className="icon" aria-label={t('chat.params.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <label className="field">
        <span>{t('chat.params.systemPrompt')}</span>
        <textarea rows={5} value={system} placeholder={t('chat.params.systemPromptHint')} onChange={(e) => setSystem(e.target.value)} />
      </label>
      <p className="params-note">{t('chat.params.defaultHint')}</p>
      <div className="params-grid">
        {FIELDS.map(({ key, hint, mode }) => {
          const err = errorText(key);
          return (
            <div className="field" key={key}>
              <label htmlFor={`${uid}-${key}`}>
                {t(`chat.params.${key}`)} <span className="range">{key === 'maxTokens' && info?.maxOutput ? `1 – ${info.maxOutput}` : hint}</span>
              </label>
              <input
                id={`${uid}-${key}`}
                inputMode={mode}
                value={form[key]}
                aria-invalid={err ? true : undefined}
                aria-describedby={err ? `${uid}-${key}-error` : undefined}
                onChange={(e) => set(key, e.target.value)}
              />
              {err && (
                <p id={`${uid}-${key}-error`} className="field-error" role="alert">
                  {err}
                </p>
              )}
            </div>
          );
        })}
      </div>
      <div className="field">
        <label htmlFor={`${uid}-stop`}>
          {t('chat.params.stop')} <span className="range">{t('chat.params.stopHint')}</span>
        </label>
        <textarea
          id={`${uid}-stop`}
          rows={3}
          value={form.stop}
          aria-invalid={errors.stop ? true : undefined}
          aria-describedby={errors.stop ? `${uid}-stop-error` : undefined}
          onChange={(e) => set('stop', e.target.value)}
        />
        {errors.stop && (
          <p id={`${uid}-stop-error`} className="field-error" role="alert">
            {errorText('stop')}
          </p>
        )}
      </div>
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
        <div className="field">
          <label htmlFor={`${uid}-budget`}>
            {t('chat.params.thinkingBudget')} <span className="range">{`1 – ${info.thinkingBudgetMax}`}</span>
          </label>
          <input
            id={`${uid}-budget`}
            inputMode="numeric"
            value={form.thinkingBudget}
            aria-invalid={errors.thinkingBudget ? true : undefined}
            aria-describedby={errors.thinkingBudget ? `${uid}-budget-error` : undefined}
            onChange={(e) => set('thinkingBudget', e.target.value)}
          />
          {errors.thinkingBudget && (
            <p id={`${uid}-budget-error`} className="field-error" role="alert">
              {errorText('thinkingBudget')}
            </p>
          )}
        </div>
      )}
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
        <div className="field">
          <label htmlFor={`${uid}-schema`}>{t('chat.params.jsonSchema')}</label>
          <textarea
            id={`${uid}-schema`}
            rows={5}
            spellCheck={false}
            value={form.jsonSchema}
            aria-invalid={errors.jsonSchema ? true : undefined}
            aria-describedby={errors.jsonSchema ? `${uid}-schema-error` : undefined}
            onChange={(e) => set('jsonSchema', e.target.value)}
          />
          {errors.jsonSchema && (
            <p id={`${uid}-schema-error`} className="field-error" role="alert">
              {errorText('jsonSchema')}
            </p>
          )}
        </div>
      )}
      <ToolSettings conversation={conversation} model={info} />
      {invalid && <p className="params-invalid">{t('chat.params.invalidNotice')}</p>}
    </aside>
  );
}
