// Contract handlers for backup.*: each one line into the backup service (a restore reads the file
// the window staged with uploads.append).
import type { backupCalls } from '../../contract/backup.ts';
import type { DomainHandlers } from '../rpc.ts';
import type { UploadStore } from '../transfer/uploads.ts';
import type { BackupService } from './service.ts';

export function backupHandlers(backup: BackupService, uploads: UploadStore): DomainHandlers<typeof backupCalls> {
  return {
    'backup.create': ({ passphrase }) => backup.create(passphrase),
    'backup.restore': ({ uploadId, passphrase }) => backup.restore(uploads.take(uploadId), passphrase || undefined),
  };
}
