// Composition root for the main-side services. The Electron adapter and the browser-mode host both
// call `createKaiwa` with their Platform and get the same dispatch function and event stream.
import type { EventName, EventPayload, Notice } from '../contract/index.ts';
import { appHandlers } from './app/handlers.ts';
import { AppService } from './app/service.ts';
import { backupHandlers } from './backup/handlers.ts';
import { BackupService } from './backup/service.ts';
import { chatHandlers } from './chat/handlers.ts';
import { ChatService } from './chat/service.ts';
import { UsageRecorder } from './chat/usage-recorder.ts';
import { openHistoryDb } from './history/db.ts';
import { conversationsHandlers } from './conversations/handlers.ts';
import { ConversationsService } from './conversations/service.ts';
import { HistoryStore } from './history/store.ts';
import { createLogger, type Logger } from './log.ts';
import { followProxySetting } from './net/proxy.ts';
import type { EventSink, Platform } from './platform.ts';
import { providersHandlers, type ProviderProbes } from './providers/handlers.ts';
import { checkProvider, fetchModels } from './providers/probe.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { Upstream } from './providers/upstream.ts';
import { quotaHandlers } from './quota/handlers.ts';
import { QuotaService } from './quota/service.ts';
import { createDispatch, type Dispatch, type Handlers } from './rpc.ts';
import { settingsHandlers } from './settings/handlers.ts';
import { SettingsService } from './settings/service.ts';
import { SettingsStore, type StoreFactory } from './settings/store.ts';
import { toolsHandlers } from './tools/handlers.ts';
import { ToolHost, type ToolHostOptions } from './tools/host.ts';
import { transferHandlers } from './transfer/handlers.ts';
import { TransferService } from './transfer/service.ts';
import { UploadStore } from './transfer/uploads.ts';
import { usageHandlers } from './usage/handlers.ts';
import { UsageService } from './usage/service.ts';
import { KeyVault } from './vault/vault.ts';

export interface KaiwaOptions {
  /** electron-store in the desktop app; plain conf (default) elsewhere. */
  storeFactory?: StoreFactory;
  logger?: Logger;
  upstream?: Upstream;
  /** Limits of the built-in tools (tests and the test host); default: built in. */
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

/** The stored state, opened in start-up order; what each found wrong becomes a notice. */
function openStores(platform: Platform, options: KaiwaOptions, log: Logger, now: () => number) {
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
  return { settings, vault, history, notices };
}

type Core = Kaiwa['services'] & { platform: Platform; log: Logger; emit: EventSink; notices: Notice[]; recorder: UsageRecorder };

/** The services that only answer calls, and every domain's handlers. */
function allHandlers(c: Core): Handlers {
  const { platform, log, settings, vault, history, registry, chat, upstream, recorder } = c;
  const now = () => platform.clock.now();
  const app = new AppService({ platform, settings, emit: c.emit });
  app.addStartupNotices(c.notices);
  const probes: ProviderProbes = {
    fetchModels: (id) => fetchModels({ registry, upstream }, id),
    check: (id, o) => checkProvider({ registry, upstream, settings, clock: platform.clock, log, record: (r) => recorder.record(r) }, id, o),
  };
  const uploads = new UploadStore(now);
  const backup = new BackupService({
    dataDir: platform.dataDir,
    history,
    settings,
    vault,
    stopStreams: () => chat.shutdown(),
    log,
    now,
    appVersion: platform.appVersion,
    onRestored: (r) => app.notify({ id: `backup-restored-${now()}`, level: 'info', code: 'backup_restored', params: { conversations: r.conversations, keys: r.keys } }),
  });
  // The type makes a call without a handler a compile error.
  return {
    ...appHandlers(app),
    ...settingsHandlers(new SettingsService({ settings, vault, registry, platform })),
    ...providersHandlers(registry, probes),
    ...conversationsHandlers(new ConversationsService({ history, settings, streams: chat })),
    ...chatHandlers(chat),
    ...toolsHandlers(c.tools),
    ...quotaHandlers(c.quota),
    ...usageHandlers(c.usage),
    ...transferHandlers(new TransferService({ history, uploads, appVersion: platform.appVersion, now }), uploads),
    ...backupHandlers(backup, uploads, platform),
  };
}

export function createKaiwa(platform: Platform, options: KaiwaOptions = {}): Kaiwa {
  const log = options.logger ?? createLogger({ dir: `${platform.dataDir}/logs` });
  const now = () => platform.clock.now();
  const listeners = new Set<(name: EventName, payload: unknown) => void>();
  const emit: EventSink = <N extends EventName>(name: N, payload: EventPayload<N>) => {
    for (const l of listeners) l(name, payload);
  };

  const { settings, vault, history, notices } = openStores(platform, options, log, now);
  const registry = new ProviderRegistry(settings, vault);
  registry.importEnvKeys(platform.env);
  const upstream = options.upstream ?? new Upstream();
  const tools = new ToolHost({ emit, clock: platform.clock, log }, options.tools ?? {});
  // An injected Upstream (tests) keeps its own fetch; otherwise the proxy setting decides.
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
  const quota = new QuotaService({ calls: history.calls, registry, settings, clock: platform.clock, emit, log, dataDir: platform.dataDir });
  recorder.observe((o) => quota.observe(o));
  quota.start();
  const usage = new UsageService(history.calls, platform.clock);

  const services = { settings, vault, history, registry, chat, upstream, quota, usage, tools };
  const dispatch = createDispatch(allHandlers({ ...services, platform, log, emit, notices, recorder }), log);

  return {
    dispatch,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    services,
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
