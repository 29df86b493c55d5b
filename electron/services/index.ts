// Composition root for the main-side services. The Electron adapter and the browser-mode host both
// call `createKaiwa` with their Platform and get the same dispatch function and event stream.
import type { EventName, EventPayload, Notice } from '../contract/index.ts';
import { chatHandlers } from './chat/handlers.ts';
import { ChatService } from './chat/service.ts';
import { UsageRecorder } from './chat/usage-recorder.ts';
import { openHistoryDb } from './history/db.ts';
import { HistoryStore } from './history/store.ts';
import { createLogger, type Logger } from './log.ts';
import { envProxy, followProxySetting, nextProxySettings } from './net/proxy.ts';
import type { EventSink, Platform } from './platform.ts';
import { checkProvider, fetchModels } from './providers/probe.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { Upstream } from './providers/upstream.ts';
import { QuotaService } from './quota/service.ts';
import { createDispatch, type Dispatch, type Handlers } from './rpc.ts';
import { SettingsStore, type StoreFactory } from './settings/store.ts';
import { ToolHost, toolOptionsFromEnv, type ToolHostOptions } from './tools/host.ts';
import { transferHandlers } from './transfer/handlers.ts';
import { UsageService } from './usage/service.ts';
import { KeyVault } from './vault/vault.ts';

export interface KaiwaOptions {
  /** electron-store in the desktop app; plain conf (default) elsewhere. */
  storeFactory?: StoreFactory;
  logger?: Logger;
  upstream?: Upstream;
  /** Limits of the built-in tools (tests); default: from the environment's test switches, else built in. */
  tools?: ToolHostOptions;
}

export interface Kaiwa {
  dispatch: Dispatch;
  /** Subscribe to every main → renderer event. */
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void;
  services: {
    settings: SettingsStore;
    vault: KeyVault;
    history: HistoryStore;
    registry: ProviderRegistry;
    chat: ChatService;
    upstream: Upstream;
    quota: QuotaService;
    usage: UsageService;
    tools: ToolHost;
  };
  log: Logger;
  shutdown(): Promise<void>;
}

