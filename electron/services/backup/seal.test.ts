import { describe, expect, it } from 'vitest';
import { SealedBox, WrongPassphraseError, seal, unseal } from './seal.ts';
import { testKey } from '../../../test/test-keys.ts';

const SECRET = testKey('ms-', '5f0c3a7e-91b2-4d6a-8c3e-0a1b2c3d4e5f');

describe('passphrase seal (scrypt + AES-256-GCM)', () => {
  it('opens with the passphrase and only with it', async () => {
    const box = await seal(JSON.stringify({ key: SECRET }), 'correct horse battery');
    expect(SealedBox.parse(box)).toEqual(box);
    expect(JSON.parse(await unseal(box, 'correct horse battery'))).toEqual({ key: SECRET });
    await expect(unseal(box, 'correct horse batterY')).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(unseal(box, '')).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('uses a fresh salt and IV each time, and never carries the secret in any readable form', async () => {
    const a = await seal(SECRET, 'pass phrase 1');
    const b = await seal(SECRET, 'pass phrase 1');
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
    const text = JSON.stringify(a);
    for (const form of [SECRET, Buffer.from(SECRET).toString('base64'), Buffer.from(SECRET).toString('hex'), Buffer.from(SECRET).toString('base64url')]) {
      expect(text).not.toContain(form);
    }
    expect(a.kdf).toMatchObject({ name: 'scrypt', N: 32768, r: 8, p: 1 });
  });

  it('detects any change to the box', async () => {
    const box = await seal(SECRET, 'pass phrase 1');
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, 'base64');
      buf[0]! ^= 1;
      return buf.toString('base64');
    };
    for (const field of ['data', 'iv', 'tag'] as const) {
      await expect(unseal({ ...box, [field]: flip(box[field]) }, 'pass phrase 1')).rejects.toBeInstanceOf(WrongPassphraseError);
    }
    await expect(unseal({ ...box, kdf: { ...box.kdf, salt: flip(box.kdf.salt) } }, 'pass phrase 1')).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('derives the same key from a passphrase typed in composed or decomposed form', async () => {
    const composed = 'パスワードは秘密です';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const box = await seal(SECRET, composed);
    expect(await unseal(box, decomposed)).toBe(SECRET);
  });

  it('refuses scrypt parameters that would make a restore allocate too much memory', async () => {
    const box = await seal(SECRET, 'pass phrase 1');
    expect(SealedBox.safeParse({ ...box, kdf: { ...box.kdf, N: 2 ** 20, r: 32 } }).success).toBe(false);
    expect(SealedBox.safeParse({ ...box, kdf: { ...box.kdf, N: 3000 } }).success).toBe(false);
    expect(SealedBox.safeParse({ ...box, iv: Buffer.alloc(8).toString('base64') }).success).toBe(false);
  });
});
