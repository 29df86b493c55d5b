import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KaiwaError, ProviderView } from '../../../../electron/contract/index.ts';
import { baseUrlProblem } from '../../../../electron/contract/base-url.ts';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import { SettingsError } from './SettingsError.tsx';
import { parseNumber, previewRequestUrl } from './format.ts';
import { headerProblems, headerRows, HeadersEditor, rowsToPatch, type HeaderRow } from './HeadersEditor.tsx';
import { DefaultModelField, EndpointFields, KeysFields, LimitsFields, trimUrl, useEndpoint, type Endpoint } from './ProviderFields.tsx';
import { QuotaSettings } from '../quota/QuotaSettings.tsx';

interface Draft {
  provider: ProviderView;
  name: string;
  endpoint: Endpoint;
  project: string;
  headers: HeaderRow[];
  timeoutSec: number;
  maxRetries: number;
  /** Pasted keys, read from the uncontrolled field; `clearKeys` empties it once they are stored. */
  keys: string;
  clearKeys: () => void;
  modelId: string;
  /** The default model now, when it is on this provider. */
  currentDefault: string | null;
}

/** Sends the form to main: the provider's fields, then new keys, then the default model; returns the provider as main has it now. */
async function saveDraft(d: Draft): Promise<ProviderView> {
  const { provider, endpoint } = d;
  const url = trimUrl(endpoint.baseUrl);
  let p = await call('providers.update', {
    id: provider.id,
    ...(provider.kind === 'custom' && d.name.trim() ? { name: d.name.trim() } : {}),
    baseUrl: url === endpoint.defaultUrl ? null : url,
    ...(provider.kind === 'dashscope' ? { region: endpoint.region } : {}),
    ...(provider.kind === 'modelscope' ? { site: endpoint.site } : {}),
    ...(provider.kind === 'wandb' ? { project: d.project.trim() } : {}),
    ...rowsToPatch(d.headers),
    timeoutSec: d.timeoutSec,
    maxRetries: d.maxRetries,
  });
  if (d.keys.trim()) {
    p = await call('providers.setKeys', { id: provider.id, keys: d.keys, mode: 'append' });
    d.clearKeys();
    // The first key: bring the catalogue up to date with what the provider lists now.
    if (!provider.keys.length) p = await call('providers.fetchModels', { id: provider.id }).then((r) => r.provider, () => p);
  }
  const wanted = d.modelId.trim();
  if (wanted && d.currentDefault !== wanted) {
    useApp.getState().setSettings(await call('settings.update', { defaultModel: { providerId: provider.id, modelId: wanted } }));
    p = await call('providers.list', {}).then((all) => all.find((x) => x.id === provider.id) ?? p);
  }
  return p;
}

/** The i18n key of what keeps the form from being saved, or the checked limits. */
function checkForm(preview: string | null, urlProblem: string | null, headers: HeaderRow[], timeoutSec: string, maxRetries: string): { problem: string } | { timeout: number; retries: number } {
  if (!preview) return { problem: 'settings.problemUrl' };
  if (urlProblem) return { problem: `settings.baseUrlProblem.${urlProblem}` };
  if (headerProblems(headers).size) return { problem: 'settings.problemHeaders' };
  const timeout = parseNumber(timeoutSec);
  const retries = parseNumber(maxRetries);
  if (timeout === undefined || !Number.isInteger(timeout) || timeout < 1 || timeout > 3600) return { problem: 'settings.problemTimeout' };
  if (retries === undefined || !Number.isInteger(retries) || retries < 0 || retries > 10) return { problem: 'settings.problemRetries' };
  return { timeout, retries };
}

/** Save, its outcome, and (ModelScope only) the free tier the local quota estimate counts against. */
function FormFooter(o: { provider: ProviderView; busy: boolean; saved: boolean; problem: string | null; error: KaiwaError | null }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={o.busy}>
          {t('settings.save')}
        </button>
        {o.saved && (
          <span role="status" className="ok">
            {t('settings.saved')}
          </span>
        )}
      </div>
      {o.provider.kind === 'modelscope' && <QuotaSettings />}{' '}
      {o.problem && (
        <p className="field-problem" role="alert">
          {o.problem}
        </p>
      )}
      {o.error && <SettingsError error={o.error} />}
    </>
  );
}

/** Keys, default model and connection of one provider, saved together with one button (the sections are in ProviderFields.tsx). */
export function ProviderForm({ provider }: { provider: ProviderView }) {
  const { t } = useTranslation();
  const settings = useApp((s) => s.settings);
  const isDefaultProvider = settings?.defaultModel?.providerId === provider.id;
  const keysRef = useRef<HTMLTextAreaElement>(null);
  const [name, setName] = useState(provider.name);
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
  const endpoint = useEndpoint(provider, dirty);
  const preview = previewRequestUrl(endpoint.baseUrl);
  const urlProblem = baseUrlProblem(endpoint.baseUrl);

  const save = async () => {
    setError(null);
    setProblem(null);
    const checked = checkForm(preview, urlProblem, headers, timeoutSec, maxRetries);
    if ('problem' in checked) return setProblem(t(checked.problem));
    setBusy(true);
    try {
      const clearKeys = () => void (keysRef.current && (keysRef.current.value = ''));
      const currentDefault = isDefaultProvider ? (settings?.defaultModel?.modelId ?? null) : null;
      const draft: Draft = { provider, name, endpoint, project, headers, timeoutSec: checked.timeout, maxRetries: checked.retries, keys: keysRef.current?.value ?? '', clearKeys, modelId, currentDefault };
      const p = await saveDraft(draft);
      useApp.getState().setProvider(p);
      endpoint.setBaseUrl(p.baseUrl);
      setHeaders(headerRows(p));
      if (p.region) endpoint.setRegion(p.region);
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
      <KeysFields provider={provider} keysRef={keysRef} dirty={dirty} />
      <DefaultModelField provider={provider} modelId={modelId} onChange={(id) => (setModelId(id), dirty())} elsewhere={!isDefaultProvider && settings?.defaultModel ? settings.defaultModel.modelId : null} />
      <EndpointFields provider={provider} endpoint={endpoint} preview={preview} urlProblem={urlProblem} dirty={dirty} />
      {provider.kind === 'wandb' && (
        <label className="field">
          <span>{t('settings.project')}</span>
          <input value={project} onChange={(e) => (setProject(e.target.value), dirty())} placeholder={t('settings.placeholders.project')} spellCheck={false} />
          <small className="muted">{t('settings.projectHint')}</small>
        </label>
      )}
      <LimitsFields timeoutSec={timeoutSec} maxRetries={maxRetries} setTimeoutSec={setTimeoutSec} setMaxRetries={setMaxRetries} dirty={dirty} />
      <HeadersEditor rows={headers} onChange={(r) => (setHeaders(r), dirty())} />
      <FormFooter provider={provider} busy={busy} saved={saved} problem={problem} error={error} />
    </form>
  );
}
