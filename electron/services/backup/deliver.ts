// Where a finished backup goes. A file with keys is sealed with a passphrase the caller chose, so a
// hostile window that asked for it could open it: such a file is written by main and only where it
// went crosses the contract. On the desktop the user picks the place in the system's save dialog,
// shown by main (Platform.chooseSavePath). Browser mode has no dialog main can show, and anything
// served to the page is readable by it, so the file goes into `<data folder>/backups`, owner-only,
// and the window names that folder. A file without keys holds nothing secret: the window downloads it.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CreatedBackup } from '../../contract/index.ts';
import type { Platform } from '../platform.ts';
import type { BackupText } from './service.ts';

export const BACKUPS_DIR = 'backups';

/** Writes `text` to `path` owner-only, whole or not at all (a temp file beside it, then rename). */
function writeOwnerOnly(path: string, text: string): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** `<dataDir>/backups/<name>`, never replacing an earlier backup (a second one in the same minute gets `-2`). */
function writeIntoDataFolder(dataDir: string, filename: string, text: string): string {
  const dir = join(dataDir, BACKUPS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const stem = filename.replace(/\.json$/, '');
  for (let n = 1; ; n++) {
    const path = join(dir, n === 1 ? filename : `${stem}-${n}.json`);
    try {
      writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
      return path;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST' || n >= 1000) throw err;
    }
  }
}

export async function deliverBackup(file: BackupText, platform: Pick<Platform, 'dataDir' | 'chooseSavePath'>): Promise<CreatedBackup> {
  const { conversations } = file;
  if (!file.includesKeys) return { delivery: 'download', filename: file.filename, mime: file.mime, text: file.text, includesKeys: false, conversations };
  if (platform.chooseSavePath) {
    const path = await platform.chooseSavePath({ defaultName: file.filename });
    if (!path) return { delivery: 'cancelled', includesKeys: true, conversations };
    writeOwnerOnly(path, file.text);
    return { delivery: 'saved', where: 'chosen', filename: basename(path), path, includesKeys: true, conversations };
  }
  const path = writeIntoDataFolder(platform.dataDir, file.filename, file.text);
  return { delivery: 'saved', where: 'data_folder', filename: basename(path), path, includesKeys: true, conversations };
}
