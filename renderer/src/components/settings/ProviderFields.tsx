// The sections of one provider's settings form (ProviderForm.tsx): keys, default model, where
// requests go (site, region, base URL) and the timeout and retry limits; the form owns the state
// and the one Save button.
import { useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashscopeRegion, ModelscopeSite, ProviderView } from '../../../../electron/contract/index.ts';
import type { BaseUrlProblem } from '../../../../electron/contract/base-url.ts';
import { KeyList } from './KeyList.tsx';

const REGIONS: DashscopeRegion[] = ['singapore', 'us', 'beijing'];
const SITES: ModelscopeSite[] = ['cn', 'intl'];
export const trimUrl = (u: string) => u.trim().replace(/\/+$/, '');

export interface Endpoint {
  baseUrl: string;
  setBaseUrl: (url: string) => void;
  region: DashscopeRegion;
  setRegion: (region: DashscopeRegion) => void;
  otherEndpoint: boolean;
  site: ModelscopeSite;
  /** The base URL the provider falls back to for the chosen region or site. */
  defaultUrl: string | null;
  changeRegion: (next: DashscopeRegion | 'other') => void;
  changeSite: (next: ModelscopeSite) => void;
}

/** Base URL, region and site as edited; the base URL follows a region or site change unless it points elsewhere. */
export function useEndpoint(provider: ProviderView, dirty: () => void): Endpoint {
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl);
  const [region, setRegion] = useState<DashscopeRegion>(provider.region ?? 'singapore');
  // "Other endpoint": a workspace host or another region's URL, typed into the base URL field.
  const [otherEndpoint, setOtherEndpoint] = useState(() => !!provider.regionBaseUrls && !Object.values(provider.regionBaseUrls).includes(trimUrl(provider.baseUrl)));
  const [site, setSite] = useState<ModelscopeSite>(provider.site ?? 'cn');
  const regionUrls = provider.regionBaseUrls;
  const siteUrls = provider.siteBaseUrls;
  const defaultUrl = regionUrls ? regionUrls[region] : siteUrls ? siteUrls[site] : provider.defaultBaseUrl;

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

  return { baseUrl, setBaseUrl, region, setRegion, otherEndpoint, site, defaultUrl, changeRegion, changeSite };
}

/**
 * Stored keys and the field to paste more. The field is uncontrolled on purpose: a pasted key lives
 * only in the input's value until Save sends it to main, never in React state, attributes or text nodes.
 */
export function KeysFields({ provider, keysRef, dirty }: { provider: ProviderView; keysRef: RefObject<HTMLTextAreaElement | null>; dirty: () => void }) {
  const { t } = useTranslation();
  const detachedKeys = provider.keys.filter((k) => k.detached).length;
  return (
    <>
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
    </>
  );
}

/** The model new conversations start on, when it is one of this provider's; otherwise a note naming where it is. */
export function DefaultModelField(o: { provider: ProviderView; modelId: string; onChange: (id: string) => void; elsewhere: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      <label className="field">
        <span>{t('settings.defaultModel')}</span>
        <input list={`models-${o.provider.id}`} value={o.modelId} placeholder={t('settings.defaultModelPlaceholder')} onChange={(e) => o.onChange(e.target.value)} spellCheck={false} />
        <datalist id={`models-${o.provider.id}`}>
          {o.provider.models.map((m) => (
            <option key={m.id} value={m.id} />
          ))}
        </datalist>
      </label>
      {o.elsewhere && <p className="muted">{t('settings.defaultElsewhere', { model: o.elsewhere })}</p>}
    </>
  );
}

/** Site (ModelScope), region (Model Studio) and base URL, with the URL requests will go to. */
export function EndpointFields(o: { provider: ProviderView; endpoint: Endpoint; preview: string | null; urlProblem: BaseUrlProblem | null; dirty: () => void }) {
  const { t } = useTranslation();
  const { provider, endpoint: ep, dirty } = o;
  const looksLikeEndpoint = /\/chat\/completions\/?$/.test(ep.baseUrl.trim());
  return (
    <>
      <h3>{t('settings.connection')}</h3>
      {provider.kind === 'modelscope' && provider.siteBaseUrls && (
        <label className="field">
          <span>{t('settings.site')}</span>
          <select value={ep.site} onChange={(e) => ep.changeSite(e.target.value as ModelscopeSite)}>
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
          <select value={ep.otherEndpoint ? 'other' : ep.region} onChange={(e) => ep.changeRegion(e.target.value as DashscopeRegion | 'other')}>
            {REGIONS.map((r) => (
              <option key={r} value={r}>
                {t(`settings.regions.${r}`)}
              </option>
            ))}
            <option value="other">{t('settings.regions.other')}</option>
          </select>
          {ep.otherEndpoint && <small className="muted">{t('settings.otherEndpointHint')}</small>}
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
            value={ep.baseUrl}
            onChange={(e) => (ep.setBaseUrl(e.target.value), dirty())}
            spellCheck={false}
            aria-invalid={o.urlProblem ? true : undefined}
            aria-describedby={`preview-${provider.id}`}
          />
          {ep.defaultUrl && (
            <button type="button" onClick={() => (ep.setBaseUrl(ep.defaultUrl!), dirty())} disabled={trimUrl(ep.baseUrl) === ep.defaultUrl}>
              {t('settings.resetBaseUrl')}
            </button>
          )}
        </div>
      </div>
      <p className="muted request-preview" id={`preview-${provider.id}`}>
        {t('settings.requestUrl')} <code data-testid="request-url">{o.preview ?? t('settings.invalidUrl')}</code>
      </p>
      {looksLikeEndpoint && <p className="field-problem">{t('settings.endpointHint')}</p>}
      {o.urlProblem && <p className="field-problem">{t(`settings.baseUrlProblem.${o.urlProblem}`)}</p>}
    </>
  );
}

/** Request timeout and retry count, as typed (checked on Save). */
export function LimitsFields(o: { timeoutSec: string; maxRetries: string; setTimeoutSec: (v: string) => void; setMaxRetries: (v: string) => void; dirty: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="field-row">
        <label className="field small">
          <span>{t('settings.timeout')}</span>
          <input type="number" min={1} max={3600} step={1} value={o.timeoutSec} onChange={(e) => (o.setTimeoutSec(e.target.value), o.dirty())} />
        </label>
        <label className="field small">
          <span>{t('settings.maxRetries')}</span>
          <input type="number" min={0} max={10} step={1} value={o.maxRetries} onChange={(e) => (o.setMaxRetries(e.target.value), o.dirty())} />
        </label>
      </div>
      <p className="muted">{t('settings.timeoutHint')}</p>
    </>
  );
}
