import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { PRESETS } from '../providers/presets.ts';
import { createFileCipher } from './file-cipher.ts';
import { KeyVault } from './vault.ts';
import { testKey } from '../../../test/test-keys.ts';

const KEY_A = testKey('ms-', '0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9');
const KEY_B = testKey('sk-', 'ZYXWVUTSRQPONMLKJIHGFEDCBA987654');
const ENV_MAP = PRESETS.map((p) => ({ providerId: p.id, envKeys: p.envKeys, baseUrl: p.defaultBaseUrl }));
/** Every key in these tests is saved for (and used at) one origin; binding itself is tested in bound.test.ts. */
const AT = 'https://api.example.test';
const O = { origin: AT };

let dir: string;
let clock: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-vault-'));
  clock = 1_000;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = () => new KeyVault(dir, createFileCipher(dir), silentLogger, () => clock);

/** Every file under the data dir, as raw bytes. */
function allFiles(root: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    if (e.isDirectory()) out.push(...allFiles(p));
    else out.push({ path: p, bytes: readFileSync(p) });
  }
  return out;
}

describe('KeyVault', () => {
  it('stores keys encrypted: neither the key, its base64 nor its hex appears in any file', () => {
    const v = open();
    v.setKeys('modelscope', `${KEY_A}\n${KEY_B}`, O);
    const files = allFiles(dir);
    expect(files.map((f) => f.path).some((p) => p.endsWith('keys.json'))).toBe(true);
    for (const key of [KEY_A, KEY_B]) {
      const forms = [
        key,
        key.slice(3, -4), // the part the masked form hides
        Buffer.from(key).toString('base64'),
        Buffer.from(key).toString('base64url'),
        Buffer.from(key).toString('hex'),
        Buffer.from(key).toString('hex').toUpperCase(),
      ];
      for (const f of files) {
        for (const form of forms) {
          expect(f.bytes.includes(Buffer.from(form)), `${form} in ${f.path}`).toBe(false);
          expect(f.bytes.toString('latin1').includes(form), `${form} in ${f.path}`).toBe(false);
        }
        expect(f.bytes.includes(Buffer.from(key, 'utf8')), `raw bytes of the key in ${f.path}`).toBe(false);
      }
    }
    // …and yet they are really there: a new vault on the same directory reads them back.
    expect(open().pick('modelscope', AT)).toMatchObject({ key: KEY_A });
  });

  it('shows keys masked as first 3 + … + last 4', () => {
    const v = open();
    v.setKeys('wandb', `${KEY_A}\n${KEY_B}`, O);
    const views = v.list('wandb');
    expect(views.map((k) => k.masked)).toEqual(['ms-…e8f9', 'sk-…7654']);
    expect(views.map((k) => k.source)).toEqual(['user', 'user']);
    expect(JSON.stringify(views)).not.toContain(KEY_A.slice(3, -4));
  });

  it('keeps the id (and failure mark) of a key that is set again, trimming lines and dropping blanks and repeats', () => {
    const v = open();
    v.setKeys('modelscope', KEY_A, O);
    const [a] = v.list('modelscope');
    v.markFailed('modelscope', a!.id, 'auth_invalid_key');
    v.setKeys('modelscope', `  ${KEY_A}  \r\n\r\n${KEY_B}\n${KEY_A}\n`, O);
    const after = v.list('modelscope');
    expect(after).toHaveLength(2);
    expect(after[0]!.id).toBe(a!.id);
    expect(after[0]!.failure?.code).toBe('auth_invalid_key');
    expect(after[1]!.id).not.toBe(a!.id);
    // Survives a restart too.
    expect(open().list('modelscope').map((k) => k.id)).toEqual(after.map((k) => k.id));
  });

  it('removes keys that are no longer listed', () => {
    const v = open();
    v.setKeys('modelscope', `${KEY_A}\n${KEY_B}`, O);
    v.setKeys('modelscope', KEY_B, O);
    expect(v.list('modelscope').map((k) => k.masked)).toEqual(['sk-…7654']);
    v.setKeys('modelscope', '', O);
    expect(v.list('modelscope')).toEqual([]);
    expect(v.pick('modelscope', AT)).toBeNull();
    expect(open().pick('modelscope', AT)).toBeNull();
  });

  it('pick skips a failed key; with all failed it takes the one that failed longest ago', () => {
    const v = open();
    v.setKeys('modelscope', `${KEY_A}\n${KEY_B}`, O);
    const [a, b] = v.list('modelscope');
    expect(v.pick('modelscope', AT)).toEqual({ id: a!.id, key: KEY_A, origin: AT });
    clock = 2_000;
    v.markFailed('modelscope', a!.id, 'auth_invalid_key');
    expect(v.pick('modelscope', AT)).toEqual({ id: b!.id, key: KEY_B, origin: AT });
    clock = 3_000;
    v.markFailed('modelscope', b!.id, 'quota_exceeded');
    expect(v.pick('modelscope', AT)).toEqual({ id: a!.id, key: KEY_A, origin: AT });
    v.markOk('modelscope', b!.id);
    expect(v.pick('modelscope', AT)).toEqual({ id: b!.id, key: KEY_B, origin: AT });
    expect(v.list('modelscope')[1]!.failure).toBeUndefined();
  });

  it('a failure mark survives a restart', () => {
    const v = open();
    v.setKeys('modelscope', `${KEY_A}\n${KEY_B}`, O);
    v.markFailed('modelscope', v.list('modelscope')[0]!.id, 'auth_invalid_key', 'rejected');
    expect(open().pick('modelscope', AT)!.key).toBe(KEY_B);
    expect(open().list('modelscope')[0]!.failure).toEqual({ code: 'auth_invalid_key', at: 1_000, message: 'rejected' });
  });

  it('imports keys from the environment on the first run, marked as from the environment', () => {
    const v = open();
    expect(v.firstRun).toBe(true);
    v.importFromEnv({ MODELSCOPE_SDK_TOKEN: ` ${KEY_A} `, WANDB_API_KEY: '', DASHSCOPE_API_KEY: KEY_B }, ENV_MAP);
    expect(v.list('modelscope')).toEqual([{ id: expect.any(String), masked: 'ms-…e8f9', source: 'env', envName: 'MODELSCOPE_SDK_TOKEN', origin: 'https://api-inference.modelscope.cn' }]);
    expect(v.list('wandb')).toEqual([]);
    expect(v.list('dashscope')).toMatchObject([{ source: 'env', envName: 'DASHSCOPE_API_KEY' }]);
    expect(v.pick('modelscope', 'https://api-inference.modelscope.cn')!.key).toBe(KEY_A);
    expect(v.pick('modelscope', AT)).toBeNull();
  });

  it('prefers the first listed variable of a provider', () => {
    const v = open();
    v.importFromEnv({ MODELSCOPE_API_KEY: KEY_B, MODELSCOPE_SDK_TOKEN: KEY_A }, ENV_MAP);
    expect(v.list('modelscope')).toMatchObject([{ envName: 'MODELSCOPE_API_KEY', masked: 'sk-…7654' }]);
  });

  it('does not import on a second run, even when the first run found nothing', () => {
    open().importFromEnv({}, ENV_MAP);
    const second = open();
    expect(second.firstRun).toBe(false);
    second.importFromEnv({ MODELSCOPE_API_KEY: KEY_A }, ENV_MAP);
    expect(second.list('modelscope')).toEqual([]);

    // A key the user removed after the first run does not come back from the environment either.
    rmSync(dir, { recursive: true, force: true });
    const first = open();
    first.importFromEnv({ MODELSCOPE_API_KEY: KEY_A }, ENV_MAP);
    first.setKeys('modelscope', '', O);
    const again = open();
    again.importFromEnv({ MODELSCOPE_API_KEY: KEY_A }, ENV_MAP);
    expect(again.list('modelscope')).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('writes its files owner-only (0600)', () => {
    const v = open();
    v.setKeys('modelscope', KEY_A, O);
    v.markFailed('modelscope', v.list('modelscope')[0]!.id, 'x');
    const files = allFiles(dir);
    expect(files.map((f) => f.path.slice(dir.length + 1)).sort()).toEqual(['keys.json', 'vault.key']);
    for (const f of files) expect(statSync(f.path).mode & 0o777, f.path).toBe(0o600);
  });
});

describe('KeyVault (providers branch): one key at a time', () => {
  it('masks a short key to its last 2 characters only', () => {
    const v = open();
    v.setKeys('custom-x', 'short-key', O);
    expect(v.list('custom-x')[0]!.masked).toBe('••••ey');
  });

  it('append adds only new keys after the existing ones, keeping ids and failure marks', () => {
    const v = open();
    v.setKeys('modelscope', KEY_A, O);
    const a = v.list('modelscope')[0]!;
    v.markFailed('modelscope', a.id, 'auth_invalid_key', 'rejected');
    v.setKeys('modelscope', `${KEY_A}\n\n  ${KEY_B}  \n`, { origin: AT, append: true });
    const after = open().list('modelscope');
    expect(after.map((k) => k.masked)).toEqual(['ms-…e8f9', 'sk-…7654']);
    expect(after[0]).toMatchObject({ id: a.id, failure: { code: 'auth_invalid_key', message: 'rejected' } });
  });

  it('removeKey drops one key (and reports a second removal); get returns one key by id', () => {
    const v = open();
    v.setKeys('wandb', `${KEY_A}\n${KEY_B}`, O);
    const [a, b] = v.list('wandb');
    expect(v.get('wandb', b!.id, AT)?.key).toBe(KEY_B);
    expect(v.removeKey('wandb', a!.id)).toBe(true);
    expect(v.removeKey('wandb', a!.id)).toBe(false);
    expect(v.get('wandb', a!.id, AT)).toBeNull();
    expect(open().list('wandb').map((k) => k.id)).toEqual([b!.id]);
    v.removeKey('wandb', b!.id);
    expect(open().pick('wandb', AT)).toBeNull();
  });
});
