import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { defaultSettings, SETTINGS_SCHEMA_VERSION, SettingsStore } from './store.ts';

const NOW = 1_700_000_000_000;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-settings-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = () => new SettingsStore(dir, silentLogger, undefined, () => NOW);
const settingsFile = () => join(dir, 'settings.json');

/** `original` is the exact text expected in the backup, or a check of its parsed content. */
function expectRecovered(store: SettingsStore, original: string | ((backup: unknown) => void), code: 'settings_corrupt' | 'settings_invalid'): void {
  expect(store.get()).toEqual(defaultSettings());
  const backups = readdirSync(dir).filter((f) => /^settings\.corrupt-.*\.json$/.test(f));
  expect(backups).toEqual([`settings.corrupt-${NOW}.json`]);
  const backup = join(dir, backups[0]!);
  const text = readFileSync(backup, 'utf8');
  if (typeof original === 'string') expect(text).toBe(original);
  else original(JSON.parse(text));
  const notice = store.notices.find((n) => n.code === code);
  expect(notice).toBeDefined();
  expect(notice!.level).toBe('warning');
  expect(notice!.params).toEqual({ backup });
  // The app keeps working: a change is saved and read back.
  store.update((s) => {
    s.theme = 'dark';
  });
  expect(open().get().theme).toBe('dark');
}

describe('SettingsStore', () => {
  it('starts with defaults and no notice when there is no file', () => {
    const s = open();
    expect(s.get()).toEqual(defaultSettings());
    expect(s.notices).toEqual([]);
  });

  it('a corrupt (non-JSON) file → defaults, a byte-exact backup and a settings_corrupt notice', () => {
    writeFileSync(settingsFile(), '{not json');
    expectRecovered(open(), '{not json', 'settings_corrupt');
  });

  it('a JSON file violating the schema → defaults, a backup and a notice', () => {
    writeFileSync(settingsFile(), '{"idleTimeoutSec":"x"}');
    expectRecovered(open(), '{"idleTimeoutSec":"x"}', 'settings_invalid');
  });

  it('a file whose nested values violate the schema → defaults, a backup and a notice', () => {
    const broken = { ...defaultSettings(), language: 'ja', providers: [{ id: 1, kind: 'nonsense' }] };
    writeFileSync(settingsFile(), JSON.stringify(broken));
    // conf has already loaded (and re-serialised) this file when the detailed check fails, so the
    // backup holds the user's values rather than the exact bytes.
    expectRecovered(
      open(),
      (backup) => expect(backup).toMatchObject({ language: 'ja', providers: [{ id: 1, kind: 'nonsense' }] }),
      'settings_invalid',
    );
  });

  it('an update survives a new SettingsStore on the same directory', () => {
    const a = open();
    a.update((s) => {
      s.language = 'zh';
      s.idleTimeoutSec = 120;
      s.defaultModel = { providerId: 'wandb', modelId: 'deepseek-ai/DeepSeek-V3-0324' };
      s.providers.find((p) => p.id === 'modelscope')!.baseUrl = 'http://127.0.0.1:1234/v1';
    });
    const b = open();
    expect(b.notices).toEqual([]);
    expect(b.get().language).toBe('zh');
    expect(b.get().idleTimeoutSec).toBe(120);
    expect(b.get().defaultModel).toEqual({ providerId: 'wandb', modelId: 'deepseek-ai/DeepSeek-V3-0324' });
    expect(b.get().providers.find((p) => p.id === 'modelscope')!.baseUrl).toBe('http://127.0.0.1:1234/v1');
  });

  it('an invalid update is refused and changes nothing, in memory or on disk', () => {
    const s = open();
    expect(() =>
      s.update((d) => {
        d.idleTimeoutSec = 1;
      }),
    ).toThrow();
    expect(s.get().idleTimeoutSec).toBe(60);
    expect(open().get().idleTimeoutSec).toBe(60);
  });

  it('notifies listeners of every change', () => {
    const s = open();
    const seen: string[] = [];
    const off = s.onChange((v) => seen.push(v.theme));
    s.update((d) => {
      d.theme = 'light';
    });
    off();
    s.update((d) => {
      d.theme = 'dark';
    });
    expect(seen).toEqual(['light']);
  });

  it.skipIf(process.platform === 'win32')('writes the settings file owner-only (0600)', () => {
    open().update((s) => {
      s.theme = 'dark';
    });
    expect(existsSync(settingsFile())).toBe(true);
    expect(statSync(settingsFile()).mode & 0o777).toBe(0o600);
  });
});

describe('SettingsStore (providers branch)', () => {
  it('writes owner-only JSON that records the schema version (for the versioned migrations)', () => {
    const s = open();
    s.update((d) => void (d.providers[0]!.baseUrl = 'http://127.0.0.1:1234/v1'));
    const file = JSON.parse(readFileSync(settingsFile(), 'utf8')) as { __internal__?: { migrations?: { version?: string } } };
    expect(file.__internal__?.migrations?.version).toBe(SETTINGS_SCHEMA_VERSION);
    expect(statSync(settingsFile()).mode & 0o077).toBe(0);
    expect(open().get().providers[0]!.baseUrl).toBe('http://127.0.0.1:1234/v1');
  });

  it('an empty file (settings lost) is reported as damaged, not silently replaced', () => {
    writeFileSync(settingsFile(), '');
    expectRecovered(open(), '', 'settings_corrupt');
  });
});
