// Backup and restore: all settings and history (keys only with a passphrase) in one file.
import { z } from 'zod';
import { call } from './call.ts';
import { Id } from './schemas.ts';
import { ExportedFile } from './transfer.ts';

/** What backup.create did: handed a keyless file to the window, saved a keyed one in main, or was cancelled in the save dialog. */
export const CreatedBackup = z.discriminatedUnion('delivery', [
  ExportedFile.extend({ delivery: z.literal('download'), includesKeys: z.literal(false), conversations: z.number() }),
  z.object({
    delivery: z.literal('saved'),
    /** `chosen`: in the desktop save dialog; `data_folder`: `<data folder>/backups` (browser mode). */
    where: z.enum(['chosen', 'data_folder']),
    filename: z.string(),
    path: z.string(),
    includesKeys: z.literal(true),
    conversations: z.number(),
  }),
  z.object({ delivery: z.literal('cancelled'), includesKeys: z.literal(true), conversations: z.number() }),
]);
export type CreatedBackup = z.infer<typeof CreatedBackup>;

export const backupCalls = {
  /**
   * All settings and history in one file. Keys only with a passphrase, then sealed with it (scrypt +
   * AES-256-GCM). A file with keys never crosses the contract (the caller chose the passphrase, so
   * it could open it): main writes it itself — where the user picks in main's save dialog on the
   * desktop, into `<data folder>/backups` in browser mode — and says where. Without keys the
   * window gets the text to download.
   */
  'backup.create': call(z.strictObject({ passphrase: z.string().min(8).max(1024).optional() }), CreatedBackup),
  /**
   * Replaces settings, history (and keys, when the backup has them) with a staged backup. The whole
   * file is checked first; on any failure nothing changes.
   */
  'backup.restore': call(
    z.strictObject({ uploadId: Id, passphrase: z.string().max(1024).optional() }),
    z.object({ conversations: z.number(), keys: z.number() }),
  ),
} as const;
