// The contract's names without its schemas, for the preload: it must expose exactly these calls
// and nothing else, and it should not carry a validation library it never uses. index.ts checks at
// compile time that these lists match the schemas one to one.
export const CALL_NAMES = [
  'app.info',
  'app.openExternal',
  'app.dismissNotice',
  'settings.get',
  'settings.update',
  'providers.list',
  'providers.add',
  'providers.remove',
  'providers.update',
  'providers.setKeys',
  'providers.removeKey',
  'providers.fetchModels',
  'providers.addModel',
  'providers.removeModel',
  'providers.updateModel',
  'providers.markModelsSeen',
  'providers.check',
  'conversations.list',
  'conversations.create',
  'conversations.open',
  'conversations.update',
  'conversations.delete',
  'conversations.restore',
  'conversations.search',
  'messages.select',
  'messages.delete',
  'chat.send',
  'chat.stop',
  'chat.regenerate',
  'chat.edit',
  'chat.continue',
  'tools.confirm',
  'tools.pending',
  'quota.get',
  'quota.getSettings',
  'quota.updateSettings',
  'usage.summary',
  'usage.exportCsv',
  'conversations.export',
  'conversations.import',
  'uploads.append',
  'uploads.discard',
  'backup.create',
  'backup.restore',
  'app.openDataDir',
] as const;

export const EVENT_NAMES = [
  'stream.delta',
  'stream.status',
  'stream.tools',
  'stream.end',
  'app.notice',
  'quota.changed',
  'tools.confirmRequest',
  'tools.confirmSettled',
] as const;

export type CallNameList = (typeof CALL_NAMES)[number];
export type EventNameList = (typeof EVENT_NAMES)[number];

/**
 * The Electron IPC channel of a call or event. A call keeps its one name (`chat.send`) everywhere
 * else — in `window.kaiwa`'s transport functions, on the browser-mode socket and in dispatch — and
 * only the two ends of IPC (the preload, electron/main) put it on a channel, through this function.
 */
export const channelOf = (name: string): string => `kaiwa:${name}`;
