// A backup that holds keys is never handed to the window: whoever asks for it may be a hostile page
// that chose the passphrase and could open it. Main writes it itself — into the data folder in
// browser mode, where the user chose through main's own save dialog on the desktop — and answers
// with where it is. Real services on real data directories, driven through the contract.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UPLOAD_CHUNK_CHARS } from '../../contract/index.ts';
import { startTestKaiwa, type TestKaiwa, type TestKaiwaOptions } from '../../../test/kaiwa.ts';

const KEY = 'ms-delivery-test-0123456789abcdef';
const HEADER_SECRET = 'hdr-delivery-secret-77';
const PASS = 'correct horse battery staple';

let instances: TestKaiwa[];
let outside: string;

function start(options: TestKaiwaOptions = {}): TestKaiwa {
  const k = startTestKaiwa(options);
  instances.push(k);
  return k;
}

async function seed(k: TestKaiwa) {
  await k.call('providers.setKeys', { id: 'modelscope', keys: KEY });
  await k.call('providers.add', { name: 'Gateway', baseUrl: 'https://gw.example.test/v1', headers: { 'X-Gateway-Token': HEADER_SECRET } });
  k.kaiwa.services.history.createConversation({ providerId: null, modelId: null, title: 'Kept' });
}

async function restoreText(k: TestKaiwa, text: string, passphrase: string) {
  let uploadId: string | undefined;
  for (let i = 0; i < text.length || i === 0; i += UPLOAD_CHUNK_CHARS) {
    ({ uploadId } = await k.call('uploads.append', { ...(uploadId ? { uploadId } : {}), chunk: text.slice(i, i + UPLOAD_CHUNK_CHARS) }));
  }
  return k.call('backup.restore', { uploadId: uploadId!, passphrase });
}

/** Everything the caller of backup.create receives, as it would cross the socket. */
async function answerOf(k: TestKaiwa, input: { passphrase?: string }) {
  const r = await k.kaiwa.dispatch('backup.create', input);
  return { r, wire: JSON.stringify(r) };
}

const mode = (path: string) => statSync(path).mode & 0o777;

beforeEach(() => {
  instances = [];
  outside = mkdtempSync(join(tmpdir(), 'kaiwa-save-'));
});

afterEach(async () => {
  for (const k of instances) await k.close();
  rmSync(outside, { recursive: true, force: true });
});

describe('a backup with keys never reaches the window', () => {
  it('browser mode: main writes it into <data folder>/backups (owner-only) and answers only where it is', async () => {
    const k = start();
    await seed(k);
    const { r, wire } = await answerOf(k, { passphrase: PASS });
    expect(r).toMatchObject({ ok: true, value: { delivery: 'saved', where: 'data_folder', includesKeys: true, conversations: 1 } });
    // No file text, no sealed box (salt, ciphertext), no key in any form crosses the contract.
    for (const needle of ['"text"', '"kdf"', 'scrypt', '"history"', KEY, HEADER_SECRET, PASS]) expect(wire).not.toContain(needle);
    const value = (r as { value: { path: string; filename: string } }).value;
    expect(value.path).toBe(join(k.dir, 'backups', value.filename));
    expect(value.filename).toMatch(/^kaiwa-backup-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\.json$/);
    expect(mode(value.path)).toBe(0o600);
    expect(mode(join(k.dir, 'backups'))).toBe(0o700);

    // It is a complete backup: restored elsewhere with the passphrase, the keys come back.
    const text = readFileSync(value.path, 'utf8');
    expect(text).not.toContain(KEY);
    const other = start();
    expect(await restoreText(other, text, PASS)).toEqual({ conversations: 1, keys: 1 });
    expect(other.kaiwa.services.vault.exportAll()['modelscope']!.map((x) => x.key)).toEqual([KEY]);
  });

  it('a second backup in the same minute does not replace the first', async () => {
    const k = start();
    await seed(k);
    const first = await k.call('backup.create', { passphrase: PASS });
    const second = await k.call('backup.create', { passphrase: PASS });
    if (first.delivery !== 'saved' || second.delivery !== 'saved') throw new Error('not saved');
    expect(second.path).not.toBe(first.path);
    expect(readdirSync(join(k.dir, 'backups')).sort()).toEqual([first.filename, second.filename].sort());
  });

  it('desktop: main asks where with its own save dialog and writes there; Cancel writes nothing', async () => {
    const asked: string[] = [];
    let answer: string | null = join(outside, 'chosen.json');
    const k = start({ platform: { chooseSavePath: async ({ defaultName }) => (asked.push(defaultName), answer) } });
    await seed(k);
    const { r, wire } = await answerOf(k, { passphrase: PASS });
    expect(r).toMatchObject({ ok: true, value: { delivery: 'saved', where: 'chosen', path: join(outside, 'chosen.json'), filename: 'chosen.json' } });
    for (const needle of ['"text"', '"kdf"', KEY, HEADER_SECRET]) expect(wire).not.toContain(needle);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/^kaiwa-backup-.*\.json$/);
    expect(mode(join(outside, 'chosen.json'))).toBe(0o600);
    expect(JSON.parse(readFileSync(join(outside, 'chosen.json'), 'utf8'))).toMatchObject({ format: 'kaiwa.backup', keys: { kdf: { name: 'scrypt' } } });
    expect(existsSync(join(k.dir, 'backups'))).toBe(false);

    answer = null;
    expect(await k.call('backup.create', { passphrase: PASS })).toEqual({ delivery: 'cancelled', includesKeys: true, conversations: 1 });
    expect(readdirSync(outside)).toEqual(['chosen.json']);
  });

  it('a backup without keys is still handed to the window to download, as before', async () => {
    const k = start({ platform: { chooseSavePath: async () => { throw new Error('no dialog for a backup without keys'); } } });
    await seed(k);
    const created = await k.call('backup.create', {});
    expect(created).toMatchObject({ delivery: 'download', includesKeys: false, mime: 'application/json' });
    if (created.delivery !== 'download') throw new Error('not a download');
    expect(JSON.parse(created.text)).toMatchObject({ format: 'kaiwa.backup', keys: null });
    expect(created.text).not.toContain(HEADER_SECRET);
    expect(existsSync(join(k.dir, 'backups'))).toBe(false);
  });
});
