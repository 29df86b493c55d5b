import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError, ModelInfo, ProviderView } from '../../../../electron/contract/index.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { SettingsError } from './SettingsError.tsx';
import { CheckOutcome } from './CheckOutcome.tsx';
import { formatPrice, formatTokens, parseNumber } from './format.ts';
import { useCheck } from './useCheck.ts';

/** Rows rendered at once; a long fetched list is narrowed with the filter instead. */
const MAX_ROWS = 200;

/** The provider's models: catalogue, fetched and hand-added, with capabilities, prices and actions. */
export function ModelList({ provider }: { provider: ProviderView }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState('');
  const [newId, setNewId] = useState('');
  const [busy, setBusy] = useState<'fetch' | 'add' | null>(null);
  const [fetched, setFetched] = useState<{ added: number; gone: number } | null>(null);
  const [error, setError] = useState<KaiwaError | null>(null);

  const q = filter.trim().toLowerCase();
  const matching = q ? provider.models.filter((m) => m.id.toLowerCase().includes(q) || m.label?.toLowerCase().includes(q)) : provider.models;
  const shown = matching.slice(0, MAX_ROWS);
  const newCount = provider.models.filter((m) => m.isNew).length;

  const act = async (kind: 'fetch' | 'add' | null, fn: () => Promise<ProviderView>) => {
    setError(null);
    setBusy(kind);
    try {
      useApp.getState().setProvider(await fn());
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="model-section" aria-labelledby={`models-h-${provider.id}`}>
      <h3 id={`models-h-${provider.id}`}>{t('settings.modelsTitle', { count: provider.models.length })}</h3>
      <div className="model-toolbar">
        <input type="search" aria-label={t('settings.filterModels')} placeholder={t('settings.filterModels')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button
          type="button"
          disabled={busy !== null}
          onClick={() =>
            void act('fetch', async () => {
              const r = await call('providers.fetchModels', { id: provider.id });
              setFetched({ added: r.added.length, gone: r.gone.length });
              return r.provider;
            })
          }
        >
          {busy === 'fetch' ? t('settings.fetching') : t('settings.fetchModels')}
        </button>
        {newCount > 0 && (
          <button type="button" onClick={() => void act(null, () => call('providers.markModelsSeen', { id: provider.id }))}>
            {t('settings.markSeen')}
          </button>
        )}
      </div>
      <form
        className="model-add"
        aria-label={t('settings.addModelForm')}
        onSubmit={(e) => {
          e.preventDefault();
          const id = newId.trim();
          if (!id) return;
          void act('add', async () => {
            const p = await call('providers.addModel', { id: provider.id, modelId: id });
            setNewId('');
            return p;
          });
        }}
      >
        <input aria-label={t('settings.modelIdToAdd')} placeholder={t('settings.modelIdPlaceholder')} value={newId} onChange={(e) => setNewId(e.target.value)} spellCheck={false} />
        <button type="submit" disabled={busy !== null || !newId.trim()}>
          {t('settings.addModel')}
        </button>
      </form>
      {fetched !== null && (
        <p className="muted" role="status">
          {fetched.added ? t('settings.fetchedNew', { count: fetched.added }) : t('settings.fetchedNone')}
          {fetched.gone > 0 && ` ${t('settings.fetchedGone', { count: fetched.gone })}`}
        </p>
      )}
      {error && <SettingsError error={error} />}
      <ul className="model-list" aria-label={t('settings.models')}>
        {shown.map((m) => (
          <ModelRow key={m.id} provider={provider} m={m} />
        ))}
      </ul>
      {matching.length > shown.length && <p className="muted">{t('settings.moreModels', { shown: shown.length, total: matching.length })}</p>}
      {matching.length === 0 && <p className="muted">{t('settings.noModelsMatch')}</p>}
    </section>
  );
}

function Badges({ m, kind }: { m: ModelInfo; kind: ProviderView['kind'] }) {
  const { t } = useTranslation();
  const price =
    m.inputPrice != null && m.outputPrice != null
      ? t('settings.badge.price', { input: formatPrice(m.inputPrice), output: formatPrice(m.outputPrice) })
      : m.inputPrice === null && kind === 'modelscope'
        ? t('settings.badge.freeTier')
        : null;
  return (
    <span className="badges">
      {m.isNew && <span className="badge new">{t('settings.badge.new')}</span>}
      {m.gone && (
        <span className="badge gone" title={t('settings.badge.goneHint')}>
          {t('settings.badge.gone')}
        </span>
      )}
      {m.source !== 'preset' && <span className="badge">{t(`settings.badge.${m.source}`)}</span>}
      {m.group && <span className="badge">{t(`settings.badge.group.${m.group}`, { defaultValue: m.group })}</span>}
      {m.reasoning && <span className="badge cap">{m.hybridThinking ? t('settings.badge.hybrid') : t('settings.badge.reasoning')}</span>}
      {m.toolUse && <span className="badge cap">{t('settings.badge.tools')}</span>}
      {m.imageInput && <span className="badge cap">{t('settings.badge.image')}</span>}
      {m.contextWindow && (
        <span className="badge" title={m.contextWindow.toLocaleString()}>
          {t('settings.badge.context', { n: formatTokens(m.contextWindow) })}
        </span>
      )}
      {m.maxOutput && (
        <span className="badge" title={m.maxOutput.toLocaleString()}>
          {t('settings.badge.maxOutput', { n: formatTokens(m.maxOutput) })}
        </span>
      )}
      {price && <span className="badge price">{price}</span>}
      {m.edited && <span className="badge edited">{t('settings.badge.edited')}</span>}
    </span>
  );
}

const FLAGS = ['reasoning', 'hybridThinking', 'toolUse', 'imageInput'] as const;
type Flags = Record<(typeof FLAGS)[number], boolean>;

function flagsOf(m: ModelInfo): Flags {
  return { reasoning: !!m.reasoning, hybridThinking: !!m.hybridThinking, toolUse: !!m.toolUse, imageInput: !!m.imageInput };
}

/** Only the flags the user changed become overrides: the catalogue keeps deciding the rest. */
function changedFlags(m: ModelInfo, f: Flags): Partial<Flags> {
  const was = flagsOf(m);
  return Object.fromEntries(FLAGS.filter((k) => f[k] !== was[k]).map((k) => [k, f[k]]));
}

function ModelRow({ provider, m }: { provider: ProviderView; m: ModelInfo }) {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const isDefault = settings?.defaultModel?.providerId === provider.id && settings.defaultModel.modelId === m.id;
  const [check, runCheck] = useCheck(provider.id);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<KaiwaError | null>(null);

  const run = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(errorInfo(err));
    }
  };

  return (
    <li className={isDefault ? 'model-row default' : 'model-row'} aria-label={m.id}>
      <div className="model-line">
        <span className="model-id">
          <code>{m.label ?? m.id}</code>
          {isDefault && <span className="badge default">{t('settings.badge.default')}</span>}
        </span>
        <Badges m={m} kind={provider.kind} />
        <span className="model-actions">
          <button type="button" aria-label={t('settings.checkModelLabel', { model: m.id })} disabled={check?.busy === true} onClick={() => void runCheck({ modelId: m.id })}>
            {t('settings.check')}
          </button>
          {!isDefault && (
            <button
              type="button"
              aria-label={t('settings.useAsDefaultLabel', { model: m.id })}
              onClick={() =>
                void run(async () => {
                  useApp.getState().setSettings(await call('settings.update', { defaultModel: { providerId: provider.id, modelId: m.id } }));
                })
              }
            >
              {t('settings.useAsDefault')}
            </button>
          )}
          <button type="button" aria-label={t('settings.editPriceLabel', { model: m.id })} aria-expanded={editing} onClick={() => setEditing(!editing)}>
            {t('settings.editPrice')}
          </button>
          {m.source !== 'preset' && (
            <button
              type="button"
              aria-label={t('settings.removeModelLabel', { model: m.id })}
              onClick={() => void run(async () => useApp.getState().setProvider(await call('providers.removeModel', { id: provider.id, modelId: m.id })))}
            >
              {t('settings.remove')}
            </button>
          )}
        </span>
      </div>
      {editing && <PriceEditor provider={provider} m={m} run={run} close={() => setEditing(false)} />}
      <CheckOutcome state={check} />
      {error && <SettingsError error={error} />}
    </li>
  );
}

