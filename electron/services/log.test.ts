// Redaction, checked on what the logger really writes to its file: Authorization headers, anything
// key-shaped, and every key the vault holds — raw, hex or base64 — never reach a log line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyForms } from '../../test/key-forms.ts';
import { createLogger, forgetSecret, registerSecret } from './log.ts';
import { testKey } from '../../test/test-keys.ts';

/** The encoded forms (not the raw key itself). */
const encodings = (key: string) => keyForms(key).filter((f) => f !== key);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const logged = () => readFileSync(join(dir, 'kaiwa.log'), 'utf8');

describe('log redaction (real log lines)', () => {
  it('Authorization headers and key-shaped strings, in text, JSON and errors', () => {
    const log = createLogger({ dir });
    log.info(`request headers: Authorization: Bearer ${'eyJhbGciOiJIUzI1NiJ9'}.payload.signature`);
    log.warn('dump', { headers: { Authorization: 'Bearer abcdefgh12345678', 'X-Team': 'kaiwa' } });
    log.info('dump', { headers: { authorization: 'sk-proj-abcdefghijklmnopqrstuvwx' } });
    log.error('upstream said', new Error(`Incorrect API key provided: ${testKey('sk-', 'abcdefghijklmnop1234')}. You can find your API key at …`));
    log.info('config api_key=AKIAabcdefghijkl token: "tok_1234567890abcdef" password=hunter2hunter2');
    log.info(`ModelScope token ${testKey('ms-', '5f0c3a7e-91b2-4d6a-8c3e-0a1b2c3d4e5f')} failed`);
    log.info('model Qwen/Qwen3-235B-A22B-Instruct-2507 answered in 812 ms');
    const text = logged();
    for (const secret of ['eyJhbGciOiJIUzI1NiJ9', 'abcdefgh12345678', 'sk-proj-abcdefghijklmnopqrstuvwx', testKey('sk-', 'abcdefghijklmnop1234'), 'AKIAabcdefghijkl', 'tok_1234567890abcdef', 'hunter2hunter2', '5f0c3a7e-91b2-4d6a-8c3e-0a1b2c3d4e5f']) {
      expect(text, secret).not.toContain(secret);
    }
    expect(text.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(8);
    // What is not a secret stays readable.
    expect(text).toContain('X-Team');
    expect(text).toContain('model Qwen/Qwen3-235B-A22B-Instruct-2507 answered in 812 ms');
  });

  it('a key the vault holds is removed in any shape, even when nothing about it looks like a key', () => {
    // W&B keys are 40 hex characters: no pattern can tell them from a hash, only the vault can.
    const key = 'a3f9c2e7b1d84f6a9e0c5b7d2f1a8e3c4b6d9f0e';
    const log = createLogger({ dir });
    registerSecret(key);
    try {
      log.info(`upstream 401: {"error":{"message":"Invalid key ${key}"}}`);
      for (const e of encodings(key)) log.info(`echoed back as ${e}!`);
      log.info(`basic auth ${Buffer.from(`user:${key}`).toString('base64')}`);
      const text = logged();
      expect(text).not.toContain(key);
      for (const e of encodings(key)) expect(text, e).not.toContain(e);
      expect(text.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(2 + encodings(key).length);
    } finally {
      forgetSecret(key);
    }
    // Forgotten (the key was removed from the vault): no longer special.
    log.info(`after removal ${key}`);
    expect(logged()).toContain(`after removal ${key}`);
  });

  it('a stored key of any length is removed raw, URL-encoded, JSON-escaped and in any letter case', () => {
    // Seven characters, nothing key-shaped about it: only the vault knows it is a key.
    const short = 'secret7';
    // A longer key with the characters that change under each encoding.
    const long = 'Kw/9+a b"c\\d&e=f?g#h<i>j€k';
    const log = createLogger({ dir });
    registerSecret(short);
    registerSecret(long);
    try {
      log.error('upstream 401', new Error(`{"error":{"message":"Invalid token ${short}"}}`));
      log.info(`echoed upper-cased: ${short.toUpperCase()}; lower-cased: ${long.toLowerCase()}; upper-cased: ${long.toUpperCase()}`);
      log.info(`in a query: https://x.test/v1?k=${encodeURIComponent(long)}&s=${encodeURIComponent(short)}`);
      log.info(`as a form: k=${encodeURIComponent(long).replace(/%20/g, '+')}`);
      log.info(`quoted by an error body: ${JSON.stringify({ message: `bad key ${long}` })}`);
      log.info(`escaped slashes: ${JSON.stringify(long).replace(/\//g, '\\/')}`);
      log.info(`ascii-only JSON: ${JSON.stringify(long).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`);
      const text = logged();
      const forms = [
        short,
        short.toUpperCase(),
        long,
        long.toLowerCase(),
        long.toUpperCase(),
        encodeURIComponent(long),
        encodeURIComponent(long).replace(/%20/g, '+'),
        JSON.stringify(long).slice(1, -1),
        JSON.stringify(long).slice(1, -1).replace(/\//g, '\\/'),
      ];
      for (const f of forms) expect(text.toLowerCase(), f).not.toContain(f.toLowerCase());
      expect(text).not.toContain('\\u20ac');
      expect(text).toContain('upstream 401');
      expect(text).toContain('in a query: https://x.test/v1?k=[REDACTED]&s=[REDACTED]');
    } finally {
      forgetSecret(short);
      forgetSecret(long);
    }
  });
});
