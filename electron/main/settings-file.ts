// The desktop app's settings go through electron-store (conf plus Electron's paths). electron-store
// names the file by its documented `name` option and overwrites conf's `configName` with it
// (default "config"), so the file name has to travel as `name`: desktop and browser mode then share
// one settings.json, which is also the file the corrupt-file recovery in SettingsStore checks.
import ElectronStore from 'electron-store';
import { SETTINGS_FILE, type StoreFactory } from '../services/settings/store.ts';

export const electronStoreFactory: StoreFactory = ({ configName: _ignored, projectName: _n, projectSuffix: _s, ...options }) =>
  new ElectronStore({ ...options, name: SETTINGS_FILE });
