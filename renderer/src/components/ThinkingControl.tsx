// The composer's per-conversation switches for the conversation's model: web search where Model
// Studio offers it (`enableSearch`, sent as `enable_search`), and thinking. Hybrid models get a toggle that
// sets `enableThinking` in the conversation's parameters (main sends it as `enable_thinking`);
// thinking-only models are marked as such (they always reason and are always streamed); other
// models show nothing. Which model is which comes from main's model-family table.
import { useTranslation } from 'react-i18next';
import { useApp } from '../stores/app.ts';
import { useChat } from '../stores/chat.ts';

export function ThinkingControl() {
  const { t } = useTranslation();
  const conversation = useChat((s) => s.conversation);
  const providers = useApp((s) => s.providers);
  const defaultModel = useApp((s) => s.settings?.defaultModel ?? null);
  if (!conversation) return null;
  const providerId = conversation.providerId ?? defaultModel?.providerId;
  const modelId = conversation.modelId ?? defaultModel?.modelId;
  const provider = providers.find((p) => p.id === providerId);
  const info = provider?.models.find((m) => m.id === modelId);
  const params = conversation.params;
  const search = info?.webSearch ? (
    <button
      type="button"
      className="composer-switch"
      aria-pressed={params.enableSearch === true}
      title={t('chat.thinkingControl.searchHint')}
      onClick={() => void useChat.getState().updateSettings({ params: { ...params, enableSearch: !params.enableSearch } })}
    >
      {t('chat.thinkingControl.search')}
    </button>
  ) : null;
  if (info?.thinking === 'always') {
    return (
      <>
        {search}
        <span className="thinking-mark" title={t('chat.thinkingControl.alwaysHint')}>
          {t('chat.thinkingControl.always')}
        </span>
      </>
    );
  }
  // W&B documents no thinking switch: Kaiwa sends none there, so it offers none.
  if (info?.thinking !== 'hybrid' || provider?.kind === 'wandb') return search;
  const on = params.enableThinking ?? info.thinkingDefault ?? false;
  return (
    <>
      {search}
      <button
        type="button"
        className="composer-switch"
        aria-pressed={on}
        title={t('chat.thinkingControl.toggleHint')}
        onClick={() => void useChat.getState().updateSettings({ params: { ...params, enableThinking: !on } })}
      >
        {t('chat.thinkingControl.toggle')}
      </button>
    </>
  );
}
