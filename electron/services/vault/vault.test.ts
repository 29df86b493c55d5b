import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { createFileCipher } from './file-cipher.ts';
import { KeyVault, maskKey } from './vault.ts';

let dir: string;
const open = (now?: () => number) => new KeyVault(dir, createFileCipher(dir), silentLogger, now);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-vault-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const KEY_A = 'ms-aaaaaaaa-1111-2222-3333-444444444444';
const KEY_B = 'ms-bbbbbbbb-5555-6666-7777-888888888888';

describe('KeyVault', () => {
  it('masks to the first 3 and last 4 characters; short keys show less', () => {
    expect(maskKey(KEY_A)).toBe('ms-…4444');
    expect(maskKey('short-key')).toBe('••••ey');
  });

  it('stores keys encrypted: neither the raw key nor its base64/hex is in any file', () => {
    const v = open();
    v.setKeys('modelscope', `${KEY_A}\n${KEY_B}`);
    for (const f of ['keys.json', 'vault.key']) {
      const bytes = readFileSync(join(dir, f));
      for (const k of [KEY_A, KEY_B]) {
        for (const form of [k, Buffer.from(k).toString('base64'), Buffer.from(k).toString('hex')]) {
          expect(bytes.includes(Buffer.from(form)), `${f} holds a form of the key`).toBe(false);
        }
      }
      expect(statSync(join(dir, f)).mode & 0o077).toBe(0);
    }
    expect(open().pick('modelscope')?.key).toBe(KEY_A);
  });

  it('append adds only new keys after the existing ones; removeKey drops one', () => {
    const v = open();
    v.setKeys('modelscope', KEY_A);
    const idA = v.list('modelscope')[0]!.id;
    v.setKeys('modelscope', `${KEY_A}\n\n  ${KEY_B}  \n`, 'user', undefined, true);
    expect(v.list('modelscope').map((k) => k.masked)).toEqual(['ms-…4444', 'ms-…8888']);
    expect(v.list('modelscope')[0]!.id).toBe(idA);
    expect(v.removeKey('modelscope', idA)).toBe(true);
    expect(v.removeKey('modelscope', idA)).toBe(false);
    expect(open().list('modelscope').map((k) => k.masked)).toEqual(['ms-…8888']);
  });

  it('rotation: a failed key is skipped with its reason kept; re-pasting it keeps the reason', () => {
    let t = 1000;
    const v = open(() => t);
    v.setKeys('wandb', `${KEY_A}\n${KEY_B}`);
    const [a, b] = v.list('wandb');
    v.markFailed('wandb', a!.id, 'auth_invalid_key', 'W&B Inference rejected the API key.');
    expect(v.pick('wandb')?.id).toBe(b!.id);
    v.setKeys('wandb', `${KEY_A}\n${KEY_B}`);
    expect(open().list('wandb')[0]!.failure).toEqual({ code: 'auth_invalid_key', at: 1000, message: 'W&B Inference rejected the API key.' });
    // All failed: the one that failed longest ago is tried again.
    t = 2000;
    v.markFailed('wandb', b!.id, 'quota_exceeded');
    expect(v.pick('wandb')?.id).toBe(a!.id);
    v.markOk('wandb', a!.id);
    expect(v.list('wandb')[0]!.failure).toBeUndefined();
  });

  it('imports keys from the environment on the first run only, and says where they came from', () => {
    const map = [
      { providerId: 'modelscope', envKeys: ['MODELSCOPE_API_KEY', 'MODELSCOPE_SDK_TOKEN'] },
      { providerId: 'wandb', envKeys: ['WANDB_API_KEY'] },
      { providerId: 'dashscope', envKeys: ['DASHSCOPE_API_KEY'] },
    ];
    const v = open();
    v.importFromEnv({ MODELSCOPE_SDK_TOKEN: KEY_A, WANDB_API_KEY: ` ${KEY_B} ` }, map);
    expect(v.list('modelscope')).toMatchObject([{ source: 'env', envName: 'MODELSCOPE_SDK_TOKEN', masked: 'ms-…4444' }]);
    expect(v.pick('wandb')?.key).toBe(KEY_B);
    expect(v.list('dashscope')).toEqual([]);
    // Second run: the environment is not read again (a removed key stays removed).
    const again = open();
    again.removeKey('modelscope', again.list('modelscope')[0]!.id);
    open().importFromEnv({ MODELSCOPE_API_KEY: KEY_B }, map);
    expect(open().list('modelscope')).toEqual([]);
  });

  it('a damaged vault file is moved aside and reported; the app goes on with no keys', () => {
    open().setKeys('modelscope', KEY_A);
    writeFileSync(join(dir, 'keys.json'), '{ not json');
    const v = open();
    expect(v.list('modelscope')).toEqual([]);
    expect(v.notices[0]?.code).toBe('vault_corrupt');
  });
});