export function createKaiwa(platform: Platform, options: KaiwaOptions = {}): Kaiwa {
  const log = options.logger ?? createLogger({ dir: `${platform.dataDir}/logs` });
  const now = () => platform.clock.now();
  const listeners = new Set<(name: EventName, payload: unknown) => void>();
  const emit: EventSink = <N extends EventName>(name: N, payload: EventPayload<N>) => {
    for (const l of listeners) l(name, payload);
  };

  const notices: Notice[] = [];
  const settings = new SettingsStore(platform.dataDir, log, options.storeFactory, now);
  notices.push(...settings.notices);
  const vault = new KeyVault(platform.dataDir, platform.cipher, log, now);
  for (const n of vault.notices) notices.push({ id: `${n.code}-${now()}`, level: 'warning', code: n.code, ...(n.params ? { params: n.params } : {}) });
  const opened = openHistoryDb(platform.dataDir, log, now);
  notices.push(...opened.notices);
  const history = new HistoryStore(opened.db, now);
  const interrupted = history.markInterrupted();
  if (interrupted) log.info(`${interrupted} answer(s) were streaming when Kaiwa stopped; marked interrupted`);
  // Undo of a conversation delete lasts for the session; what is still deleted at start goes for good.
  const purged = history.purgeDeleted(0);
  if (purged) log.info(`${purged} deleted conversation(s) purged`);

  const registry = new ProviderRegistry(settings, vault);
  registry.importEnvKeys(platform.env);
  const upstream = options.upstream ?? new Upstream();
  const tools = new ToolHost({ emit, clock: platform.clock, log }, { ...toolOptionsFromEnv(platform.env), ...options.tools });
  // An injected Upstream (tests) keeps its own fetch; otherwise the proxy setting decides (issue 9).
  const stopProxy = options.upstream ? () => {} : followProxySetting(upstream, settings, platform.env, platform.resolveProxy?.bind(platform), log);
  // Every upstream attempt, from chat and from the provider check, is recorded here once.
  const recorder = new UsageRecorder(history, log);
  const chat = new ChatService({
    history,
    recorder,
    registry,
    upstream,
    settings,
    emit,
    log,
    clock: platform.clock,
    tools,
    // A ModelScope key whose day is used up is skipped before a request fails on it.
    chooseKey: (providerId, modelId) => quota.preferredKey(providerId, modelId),
  });
  const quota = new QuotaService({ db: history.db, registry, settings, clock: platform.clock, emit, log, dataDir: platform.dataDir });
  recorder.observe((o) => quota.observe(o));
  quota.start();
  const usage = new UsageService(history.db, platform.clock);

  const settingsView = () => {
    const s = settings.get();
    return {
      language: s.language,
      theme: s.theme,
      defaultModel: s.defaultModel,
      idleTimeoutSec: s.idleTimeoutSec,
      vault: vault.info,
      proxy: s.proxy,
      systemProxy: { source: platform.resolveProxy ? ('os' as const) : ('env' as const), envProxy: envProxy(platform.env).display },
    };
  };

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Kaiwa',
      version: platform.appVersion,
      mode: platform.mode,
      platform: platform.platform,
      systemLanguage: platform.systemLanguage,
      dataDir: platform.dataDir,
      notices: notices.filter((n) => !settings.get().dismissedNotices.includes(n.id)),
    }),
    'app.openExternal': async ({ url }) => {
      await platform.openExternal(url);
      return { ok: true as const };
    },
    'app.dismissNotice': ({ id }) => {
      settings.update((s) => {
        if (!s.dismissedNotices.includes(id)) s.dismissedNotices = [...s.dismissedNotices.slice(-50), id];
      });
      return { ok: true as const };
    },

    'settings.get': () => settingsView(),
    'settings.update': (patch) => {
      // A default model typed by hand becomes part of its provider's list, so the chat picker shows it.
      if (patch.defaultModel) registry.addModel(patch.defaultModel.providerId, patch.defaultModel.modelId);
      const proxy = patch.proxy ? nextProxySettings(settings.get().proxy, patch.proxy) : undefined;
      settings.update((s) => {
        if (patch.language !== undefined) s.language = patch.language;
        if (patch.theme !== undefined) s.theme = patch.theme;
        if (patch.defaultModel !== undefined) s.defaultModel = patch.defaultModel;
        if (patch.idleTimeoutSec !== undefined) s.idleTimeoutSec = patch.idleTimeoutSec;
        if (proxy) s.proxy = proxy;
      });
      return settingsView();
    },

    'providers.list': () => registry.list(),
    'providers.add': ({ name, baseUrl, headers, publicHeaders }) => registry.addCustom({ name, baseUrl, headers, publicHeaders }),
    'providers.remove': ({ id }) => {
      registry.removeCustom(id);
      return { ok: true as const };
    },
    'providers.update': ({ id, ...patch }) => registry.configure(id, patch),
    'providers.setKeys': ({ id, keys, mode }) => registry.setKeys(id, keys, mode),
    'providers.removeKey': ({ id, keyId }) => registry.removeKey(id, keyId),
    'providers.fetchModels': ({ id }) => fetchModels({ registry, upstream }, id),
    'providers.addModel': ({ id, modelId }) => registry.addModel(id, modelId),
    'providers.removeModel': ({ id, modelId }) => registry.removeModel(id, modelId),
    'providers.updateModel': ({ id, modelId, ...patch }) => registry.updateModel(id, modelId, patch),
    'providers.markModelsSeen': ({ id }) => registry.markModelsSeen(id),
    'providers.check': ({ id, modelId, keyId }) =>
      checkProvider({ registry, upstream, settings, clock: platform.clock, log, record: (o) => recorder.record(o) }, id, { modelId, keyId }),

    ...chatHandlers({ history, chat, settings }),

    'tools.confirm': ({ requestId, allow }) => ({ ok: true as const, accepted: tools.confirmations.answer(requestId, allow) }),
    'tools.pending': () => tools.confirmations.pending(),

    'quota.get': ({ providerId, modelId }) => quota.view(providerId, modelId),
    'quota.getSettings': () => quota.getSettings(),
    'quota.updateSettings': (patch) => quota.updateSettings(patch),
    'usage.summary': ({ range, timeZone }) => usage.summary(range, timeZone),
    'usage.exportCsv': ({ range, timeZone }) => usage.exportCsv(range, timeZone),

    ...transferHandlers({
      platform,
      history,
      settings,
      vault,
      stopStreams: () => chat.shutdown(),
      log,
      notify: (n) => {
        notices.push(n);
        emit('app.notice', n);
      },
    }),
  };

  const dispatch = createDispatch(handlers, log);

  return {
    dispatch,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    services: { settings, vault, history, registry, chat, upstream, quota, usage, tools },
    log,
    async shutdown() {
      stopProxy();
      quota.stop();
      await chat.shutdown();
      try {
        history.close();
      } catch (err) {
        log.warn('closing the database failed', err);
      }
    },
  };
}
