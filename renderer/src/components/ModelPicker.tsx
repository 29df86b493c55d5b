import { useTranslation } from 'react-i18next';
import { useApp } from '../stores/app.ts';
import { useChat } from '../stores/chat.ts';
import { ModelOptionGroups, modelValue, parseModelValue } from './ModelOptions.tsx';
import { usableKeys } from './settings/format.ts';

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
  const current = modelValue(ref);
  const enabled = providers.filter((p) => p.enabled);
  const currentListed = enabled.some((p) => p.id === ref?.providerId && p.models.some((m) => m.id === ref.modelId));
  const currentProvider = providers.find((p) => p.id === ref?.providerId);
  return (
    <select
      className="model-picker"
      aria-label={t('chat.model')}
      value={current}
      onChange={(e) => void useChat.getState().setModel(parseModelValue(e.target.value))}
    >
      {current === '' && <option value="">{t('chat.noModel')}</option>}
      {/* A conversation keeps its model even when that provider was disabled or removed since. */}
      {ref && !currentListed && (
        <option value={current}>
          {currentProvider ? `${currentProvider.name} · ${ref.modelId}` : ref.modelId}
        </option>
      )}
      <ModelOptionGroups providers={enabled} groupLabel={(p) => (p.kind !== 'custom' && usableKeys(p.keys).length === 0 ? `${p.name} — ${t('settings.noKeys')}` : p.name)} />
    </select>
  );
}
