import { useEffect, useId, useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatParams, Conversation } from '../../../electron/contract/index.ts';
import { useApp } from '../stores/app.ts';
import { useChat } from '../stores/chat.ts';
import { formOf, validateParams, type ParamField, type ParamsForm } from './params.ts';
import { FormatFields, ParamInput, ThinkingFields } from './ParamsFields.tsx';
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
 * Saves the form while it is typed in: valid parameters after a short pause (keeping what other
 * sections own), the system prompt likewise; and follows the composer's thinking toggle.
 */
function useParamsSaving(conversation: Conversation, form: { params: ChatParams; invalid: boolean; system: string }, setForm: Dispatch<SetStateAction<ParamsForm>>) {
  const { params, invalid, system } = form;
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
}

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
  useParamsSaving(conversation, { params, invalid, system }, setForm);

  const set = (k: keyof ParamsForm, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const errorText = (k: ParamField) => {
    const e = errors[k];
    return e ? t(`chat.params.errors.${e}`, { max: (k === 'thinkingBudget' ? info?.thinkingBudgetMax : info?.maxOutput) ?? 0 }) : '';
  };
  const section = { uid, form, set, errorText };

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
        {FIELDS.map(({ key, hint, mode }) => (
          <ParamInput
            key={key}
            id={`${uid}-${key}`}
            label={t(`chat.params.${key}`)}
            range={key === 'maxTokens' && info?.maxOutput ? `1 – ${info.maxOutput}` : hint}
            inputMode={mode}
            value={form[key]}
            error={errorText(key)}
            onChange={(v) => set(key, v)}
          />
        ))}
      </div>
      <ParamInput id={`${uid}-stop`} label={t('chat.params.stop')} range={t('chat.params.stopHint')} rows={3} value={form.stop} error={errorText('stop')} onChange={(v) => set('stop', v)} />
      <ThinkingFields {...section} info={info} />
      <FormatFields {...section} />
      <ToolSettings conversation={conversation} model={info} />
      {invalid && <p className="params-invalid">{t('chat.params.invalidNotice')}</p>}
    </aside>
  );
}
