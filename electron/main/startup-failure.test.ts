// When the services cannot start (here: a history database written by a newer Kaiwa), the desktop
// app must say so in a window — a user who launched it from a menu never sees stderr — write the
// error to its log file, name the data folder and that log file, and exit.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ userData: '', boxes: [] as { title: string; text: string }[], exits: [] as number[] }));

vi.mock('electron', () => {
  const app = {
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    isReady: () => true,
    getPath: () => h.userData,
    getVersion: () => '0.1.0-test',
    getLocale: () => 'en-US',
    getPreferredSystemLanguages: () => ['en-US'],
    isPackaged: false,
    on: () => {},
    quit: () => {},
    exit: (code: number) => h.exits.push(code),
    setPath: () => {},
    setAppUserModelId: () => {},
  };
  const ipcMain = { on: () => {}, handle: () => {}, removeHandler: () => {} };
  return {
    default: { app, ipcMain, shell: {} },
    app,
    ipcMain,
    dialog: { showErrorBox: (title: string, text: string) => h.boxes.push({ title, text }), showMessageBox: () => Promise.resolve({ response: 0 }) },
    protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
    safeStorage: { isEncryptionAvailable: () => false },
    session: { defaultSession: { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} } },
    shell: {},
    Menu: { setApplicationMenu: () => {}, buildFromTemplate: (t: unknown) => t },
    nativeTheme: { themeSource: 'system' },
    BrowserWindow: class {},
    screen: { getAllDisplays: () => [] },
  };
});

h.userData = mkdtempSync(join(tmpdir(), 'kaiwa-startup-'));
afterAll(() => rmSync(h.userData, { recursive: true, force: true }));

it('a database from a newer Kaiwa: an error window names the problem, the data folder and the log file, the log has it, then the app exits', async () => {
  const db = new DatabaseSync(join(h.userData, 'history.sqlite'));
  db.exec('PRAGMA user_version = 999');
  db.close();
  await import('./index.ts');
  await vi.waitFor(() => expect(h.exits).toEqual([1]));
  expect(h.boxes).toHaveLength(1);
  expect(h.boxes[0]!.title).toBe('Kaiwa could not start');
  expect(h.boxes[0]!.text).toContain('newer Kaiwa');
  expect(h.boxes[0]!.text).toContain(h.userData);
  const logFile = join(h.userData, 'logs', 'kaiwa.log');
  expect(h.boxes[0]!.text).toContain(logFile);
  expect(readFileSync(logFile, 'utf8')).toMatch(/ERROR Kaiwa could not start .*newer Kaiwa/);
});
