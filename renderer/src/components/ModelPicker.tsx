import { useTranslation } from 'react-i18next';
import { useApp } from '../stores/app.ts';
import { useChat } from '../stores/chat.ts';

/** Provider/model for the open conversation; can change at any time, even mid-conversation. */
export function ModelPicker() {
  const { t } = useTranslation();
  const providers = useApp((s) => s.providers);
  const settings = useApp((s) => s.settings);
  const conversation = useChat((s) => s.conversation);
  const current = conversation?.providerId && conversation.modelId
    ? `${conversation.providerId}\u0000${conversation.modelId}`
    : settings?.defaultModel
      ? `${settings.defaultModel.providerId}\u0000${settings.defaultModel.modelId}`
      : '';
  return (
    <select
      className="model-picker"
      aria-label={t('chat.model')}
      value={current}
      onChange={(e) => {
        const [providerId, modelId] = e.target.value.split('\u0000') as [string, string];
        void useChat.getState().setModel({ providerId, modelId });
      }}
    >
      {current === '' && <option value="">{t('chat.noModel')}</option>}
      {providers
        .filter((p) => p.enabled)
        .map((p) => (
          <optgroup key={p.id} label={p.name}>
            {p.models.map((m) => (
              <option key={m.id} value={`${p.id}\u0000${m.id}`}>
                {m.label ?? m.id}
              </option>
            ))}
            {current.startsWith(`${p.id}\u0000`) && !p.models.some((m) => current === `${p.id}\u0000${m.id}`) && (
              <option value={current}>{current.split('\u0000')[1]}</option>
            )}
          </optgroup>
        ))}
    </select>
  );
}
