// Contract handlers for backup.*: each one line into the backup service (a restore reads the file
// the window staged with uploads.append; a created file goes where deliverBackup decides).
import type { backupCalls } from '../../contract/backup.ts';
import type { DomainHandlers } from '../rpc.ts';
import type { Platform } from '../platform.ts';
import type { UploadStore } from '../transfer/uploads.ts';
import { deliverBackup } from './deliver.ts';
import type { BackupService } from './service.ts';

export function backupHandlers(backup: BackupService, uploads: UploadStore, platform: Platform): DomainHandlers<typeof backupCalls> {
  return {
    'backup.create': async ({ passphrase }) => deliverBackup(await backup.create(passphrase), platform),
    'backup.restore': ({ uploadId, passphrase }) => backup.restore(uploads.take(uploadId), passphrase || undefined),
  };
}
