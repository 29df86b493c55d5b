// Browser mode has no OS keychain, so keys are sealed with AES-256-GCM under a random master key
// kept in a separate owner-only file. This stops casual reading of the vault file and keeps keys
// out of backups and greps, but anyone who can read the data directory can read both files: the
// settings page says so (weak: true).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretCipher } from '../platform.ts';

export function createFileCipher(dir: string): SecretCipher {
  mkdirSync(dir, { recursive: true });
  const keyPath = join(dir, 'vault.key');
  let master: Buffer;
  if (existsSync(keyPath)) {
    master = readFileSync(keyPath);
    if (master.length !== 32) throw new Error('vault.key is damaged');
  } else {
    master = randomBytes(32);
    writeFileSync(keyPath, master, { mode: 0o600 });
  }
  try {
    chmodSync(keyPath, 0o600);
  } catch {
    // Not every filesystem supports modes (e.g. some Windows volumes).
  }
  return {
    backend: 'file',
    encrypted: true,
    weak: true,
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', master, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(data) {
      const d = createDecipheriv('aes-256-gcm', master, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
