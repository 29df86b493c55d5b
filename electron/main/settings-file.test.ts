// The desktop settings file, written by the REAL electron-store package: only `electron` is stubbed
// (electron-store asks it for the userData folder and the app version; no Electron runtime exists in
// a unit test). electron-store is inlined by vitest.config.ts so that this stub reaches it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { silentLogger } from '../services/log.ts';
import { SettingsStore } from '../services/settings/store.ts';
import { adoptEarlierSettingsFile, electronStoreFactory } from './settings-file.ts';

const h = vi.hoisted(() => ({ userData: '' }));
vi.mock('electron', () => {
  const app = { getPath: () => h.userData, getVersion: () => '0.1.0-test' };
  const ipcMain = { on: () => {} };
  return { default: { app, ipcMain, shell: {} }, app, ipcMain, shell: {} };
});

const NOW = 1_700_000_000_000;
let dir: string;
beforeEach(() => {
  dir = h.userData = mkdtempSync(join(tmpdir(), 'kaiwa-estore-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const desktop = () => new SettingsStore(dir, silentLogger, electronStoreFactory, () => NOW);
const browser = () => new SettingsStore(dir, silentLogger, undefined, () => NOW);

it('the desktop app writes settings.json, the file browser mode reads', () => {
  desktop().update((s) => {
    s.theme = 'dark';
    s.language = 'ja';
  });
  expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual(['settings.json']);
  expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ theme: 'dark', language: 'ja' });
  expect(browser().get()).toMatchObject({ theme: 'dark', language: 'ja' });
  // …and the other way round.
  browser().update((s) => {
    s.theme = 'light';
  });
  expect(desktop().get().theme).toBe('light');
});

it('a truncated settings.json is moved aside with a notice at the next desktop start, and the app starts', () => {
  desktop().update((s) => {
    s.theme = 'dark';
  });
  const full = readFileSync(join(dir, 'settings.json'), 'utf8');
  writeFileSync(join(dir, 'settings.json'), full.slice(0, full.length / 2));
  const store = desktop();
  expect(store.get().theme).toBe('system');
  const backup = join(dir, `settings.corrupt-${NOW}.json`);
  expect(readFileSync(backup, 'utf8')).toBe(full.slice(0, full.length / 2));
  expect(store.notices).toEqual([expect.objectContaining({ code: 'settings_corrupt', level: 'warning', params: { backup } })]);
  store.update((s) => {
    s.theme = 'light';
  });
  expect(desktop().get().theme).toBe('light');
  expect(existsSync(join(dir, 'config.json'))).toBe(false);
});

it('settings an earlier desktop build wrote to config.json are taken over as settings.json', () => {
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ theme: 'dark', language: 'zh' }));
  adoptEarlierSettingsFile(dir);
  expect(desktop().get()).toMatchObject({ theme: 'dark', language: 'zh' });
  expect(existsSync(join(dir, 'config.json'))).toBe(false);
  // Never over an existing settings.json.
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ theme: 'light' }));
  adoptEarlierSettingsFile(dir);
  expect(desktop().get().theme).toBe('dark');
  expect(existsSync(join(dir, 'config.json'))).toBe(true);
});
