// When the services cannot start (here: a history database written by a newer Kaiwa), the desktop
// app must say so in a window — a user who launched it from a menu never sees stderr — and exit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ userData: '', boxes: [] as { title: string; text: string }[], exits: [] as number[] }));

vi.mock('electron', () => ({
  app: {
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getPath: () => h.userData,
    getVersion: () => '0.1.0-test',
    getLocale: () => 'en-US',
    getPreferredSystemLanguages: () => ['en-US'],
    isPackaged: false,
    on: () => {},
    quit: () => {},
    exit: (code: number) => h.exits.push(code),
    setPath: () => {},
  },
  dialog: { showErrorBox: (title: string, text: string) => h.boxes.push({ title, text }) },
  protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
  ipcMain: { handle: () => {}, removeHandler: () => {} },
  safeStorage: { isEncryptionAvailable: () => false },
  session: { defaultSession: { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} } },
  shell: {},
  Menu: { setApplicationMenu: () => {} },
  nativeTheme: { themeSource: 'system' },
  BrowserWindow: class {},
  screen: { getAllDisplays: () => [] },
}));
vi.mock('electron-store', async () => ({ default: (await import('conf')).default }));

h.userData = mkdtempSync(join(tmpdir(), 'kaiwa-startup-'));
afterAll(() => rmSync(h.userData, { recursive: true, force: true }));

it('a database from a newer Kaiwa: an error window names the problem and the data folder, then the app exits', async () => {
  const db = new DatabaseSync(join(h.userData, 'history.sqlite'));
  db.exec('PRAGMA user_version = 999');
  db.close();
  await import('./index.ts');
  await vi.waitFor(() => expect(h.exits).toEqual([1]));
  expect(h.boxes).toHaveLength(1);
  expect(h.boxes[0]!.title).toBe('Kaiwa could not start');
  expect(h.boxes[0]!.text).toContain('newer Kaiwa');
  expect(h.boxes[0]!.text).toContain(h.userData);
});
