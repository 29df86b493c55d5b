import { useTranslation } from 'react-i18next';
import type { ModelRef, ProviderView } from '../../../electron/contract/index.ts';
import { useApp } from '../stores/app.ts';
import { useMenuButton } from './useMenuButton.ts';
import { usableKeys } from './settings/format.ts';

export interface ModelOption extends ModelRef {
  label: string;
  providerName: string;
}

/** Models that can answer right now: enabled providers with a key (custom endpoints may need none). */
export function configuredModels(providers: ProviderView[]): ModelOption[] {
  return providers
    .filter((p) => p.enabled && (usableKeys(p.keys).length > 0 || p.kind === 'custom'))
    .flatMap((p) => p.models.map((m) => ({ providerId: p.id, modelId: m.id, label: m.label ?? m.id, providerName: p.name })));
}

/** One click to ask again with another configured model. */
export function SwitchModelMenu({ exclude, onPick }: { exclude?: ModelRef | undefined; onPick: (ref: ModelRef) => void }) {
  const { t } = useTranslation();
  const providers = useApp((s) => s.providers);
  const go = useApp((s) => s.go);
  const { open, setOpen, button, menu, onKeyDown } = useMenuButton<HTMLDivElement>();
  const options = configuredModels(providers).filter((o) => !(exclude && o.providerId === exclude.providerId && o.modelId === exclude.modelId));

  return (
    <div className="menu-wrap">
      <button ref={button} type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('actions.switch_model')}
      </button>
      {open && (
        <div ref={menu} className="menu" role="menu" aria-label={t('chat.switchModel.menu')} onKeyDown={onKeyDown}>
          {options.map((o) => (
            <button
              key={`${o.providerId}\u0000${o.modelId}`}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                setOpen(false);
                onPick({ providerId: o.providerId, modelId: o.modelId });
              }}
            >
              <span className="menu-model">{o.label}</span> <span className="menu-provider">{o.providerName}</span>
            </button>
          ))}
          {options.length === 0 && (
            <button type="button" role="menuitem" tabIndex={-1} onClick={() => go('settings')}>
              {t('chat.switchModel.none')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
