import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashscopeRegion, KaiwaError, ModelscopeSite, ProviderView } from '../../../../electron/contract/index.ts';
import { baseUrlProblem } from '../../../../electron/contract/base-url.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { SettingsError } from './SettingsError.tsx';
import { parseNumber, previewRequestUrl } from './format.ts';
import { headerProblems, headerRows, HeadersEditor, rowsToPatch, type HeaderRow } from './HeadersEditor.tsx';
import { KeyList } from './KeyList.tsx';
import { QuotaSettings } from '../quota/QuotaSettings.tsx';

const REGIONS: DashscopeRegion[] = ['singapore', 'us', 'beijing'];
const SITES: ModelscopeSite[] = ['cn', 'intl'];
const trimUrl = (u: string) => u.trim().replace(/\/+$/, '');

/**
 * Keys, default model and connection of one provider, saved together with one button. The key
 * field is uncontrolled on purpose: a pasted key lives only in the input's value until Save sends
 * it to main, never in React state, attributes or text nodes.
 */
export function ProviderForm({ provider }: { provider: ProviderView }) {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const isDefaultProvider = settings?.defaultModel?.providerId === provider.id;
  const keysRef = useRef<HTMLTextAreaElement>(null);
  const [name, setName] = useState(provider.name);
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl);
  const [region, setRegion] = useState<DashscopeRegion>(provider.region ?? 'singapore');
  // "Other endpoint": a workspace host or another region's URL, typed into the base URL field.
  const [otherEndpoint, setOtherEndpoint] = useState(() => !!provider.regionBaseUrls && !Object.values(provider.regionBaseUrls).includes(trimUrl(provider.baseUrl)));
  const [site, setSite] = useState<ModelscopeSite>(provider.site ?? 'cn');
  const [project, setProject] = useState(provider.project ?? '');
  const [headers, setHeaders] = useState<HeaderRow[]>(() => headerRows(provider));
  const [timeoutSec, setTimeoutSec] = useState(String(provider.timeoutSec));
  const [maxRetries, setMaxRetries] = useState(String(provider.maxRetries));
  const [modelId, setModelId] = useState(isDefaultProvider ? settings!.defaultModel!.modelId : '');
  const [error, setError] = useState<KaiwaError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const dirty = () => setSaved(false);
  const preview = previewRequestUrl(baseUrl);
  const regionUrls = provider.regionBaseUrls;
  const siteUrls = provider.siteBaseUrls;
  const defaultUrl = regionUrls ? regionUrls[region] : siteUrls ? siteUrls[site] : provider.defaultBaseUrl;
  const looksLikeEndpoint = /\/chat\/completions\/?$/.test(baseUrl.trim());
  const urlProblem = baseUrlProblem(baseUrl);
  const detachedKeys = provider.keys.filter((k) => k.detached).length;

  const changeRegion = (next: DashscopeRegion | 'other') => {
    dirty();
    setOtherEndpoint(next === 'other');
    if (next === 'other') return;
    // The base URL follows the region unless the user pointed it somewhere else.
    if (regionUrls && (Object.values(regionUrls).includes(trimUrl(baseUrl)) || baseUrl.trim() === '' || otherEndpoint)) setBaseUrl(regionUrls[next]);
    setRegion(next);
  };

  const changeSite = (next: ModelscopeSite) => {
    // Like the region: the base URL follows the site unless it points at a proxy or mirror.
    if (siteUrls && (Object.values(siteUrls).includes(trimUrl(baseUrl)) || baseUrl.trim() === '')) setBaseUrl(siteUrls[next]);
    setSite(next);
    dirty();
  };

  const save = async () => {
    setError(null);
    setProblem(null);
    if (!preview) return setProblem(t('settings.problemUrl'));
    if (urlProblem) return setProblem(t(`settings.baseUrlProblem.${urlProblem}`));
    if (headerProblems(headers).size) return setProblem(t('settings.problemHeaders'));
    const timeout = parseNumber(timeoutSec);
    const retries = parseNumber(maxRetries);
    if (timeout === undefined || !Number.isInteger(timeout) || timeout < 1 || timeout > 3600) return setProblem(t('settings.problemTimeout'));
    if (retries === undefined || !Number.isInteger(retries) || retries < 0 || retries > 10) return setProblem(t('settings.problemRetries'));
    setBusy(true);
    try {
      const url = baseUrl.trim().replace(/\/+$/, '');
      let p = await call('providers.update', {
        id: provider.id,
        ...(provider.kind === 'custom' && name.trim() ? { name: name.trim() } : {}),
        baseUrl: url === defaultUrl ? null : url,
        ...(provider.kind === 'dashscope' ? { region } : {}),
        ...(provider.kind === 'modelscope' ? { site } : {}),
        ...(provider.kind === 'wandb' ? { project: project.trim() } : {}),
        ...rowsToPatch(headers),
        timeoutSec: timeout,
        maxRetries: retries,
      });
      const keys = keysRef.current?.value ?? '';
      if (keys.trim()) {
        p = await call('providers.setKeys', { id: provider.id, keys, mode: 'append' });
        if (keysRef.current) keysRef.current.value = '';
        // The first key: bring the catalogue up to date with what the provider lists now.
        if (!provider.keys.length) p = await call('providers.fetchModels', { id: provider.id }).then((r) => r.provider, () => p);
      }
      const wanted = modelId.trim();
      if (wanted && !(isDefaultProvider && settings?.defaultModel?.modelId === wanted)) {
        useApp.getState().setSettings(await call('settings.update', { defaultModel: { providerId: provider.id, modelId: wanted } }));
        p = await call('providers.list', {}).then((all) => all.find((x) => x.id === provider.id) ?? p);
      }
      useApp.getState().setProvider(p);
      setBaseUrl(p.baseUrl);
      setHeaders(headerRows(p));
      if (p.region) setRegion(p.region);
      setSaved(true);
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="provider-form"
      aria-label={provider.name}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {provider.kind === 'custom' && (
        <label className="field">
          <span>{t('settings.name')}</span>
          <input value={name} onChange={(e) => (setName(e.target.value), dirty())} maxLength={200} />
        </label>
      )}

      <h3>{t('settings.keysSection')}</h3>
      {detachedKeys > 0 && (
        <p className="detached-notice" role="note">
          {t('settings.keysDetachedNotice', { count: detachedKeys })}
        </p>
      )}
      <KeyList provider={provider} />
      <label className="field">
        <span>{t('settings.apiKeys')}</span>
        <textarea
          ref={keysRef}
          onInput={dirty}
          rows={2}
          spellCheck={false}
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          data-1p-ignore
          className="secret"
          placeholder={provider.keys.length ? t('settings.addKeysPlaceholder') : t('settings.keysPlaceholder')}
        />
      </label>
      <p className="muted">
        {provider.keys.length ? t('settings.keysSet', { count: provider.keys.length }) : provider.kind === 'custom' ? t('settings.noKeysOptional') : t('settings.noKeys')} — {t('settings.apiKeysHint')}
      </p>

      <label className="field">
        <span>{t('settings.defaultModel')}</span>
        <input
          list={`models-${provider.id}`}
          value={modelId}
          placeholder={t('settings.defaultModelPlaceholder')}
          onChange={(e) => (setModelId(e.target.value), dirty())}
          spellCheck={false}
        />
        <datalist id={`models-${provider.id}`}>
          {provider.models.map((m) => (
            <option key={m.id} value={m.id} />
          ))}
        </datalist>
      </label>
      {!isDefaultProvider && settings?.defaultModel && <p className="muted">{t('settings.defaultElsewhere', { model: settings.defaultModel.modelId })}</p>}

      <h3>{t('settings.connection')}</h3>
      {provider.kind === 'modelscope' && siteUrls && (
        <label className="field">
          <span>{t('settings.site')}</span>
          <select value={site} onChange={(e) => changeSite(e.target.value as ModelscopeSite)}>
            {SITES.map((s) => (
              <option key={s} value={s}>
                {t(`settings.sites.${s}`)}
              </option>
            ))}
          </select>
          <small className="muted">{t('settings.siteHint')}</small>
        </label>
      )}
      {provider.kind === 'dashscope' && (
        <label className="field">
          <span>{t('settings.region')}</span>
          <select value={otherEndpoint ? 'other' : region} onChange={(e) => changeRegion(e.target.value as DashscopeRegion | 'other')}>
            {REGIONS.map((r) => (
              <option key={r} value={r}>
                {t(`settings.regions.${r}`)}
              </option>
            ))}
            <option value="other">{t('settings.regions.other')}</option>
          </select>
          {otherEndpoint && <small className="muted">{t('settings.otherEndpointHint')}</small>}
        </label>
      )}
      <div className="field">
        <label htmlFor={`base-${provider.id}`}>
          <span>{t('settings.baseUrl')}</span>
        </label>
        <div className="inline">
          <input
            id={`base-${provider.id}`}
            type="url"
            value={baseUrl}
            onChange={(e) => (setBaseUrl(e.target.value), dirty())}
            spellCheck={false}
            aria-invalid={urlProblem ? true : undefined}
            aria-describedby={`preview-${provider.id}`}
          />
          {defaultUrl && (
            <button type="button" onClick={() => (setBaseUrl(defaultUrl), dirty())} disabled={baseUrl.trim().replace(/\/+$/, '') === defaultUrl}>
              {t('settings.resetBaseUrl')}
            </button>
          )}
        </div>
      </div>
      <p className="muted request-preview" id={`preview-${provider.id}`}>
        {t('settings.requestUrl')} <code data-testid="request-url">{preview ?? t('settings.invalidUrl')}</code>
      </p>
      {looksLikeEndpoint && <p className="field-problem">{t('settings.endpointHint')}</p>}
      {urlProblem && <p className="field-problem">{t(`settings.baseUrlProblem.${urlProblem}`)}</p>}

      {provider.kind === 'wandb' && (
        <label className="field">
          <span>{t('settings.project')}</span>
          <input value={project} onChange={(e) => (setProject(e.target.value), dirty())} placeholder={t('settings.placeholders.project')} spellCheck={false} />
          <small className="muted">{t('settings.projectHint')}</small>
        </label>
      )}

      <div className="field-row">
        <label className="field small">
          <span>{t('settings.timeout')}</span>
          <input type="number" min={1} max={3600} step={1} value={timeoutSec} onChange={(e) => (setTimeoutSec(e.target.value), dirty())} />
        </label>
        <label className="field small">
          <span>{t('settings.maxRetries')}</span>
          <input type="number" min={0} max={10} step={1} value={maxRetries} onChange={(e) => (setMaxRetries(e.target.value), dirty())} />
        </label>
      </div>
      <p className="muted">{t('settings.timeoutHint')}</p>

      <HeadersEditor rows={headers} onChange={(r) => (setHeaders(r), dirty())} />

      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('settings.save')}
        </button>
        {saved && (
          <span role="status" className="ok">
            {t('settings.saved')}
          </span>
        )}
      </div>
      {provider.kind === 'modelscope' && <QuotaSettings />} {/* ModelScope only: the free tier the local quota estimate counts against */}
      {problem && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
      {error && <SettingsError error={error} />}
    </form>
  );
}