/** Prices and capability flags of one model, as overrides; opened with the model's values now. */
function PriceEditor({ provider, m, run, close }: { provider: ProviderView; m: ModelInfo; run: (fn: () => Promise<void>) => Promise<void>; close: () => void }) {
  const { t } = useTranslation();
  const [inp, setInp] = useState(m.inputPrice != null ? String(m.inputPrice) : '');
  const [outp, setOutp] = useState(m.outputPrice != null ? String(m.outputPrice) : '');
  const [flags, setFlags] = useState<Flags>(() => flagsOf(m));
  const priceProblem = [inp, outp].some((s) => s.trim() !== '' && (parseNumber(s) === undefined || parseNumber(s)! < 0));
  return (
    <form
      className="price-editor"
      aria-label={t('settings.priceFormLabel', { model: m.id })}
      onSubmit={(e) => {
        e.preventDefault();
        if (priceProblem) return;
        void run(async () => {
          const toPrice = (s: string) => (s.trim() === '' ? null : parseNumber(s)!);
          useApp.getState().setProvider(await call('providers.updateModel', { id: provider.id, modelId: m.id, inputPrice: toPrice(inp), outputPrice: toPrice(outp), ...changedFlags(m, flags) }));
          close();
        });
      }}
    >
      <label>
        <span>{t('settings.inputPrice')}</span>
        <input type="number" min={0} step="any" value={inp} onChange={(e) => setInp(e.target.value)} />
      </label>
      <label>
        <span>{t('settings.outputPrice')}</span>
        <input type="number" min={0} step="any" value={outp} onChange={(e) => setOutp(e.target.value)} />
      </label>
      <fieldset className="cap-flags">
        <legend>{t('settings.capabilities')}</legend>
        {FLAGS.map((f) => (
          <label key={f}>
            <input type="checkbox" checked={flags[f]} onChange={(e) => setFlags({ ...flags, [f]: e.target.checked })} />
            {t(`settings.cap.${f}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary" disabled={priceProblem}>
        {t('settings.savePrice')}
      </button>
      {m.edited && (
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              useApp.getState().setProvider(await call('providers.updateModel', { id: provider.id, modelId: m.id, reset: true }));
              close();
            })
          }
        >
          {t('settings.resetPrice')}
        </button>
      )}
      <small className="muted">{t('settings.priceHint')}</small>
    </form>
  );
}
