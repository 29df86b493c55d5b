// One data folder, two modes: the desktop app seals keys with Electron's safeStorage, browser mode
// with the file cipher. Both real ciphers are used here; only `electron`'s safeStorage is replaced
// (no Electron binary can run in unit tests) by a stand-in that, like the real one, produces bytes
// only that OS key store can open.
// (Next to boundary.test.ts rather than in services/vault: it runs the desktop cipher from electron/main, which services may not import.)
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSafeStorageCipher } from './main/cipher.ts';
import { silentLogger } from './services/log.ts';
import { UPLOAD_CHUNK_CHARS } from './contract/index.ts';
import { startTestKaiwa, type TestKaiwa } from '../test/kaiwa.ts';
import { createFileCipher } from './services/vault/file-cipher.ts';
import { KeyVault } from './services/vault/vault.ts';

const KEY = 'sk-two-modes-0123456789abcdef';
const AT = 'https://api.example.test';

/** A keychain stand-in: AES-256-CBC under a key held "by the OS" (this closure), with Chromium's "v11" prefix. */
function stubSafeStorage(): SafeStorage {
  const osKey = randomBytes(32);
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString(plain: string) {
      const iv = randomBytes(16);
      const c = createCipheriv('aes-256-cbc', osKey, iv);
      return Buffer.concat([Buffer.from('v11'), iv, c.update(plain, 'utf8'), c.final()]);
    },
    decryptString(data: Buffer) {
      if (data.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const d = createDecipheriv('aes-256-cbc', osKey, data.subarray(3, 19));
      return Buffer.concat([d.update(data.subarray(19)), d.final()]).toString('utf8');
    },
  } as unknown as SafeStorage;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-modes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('one data folder, two modes', () => {
  it('a key the desktop app sealed shows in browser mode as "saved by the desktop app", not as damage', () => {
    const safe = stubSafeStorage();
    const desktop = new KeyVault(dir, createSafeStorageCipher(safe, dir, 'linux'), silentLogger);
    desktop.setKeys('modelscope', KEY, { origin: AT });
    expect(desktop.pick('modelscope', AT)?.key).toBe(KEY);

    const browser = new KeyVault(dir, createFileCipher(dir), silentLogger);
    expect(browser.list('modelscope')).toMatchObject([{ failure: { code: 'sealed_by_desktop' } }]);
    expect(browser.pick('modelscope', AT)).toBeNull();
    // Pasted again in browser mode, it works there, sealed by the file cipher.
    browser.setKeys('modelscope', KEY, { origin: AT });
    expect(browser.pick('modelscope', AT)?.key).toBe(KEY);
    expect(new KeyVault(dir, createFileCipher(dir), silentLogger).list('modelscope')[0]!.failure).toBeUndefined();
  });

  it('a key browser mode sealed is named for that in the desktop app; opened again where it was sealed, the mark goes', () => {
    const safe = stubSafeStorage();
    new KeyVault(dir, createFileCipher(dir), silentLogger).setKeys('wandb', KEY, { origin: AT });
    const desktop = new KeyVault(dir, createSafeStorageCipher(safe, dir, 'linux'), silentLogger);
    expect(desktop.list('wandb')).toMatchObject([{ failure: { code: 'sealed_by_browser' } }]);
    const back = new KeyVault(dir, createFileCipher(dir), silentLogger);
    expect(back.list('wandb')[0]!.failure).toBeUndefined();
    expect(back.pick('wandb', AT)?.key).toBe(KEY);
  });

  it('without OS encryption the desktop app uses the file cipher, so both modes open the same keys', () => {
    const none = { ...stubSafeStorage(), isEncryptionAvailable: () => false } as unknown as SafeStorage;
    new KeyVault(dir, createSafeStorageCipher(none, dir, 'linux'), silentLogger).setKeys('modelscope', KEY, { origin: AT });
    expect(new KeyVault(dir, createFileCipher(dir), silentLogger).pick('modelscope', AT)?.key).toBe(KEY);
  });

  it('a key damaged in the same mode stays "could not be decrypted"', () => {
    new KeyVault(dir, createFileCipher(dir), silentLogger).setKeys('modelscope', KEY, { origin: AT });
    rmSync(join(dir, 'vault.key'));
    expect(new KeyVault(dir, createFileCipher(dir), silentLogger).list('modelscope')).toMatchObject([{ failure: { code: 'undecryptable' } }]);
  });

  it('secret headers sealed by the other mode are marked the same way', () => {
    const safe = stubSafeStorage();
    new KeyVault(dir, createSafeStorageCipher(safe, dir, 'linux'), silentLogger).setHeaders('modelscope', { 'X-Sub': 'sub-secret-7' }, [], AT);
    const browser = new KeyVault(dir, createFileCipher(dir), silentLogger);
    expect(browser.headerViews('modelscope', AT)).toEqual([{ name: 'X-Sub', masked: '••••', failure: 'sealed_by_desktop' }]);
    expect(browser.openHeaders('modelscope', AT)).toEqual([]);
  });
});

/** A backup without keys made and restored in browser mode, as the window does it (upload in chunks, then restore). */
async function keylessRoundTrip(k: TestKaiwa) {
  const created = await k.call('backup.create', {});
  if (created.delivery !== 'download') throw new Error(`not a download: ${created.delivery}`);
  let uploadId: string | undefined;
  for (let i = 0; i < created.text.length; i += UPLOAD_CHUNK_CHARS) {
    ({ uploadId } = await k.call('uploads.append', { ...(uploadId ? { uploadId } : {}), chunk: created.text.slice(i, i + UPLOAD_CHUNK_CHARS) }));
  }
  return k.call('backup.restore', { uploadId: uploadId! });
}

describe('a restore in one mode and the secrets the other mode sealed', () => {
  it('a restore without keys in browser mode keeps the keys and secret headers the desktop app sealed', async () => {
    const safe = stubSafeStorage();
    const desktop = new KeyVault(dir, createSafeStorageCipher(safe, dir, 'linux'), silentLogger);
    desktop.setKeys('modelscope', KEY, { origin: AT });
    desktop.setHeaders('modelscope', { 'X-Sub': 'sub-secret-7' }, [], AT);
    const browser = startTestKaiwa({ dataDir: dir });
    try {
      await browser.call('providers.setKeys', { id: 'wandb', keys: 'wb-browser-key-0123456789' });
      expect(await keylessRoundTrip(browser)).toMatchObject({ keys: 1 });
      expect(browser.kaiwa.services.vault.list('modelscope')).toMatchObject([{ failure: { code: 'sealed_by_desktop' } }]);
    } finally {
      await browser.close();
    }
    const back = new KeyVault(dir, createSafeStorageCipher(safe, dir, 'linux'), silentLogger);
    expect(back.pick('modelscope', AT)?.key).toBe(KEY);
    expect(back.openHeaders('modelscope', AT)).toEqual([{ name: 'X-Sub', value: 'sub-secret-7', origin: AT }]);
  });

  it('writing back what was there before (a failed restore) keeps what the other mode sealed, keys and headers', () => {
    const safe = stubSafeStorage();
    const desktop = new KeyVault(dir, createSafeStorageCipher(safe, dir, 'linux'), silentLogger);
    desktop.setKeys('modelscope', KEY, { origin: AT });
    desktop.setHeaders('modelscope', { 'X-Sub': 'sub-secret-7' }, [], AT);
    const browser = new KeyVault(dir, createFileCipher(dir), silentLogger);
    browser.setKeys('wandb', 'wb-browser-key-0123456789', { origin: AT });
    const before = { keys: browser.exportAll(), headers: browser.exportHeaders(), unopened: browser.unopenedSecrets() };
    // A restore with keys replaces them all; then it fails and the previous ones are written back.
    browser.replaceAll({}, {});
    browser.replaceAll(before.keys, before.headers, before.unopened);
    expect(browser.list('modelscope')).toMatchObject([{ failure: { code: 'sealed_by_desktop' } }]);
    expect(browser.headerViews('modelscope', AT)).toEqual([{ name: 'X-Sub', masked: '••••', failure: 'sealed_by_desktop' }]);
    expect(browser.pick('wandb', AT)?.key).toBe('wb-browser-key-0123456789');
    const back = new KeyVault(dir, createSafeStorageCipher(safe, dir, 'linux'), silentLogger);
    expect(back.pick('modelscope', AT)?.key).toBe(KEY);
    expect(back.openHeaders('modelscope', AT)).toEqual([{ name: 'X-Sub', value: 'sub-secret-7', origin: AT }]);
  });
});
