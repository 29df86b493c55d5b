// Contract handlers for files in and out of Kaiwa (issue 9): conversation export/import, backup and
// restore, staged uploads, and opening the data folder.
import type { Notice } from '../../contract/index.ts';
import { deliverBackup } from '../backup/deliver.ts';
import { BackupService } from '../backup/service.ts';
import { ServiceError } from '../errors.ts';
import type { HistoryStore } from '../history/store.ts';
import type { Logger } from '../log.ts';
import type { Platform } from '../platform.ts';
import type { Handlers } from '../rpc.ts';
import type { SettingsStore } from '../settings/store.ts';
import type { KeyVault } from '../vault/vault.ts';
import { importConversation, parseConversationFile, readConversation, safeFilename } from './conversation.ts';
import { conversationToMarkdown, ENGLISH_LABELS } from './markdown.ts';
import { UploadStore } from './uploads.ts';

export interface TransferDeps {
  platform: Platform;
  history: HistoryStore;
  settings: SettingsStore;
  vault: KeyVault;
  /** Stops every running answer before a restore replaces the history. */
  stopStreams(): Promise<void>;
  log: Logger;
  /** Shows a notice now and after a reload (restore reloads the window). */
  notify(notice: Notice): void;
}

type TransferCalls = 'conversations.export' | 'conversations.import' | 'uploads.append' | 'uploads.discard' | 'backup.create' | 'backup.restore' | 'app.openDataDir';

export function transferHandlers(d: TransferDeps): Pick<Handlers, TransferCalls> {
  const now = () => d.platform.clock.now();
  const uploads = new UploadStore(now);
  const backup = new BackupService({
    dataDir: d.platform.dataDir,
    history: d.history,
    settings: d.settings,
    vault: d.vault,
    stopStreams: d.stopStreams,
    log: d.log,
    now,
    appVersion: d.platform.appVersion,
  });

  return {
    'conversations.export': ({ id, format, labels }) => {
      const file = readConversation(d.history.db, id, { appVersion: d.platform.appVersion, now: now() });
      const l = labels ?? ENGLISH_LABELS;
      const title = file.conversation.title || l.untitled;
      if (format === 'json') {
        return { filename: safeFilename(title, 'kaiwa.json'), mime: 'application/json', text: `${JSON.stringify(file, null, 2)}\n` };
      }
      return { filename: safeFilename(title, 'md'), mime: 'text/markdown', text: conversationToMarkdown(file, l) };
    },
    'conversations.import': ({ uploadId }) => {
      const file = parseConversationFile(uploads.take(uploadId));
      const id = importConversation(d.history, file, now());
      return { conversation: d.history.getConversation(id)!, messages: file.messages.length };
    },
    'uploads.append': ({ uploadId, chunk }) => uploads.append(uploadId, chunk),
    'uploads.discard': ({ uploadId }) => {
      uploads.discard(uploadId);
      return { ok: true as const };
    },
    'backup.create': async ({ passphrase }) => deliverBackup(await backup.create(passphrase), d.platform),
    'backup.restore': async ({ uploadId, passphrase }) => {
      const result = await backup.restore(uploads.take(uploadId), passphrase || undefined);
      d.notify({ id: `backup-restored-${now()}`, level: 'info', code: 'backup_restored', params: { conversations: result.conversations, keys: result.keys } });
      return result;
    },
    'app.openDataDir': async () => {
      if (!d.platform.openPath) throw new ServiceError('open_failed', 'This host cannot open folders.', { params: { path: d.platform.dataDir } });
      try {
        await d.platform.openPath(d.platform.dataDir);
      } catch (err) {
        throw new ServiceError('open_failed', 'The folder could not be opened.', { params: { path: d.platform.dataDir }, details: err instanceof Error ? err.message : String(err) });
      }
      return { ok: true as const };
    },
  };
}
