// Keys are sealed with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). Where the OS
// offers nothing (or Linux falls back to `basic_text`, a hard-coded password), Kaiwa says so in
// settings; without OS encryption it uses the same file-keyed cipher as browser mode rather than
// writing keys in the clear.
import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../services/platform.ts';
import { createFileCipher } from '../services/vault/file-cipher.ts';

export function createSafeStorageCipher(safeStorage: SafeStorage, dataDir: string, platform: NodeJS.Platform): SecretCipher {
  if (!safeStorage.isEncryptionAvailable()) {
    const file = createFileCipher(dataDir);
    return { ...file, backend: 'file (no OS encryption available)', weak: true };
  }
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : platform === 'darwin' ? 'keychain' : 'dpapi';
  return {
    backend,
    encrypted: backend !== 'basic_text',
    weak: backend === 'basic_text' || backend === 'unknown',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}
