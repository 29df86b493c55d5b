// Passphrase encryption for the keys in a backup: scrypt derives a 256-bit key from the passphrase
// and a random salt, AES-256-GCM encrypts and authenticates. Nothing here is reversible without
// the passphrase; a wrong passphrase and a tampered box fail the same authentication check.
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/** ~32 MiB and ~100 ms per derivation on a laptop: slow enough to make guessing expensive. */
export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 1 };
/** What a backup may ask for: bounded so a crafted file cannot make restore allocate gigabytes. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
const AAD = Buffer.from('kaiwa.backup.keys/1');

const B64 = (bytes?: number) =>
  z
    .string()
    .max(64 * 1024 * 1024)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64')
    .refine((s) => bytes === undefined || Buffer.from(s, 'base64').length === bytes, `must be ${bytes} bytes`);

export const SealedBox = z
  .strictObject({
    kdf: z.strictObject({
      name: z.literal('scrypt'),
      N: z.number().int().min(2 ** 14).max(2 ** 20).refine((n) => (n & (n - 1)) === 0, 'power of two'),
      r: z.number().int().min(1).max(32),
      p: z.number().int().min(1).max(16),
      salt: B64(16),
    }),
    cipher: z.literal('aes-256-gcm'),
    iv: B64(12),
    tag: B64(16),
    data: B64(),
  })
  .refine((b) => 128 * b.kdf.N * b.kdf.r * b.kdf.p <= MAX_SCRYPT_MEMORY, 'scrypt parameters too large');
export type SealedBox = z.infer<typeof SealedBox>;

function derive(passphrase: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 2 * 128 * o.N * o.r * o.p + 1024 * 1024 };
  // The same passphrase typed on macOS (NFD input) and elsewhere (NFC) must give the same key.
  return new Promise((resolve, reject) => scrypt(passphrase.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function seal(plain: string, passphrase: string): Promise<SealedBox> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await derive(passphrase, salt, SCRYPT_DEFAULTS);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(AAD);
  const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return {
    kdf: { name: 'scrypt', ...SCRYPT_DEFAULTS, salt: salt.toString('base64') },
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

export class WrongPassphraseError extends Error {
  constructor() {
    super('The passphrase does not open this backup.');
    this.name = 'WrongPassphraseError';
  }
}

/** Decrypts a box; throws WrongPassphraseError when the passphrase (or the box) does not match. */
export async function unseal(box: SealedBox, passphrase: string): Promise<string> {
  const key = await derive(passphrase, Buffer.from(box.kdf.salt, 'base64'), box.kdf);
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64'));
  d.setAAD(AAD);
  d.setAuthTag(Buffer.from(box.tag, 'base64'));
  try {
    return Buffer.concat([d.update(Buffer.from(box.data, 'base64')), d.final()]).toString('utf8');
  } catch {
    throw new WrongPassphraseError();
  }
}
