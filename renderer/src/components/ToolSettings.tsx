// The Tools section of the conversation settings: which built-in tools this conversation offers the
// model, whether definitions go to a model whose metadata does not list tool use, and the round
// limit. Saved at once, with the user's time zone for the date/time tool.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BuiltinToolName, Conversation, ModelInfo, ToolSettings as Settings } from '../../../electron/contract/index.ts';
import { useChat } from '../stores/chat.ts';
import '../styles/tools.css';

const TOOLS: BuiltinToolName[] = ['get_current_time', 'calculate', 'fetch_url'];
const ROUNDS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20];
const DEFAULT_ROUNDS = 5;

export function ToolSettings({ conversation, model }: { conversation: Conversation; model: ModelInfo | undefined }) {
  const { t } = useTranslation();
  const uid = useId();
  // Shown as chosen at once; the conversation's stored copy follows when the save returns.
  const [tools, setTools] = useState<Settings>(() => conversation.params.tools ?? {});
  const enabled = new Set(tools.enabled ?? []);
  const send = tools.send ?? 'auto';
  const sent = enabled.size > 0 && (send === 'always' || (send === 'auto' && !!model?.toolUse));

  const save = (patch: Partial<Settings>) => {
    const next: Settings = { ...tools, ...patch, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
    setTools(next);
    void useChat.getState().updateSettings({ params: { ...conversation.params, tools: next } });
  };
  const toggle = (name: BuiltinToolName, on: boolean) => save({ enabled: TOOLS.filter((n) => (n === name ? on : enabled.has(n))) });

  return (
    <fieldset className="tool-settings">
      <legend>{t('tools.settings.title')}</legend>
      {TOOLS.map((name) => (
        <div key={name} className="tool-toggle">
          <input
            id={`${uid}-${name}`}
            type="checkbox"
            checked={enabled.has(name)}
            aria-describedby={`${uid}-${name}-hint`}
            onChange={(e) => toggle(name, e.target.checked)}
          />
          <label htmlFor={`${uid}-${name}`}>
            {t(`tools.names.${name}`)}
            <span id={`${uid}-${name}-hint`} className="tool-toggle-hint">
              {t(`tools.settings.hints.${name}`)}
            </span>
          </label>
        </div>
      ))}
      <div className="field">
        <label htmlFor={`${uid}-send`}>{t('tools.settings.send')}</label>
        <select id={`${uid}-send`} value={send} onChange={(e) => save({ send: e.target.value as Settings['send'] })}>
          <option value="auto">{t('tools.settings.sendAuto')}</option>
          <option value="always">{t('tools.settings.sendAlways')}</option>
          <option value="never">{t('tools.settings.sendNever')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${uid}-rounds`}>{t('tools.settings.rounds')}</label>
        <select id={`${uid}-rounds`} value={tools.maxRounds ?? DEFAULT_ROUNDS} onChange={(e) => save({ maxRounds: Number(e.target.value) })}>
          {ROUNDS.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <p className="params-note tool-settings-note" role="status">
        <span>{model?.toolUse ? t('tools.settings.modelSupports') : t('tools.settings.modelUnknown')}</span>
        <span>{enabled.size === 0 ? t('tools.settings.noneOn') : sent ? t('tools.settings.willSend') : t('tools.settings.wontSend')}</span>
      </p>
    </fieldset>
  );
}
