import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AboutPane } from '../components/settings/AboutPane.tsx';
import { AddProviderForm } from '../components/settings/AddProviderForm.tsx';
import { DataPane } from '../components/settings/DataPane.tsx';
import { GeneralPane } from '../components/settings/GeneralPane.tsx';
import { ProviderPane } from '../components/settings/ProviderPane.tsx';
import { VaultNote } from '../components/settings/VaultNote.tsx';
import '../components/settings/settings.css';
import { useApp } from '../stores/app.ts';
import { usableKeys } from '../components/settings/format.ts';

const GENERAL = '__general';
const DATA = '__data';
const ABOUT = '__about';
/** App-wide pages listed under the providers. */
const PAGES = [
  { id: GENERAL, label: 'settings.general', Pane: GeneralPane },
  { id: DATA, label: 'backup.nav', Pane: DataPane },
  { id: ABOUT, label: 'about.nav', Pane: AboutPane },
] as const;

export function SettingsPage() {
  const { t } = useTranslation();
  const providers = useApp((s) => s.providers);
  const chosen = useApp((s) => s.settingsProviderId);
  const selectedId = chosen ?? providers[0]?.id ?? GENERAL;
  const selected = providers.find((p) => p.id === selectedId) ?? null;
  const [adding, setAdding] = useState(false);
  const select = (id: string) => {
    setAdding(false);
    useApp.setState({ settingsProviderId: id });
  };

  // Chats may have marked a key failed since the list was loaded: show the current state.
  useEffect(() => {
    void useApp.getState().refreshProviders().catch(() => undefined);
  }, []);

  return (
    <section className="settings" aria-label={t('settings.title')}>
      <header className="chat-head">
        <h1>{t('settings.title')}</h1>
      </header>
      <div className="settings-body">
        <div className="settings-nav">
          <ul className="provider-list" aria-label={t('settings.providers')}>
            {providers.map((p) => {
              const current = !adding && p.id === selectedId;
              const state = !p.enabled ? 'off' : usableKeys(p.keys).some((k) => !k.failure) || (p.kind === 'custom' && !p.keys.length) ? 'ready' : usableKeys(p.keys).length ? 'failed' : 'nokey';
              return (
                <li key={p.id}>
                  <button type="button" className={current ? 'conversation active' : 'conversation'} aria-current={current ? 'true' : undefined} onClick={() => select(p.id)}>
                    <span className={`dot ${state}`} aria-hidden="true" />
                    {p.name}
                  </button>
                </li>
              );
            })}
            {PAGES.map(({ id, label }, i) => (
              <li key={id} className={i === 0 ? 'nav-sep' : undefined}>
                <button
                  type="button"
                  className={!adding && selectedId === id ? 'conversation active' : 'conversation'}
                  aria-current={!adding && selectedId === id ? 'true' : undefined}
                  onClick={() => select(id)}
                >
                  {t(label)}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="add-provider-btn" aria-pressed={adding} onClick={() => setAdding(true)}>
            + {t('settings.addProvider')}
          </button>
        </div>
        {/* Keyed so each page opens at its top, not at the previous page's scroll position. */}
        <div className="settings-detail" key={adding ? 'add' : selectedId}>
          {adding ? <AddProviderForm onDone={() => setAdding(false)} /> : selected ? <ProviderPane key={selected.id} provider={selected} /> : <Page id={selectedId} />}
        </div>
      </div>
      <VaultNote />
    </section>
  );
}

function Page({ id }: { id: string }) {
  const { Pane } = PAGES.find((p) => p.id === id) ?? PAGES[0];
  return <Pane />;
}
