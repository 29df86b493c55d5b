import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { defaultSettings, SETTINGS_SCHEMA_VERSION, SettingsStore } from './store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const backups = () => readdirSync(dir).filter((f) => f.startsWith('settings.corrupt-'));

describe('SettingsStore', () => {
  it('starts from defaults, writes owner-only JSON with the schema version, and reads it back', () => {
    const s = new SettingsStore(dir, silentLogger);
    expect(s.get()).toEqual(defaultSettings());
    s.update((d) => {
      d.providers[0]!.baseUrl = 'http://127.0.0.1:1234/v1';
      d.defaultModel = { providerId: 'wandb', modelId: 'moonshotai/Kimi-K2-Instruct' };
    });
    const file = JSON.parse(readFileSync(s.path, 'utf8')) as { __internal__?: { migrations?: { version?: string } } };
    expect(file.__internal__?.migrations?.version).toBe(SETTINGS_SCHEMA_VERSION);
    expect(statSync(s.path).mode & 0o077).toBe(0);
    const again = new SettingsStore(dir, silentLogger);
    expect(again.get().providers[0]!.baseUrl).toBe('http://127.0.0.1:1234/v1');
    expect(again.get().defaultModel).toEqual({ providerId: 'wandb', modelId: 'moonshotai/Kimi-K2-Instruct' });
    expect(again.notices).toEqual([]);
  });

  it('a file that is not JSON: backup kept byte for byte, defaults loaded, notice raised', () => {
    writeFileSync(join(dir, 'settings.json'), 'garbage{{{');
    const s = new SettingsStore(dir, silentLogger, undefined, () => 42);
    expect(s.get()).toEqual(defaultSettings());
    expect(backups()).toEqual(['settings.corrupt-42.json']);
    expect(readFileSync(join(dir, 'settings.corrupt-42.json'), 'utf8')).toBe('garbage{{{');
    expect(s.notices).toMatchObject([{ level: 'warning', code: 'settings_corrupt', params: { backup: join(dir, 'settings.corrupt-42.json') } }]);
    // The next write goes to a fresh, valid file.
    s.update((d) => void (d.theme = 'dark'));
    expect(new SettingsStore(dir, silentLogger).get().theme).toBe('dark');
  });

  it('valid JSON that breaks the schema is treated the same way (settings_invalid)', () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ idleTimeoutSec: 'soon', providers: 'none' }));
    const s = new SettingsStore(dir, silentLogger);
    expect(s.get().providers.map((p) => p.id)).toEqual(['modelscope', 'wandb', 'dashscope']);
    expect(backups()).toHaveLength(1);
    expect(s.notices[0]?.code).toBe('settings_invalid');
  });

  it('a provider entry that fails the detailed schema does not stop the app either', () => {
    const bad = { ...defaultSettings(), providers: [{ id: 'x', kind: 'nonsense' }] };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(bad));
    const s = new SettingsStore(dir, silentLogger);
    expect(s.get().providers).toHaveLength(3);
    expect(s.notices[0]?.code).toBe('settings_invalid');
    expect(existsSync(s.path)).toBe(true);
  });

  it('an empty file (settings lost) is reported as damaged, not silently replaced', () => {
    writeFileSync(join(dir, 'settings.json'), '');
    const s = new SettingsStore(dir, silentLogger);
    expect(s.notices.map((n) => n.code)).toEqual(['settings_corrupt']);
    expect(s.get()).toEqual(defaultSettings());
  });

  it('refuses a write that breaks the schema and keeps the previous state', () => {
    const s = new SettingsStore(dir, silentLogger);
    expect(() => s.update((d) => void (d.idleTimeoutSec = 1))).toThrow();
    expect(s.get().idleTimeoutSec).toBe(60);
    expect(new SettingsStore(dir, silentLogger).get().idleTimeoutSec).toBe(60);
  });
});
