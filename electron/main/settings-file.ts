// The desktop app's settings go through electron-store (conf plus Electron's paths). electron-store
// names the file by its documented `name` option and overwrites conf's `configName` with it
// (default "config"), so the file name has to travel as `name`: desktop and browser mode then share
// one settings.json, which is also the file the corrupt-file recovery in SettingsStore checks.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import ElectronStore from 'electron-store';
import { SETTINGS_FILE, type StoreFactory } from '../services/settings/store.ts';

export const electronStoreFactory: StoreFactory = ({ configName: _ignored, projectName: _n, projectSuffix: _s, ...options }) =>
  new ElectronStore({ ...options, name: SETTINGS_FILE });

/**
 * Desktop builds before this fix wrote electron-store's default `config.json` in the same folder.
 * When there is no settings.json yet, that file becomes it, so nothing the user set is lost.
 */
export function adoptEarlierSettingsFile(dataDir: string): void {
  const earlier = join(dataDir, 'config.json');
  const current = join(dataDir, `${SETTINGS_FILE}.json`);
  if (existsSync(earlier) && !existsSync(current)) renameSync(earlier, current);
}
