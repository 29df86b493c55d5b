import { useTranslation } from 'react-i18next';
import { useApp } from '../stores/app.ts';
import { useChat } from '../stores/chat.ts';

const SEP = '\u0000';

/**
 * Provider/model for the open conversation; can change at any time, even mid-conversation. A
 * native select grouped by provider: keyboard, type-ahead and screen readers work on lists of any
 * length. Only enabled providers are offered; one without a key says so in its group label.
 */
export function ModelPicker() {
  const { t } = useTranslation();
  const providers = useApp((s) => s.providers);
  const settings = useApp((s) => s.settings);
  const conversation = useChat((s) => s.conversation);
  const ref =
    conversation?.providerId && conversation.modelId
      ? { providerId: conversation.providerId, modelId: conversation.modelId }
      : (settings?.defaultModel ?? null);
  const current = ref ? `${ref.providerId}${SEP}${ref.modelId}` : '';
  const enabled = providers.filter((p) => p.enabled);
  const currentListed = enabled.some((p) => p.id === ref?.providerId && p.models.some((m) => m.id === ref.modelId));
  const currentProvider = providers.find((p) => p.id === ref?.providerId);
  return (
    <select
      className="model-picker"
      aria-label={t('chat.model')}
      value={current}
      onChange={(e) => {
        const [providerId, modelId] = e.target.value.split(SEP) as [string, string];
        void useChat.getState().setModel({ providerId, modelId });
      }}
    >
      {current === '' && <option value="">{t('chat.noModel')}</option>}
      {/* A conversation keeps its model even when that provider was disabled or removed since. */}
      {ref && !currentListed && (
        <option value={current}>
          {currentProvider ? `${currentProvider.name} · ${ref.modelId}` : ref.modelId}
        </option>
      )}
      {enabled.map((p) => (
        <optgroup key={p.id} label={p.kind !== 'custom' && p.keys.length === 0 ? `${p.name} — ${t('settings.noKeys')}` : p.name}>
          {p.models.map((m) => (
            <option key={m.id} value={`${p.id}${SEP}${m.id}`}>
              {m.label ?? m.id}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
