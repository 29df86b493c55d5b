// Backup and restore: all settings and history (keys only with a passphrase) in one file.
import { z } from 'zod';
import { call } from './call.ts';
import { Id } from './schemas.ts';
import { ExportedFile } from './transfer.ts';

export const backupCalls = {
  /** All settings and history in one file. Keys only with a passphrase, then sealed with it (scrypt + AES-256-GCM). */
  'backup.create': call(
    z.strictObject({ passphrase: z.string().min(8).max(1024).optional() }),
    ExportedFile.extend({ includesKeys: z.boolean(), conversations: z.number() }),
  ),
  /**
   * Replaces settings, history (and keys, when the backup has them) with a staged backup. The whole
   * file is checked first; on any failure nothing changes.
   */
  'backup.restore': call(
    z.strictObject({ uploadId: Id, passphrase: z.string().max(1024).optional() }),
    z.object({ conversations: z.number(), keys: z.number() }),
  ),
} as const;
