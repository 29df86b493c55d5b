import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelRef, ProviderView } from '../../../electron/contract/index.ts';
import { useApp } from '../stores/app.ts';

export interface ModelOption extends ModelRef {
  label: string;
  providerName: string;
}

/** Models that can answer right now: enabled providers with a key (custom endpoints may need none). */
export function configuredModels(providers: ProviderView[]): ModelOption[] {
  return providers
    .filter((p) => p.enabled && (p.keys.length > 0 || p.kind === 'custom'))
    .flatMap((p) => p.models.map((m) => ({ providerId: p.id, modelId: m.id, label: m.label ?? m.id, providerName: p.name })));
}

/** One click to ask again with another configured model. */
export function SwitchModelMenu({ exclude, onPick }: { exclude?: ModelRef | undefined; onPick: (ref: ModelRef) => void }) {
  const { t } = useTranslation();
  const providers = useApp((s) => s.providers);
  const go = useApp((s) => s.go);
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const options = configuredModels(providers).filter((o) => !(exclude && o.providerId === exclude.providerId && o.modelId === exclude.modelId));

  useEffect(() => {
    if (!open) return;
    wrap.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const outside = (e: MouseEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(wrap.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = items[(at + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length];
      next?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    }
  };

  return (
    <div className="menu-wrap" ref={wrap}>
      <button ref={button} type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('actions.switch_model')}
      </button>
      {open && (
        <div className="menu" role="menu" aria-label={t('chat.switchModel.menu')} onKeyDown={onKeyDown}>
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
