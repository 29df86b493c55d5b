// Restore unpacks the history with a cap: a small backup cannot make Kaiwa inflate gigabytes (a
// 1.4 MB file used to cost 1 GB of memory). Real services on real data directories; the backups are
// crafted the way an attacker would: valid JSON and checksums around a gzip bomb.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createGzip, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { UPLOAD_CHUNK_CHARS } from '../../contract/index.ts';
import { startTestKaiwa, type TestKaiwa } from '../../../test/kaiwa.ts';
import { backupChecksum } from './format.ts';
import { BackupService } from './service.ts';

const MB = 1024 * 1024;
let instances: TestKaiwa[] = [];

afterEach(async () => {
  for (const k of instances) await k.close();
  instances = [];
});

function start(): TestKaiwa {
  const k = startTestKaiwa();
  instances.push(k);
  return k;
}

/** gzip of `total` zero bytes, produced a megabyte at a time so this process never holds them. */
async function zeroBomb(total: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((r) => gz.once('end', () => r()));
  const chunk = Buffer.alloc(MB);
  for (let n = 0; n < total; n += MB) if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
  return Buffer.concat(out);
}

/** A real backup of `k` whose history is replaced by `gz`, declared as `bytes` long, checksums redone. */
async function craft(k: TestKaiwa, gz: Buffer, bytes: number, sha256: string): Promise<string> {
  const created = await k.call('backup.create', {});
  if (created.delivery !== 'download') throw new Error('a backup without keys is a download');
  const file = JSON.parse(created.text) as Record<string, unknown> & { history: Record<string, unknown> };
  file.history = { ...file.history, bytes, sha256, data: gz.toString('base64') };
  file['checksum'] = backupChecksum(file);
  return JSON.stringify(file);
}

/** What the user would notice changing: conversations, settings, and the files in the data dir. */
async function snapshot(k: TestKaiwa) {
  return {
    conversations: (await k.call('conversations.list', {})).map((c) => c.title),
    settings: await k.call('settings.get', {}),
    files: readdirSync(k.dir).sort(),
  };
}

describe('restore inflates the history with a cap', () => {
  it('refuses a backup whose history unpacks past the cap, with a message, and changes nothing', async () => {
    const k = start();
    k.kaiwa.services.history.createConversation({ providerId: null, modelId: null, title: 'Keep me' });
    await k.call('settings.update', { theme: 'dark' });
    const zeros = 4 * MB;
    const text = await craft(k, gzipSync(Buffer.alloc(zeros)), zeros, createHash('sha256').update(Buffer.alloc(zeros)).digest('hex'));
    expect(text.length).toBeLessThan(64 * 1024);
    const before = await snapshot(k);
    const backup = new BackupService({ ...depsOf(k), maxHistoryBytes: MB });
    await expect(backup.restore(text)).rejects.toMatchObject({ info: { code: 'backup_too_large', params: { limit: '1 MB' } } });
    expect(await snapshot(k)).toEqual(before);
  });

  it('stops unpacking at the size the backup declares: 1 GB of zeros declared as 1 KB costs no gigabyte', async () => {
    const k = start();
    k.kaiwa.services.history.createConversation({ providerId: null, modelId: null, title: 'Keep me' });
    const gz = await zeroBomb(1024 * MB);
    const text = await craft(k, gz, 1024, createHash('sha256').update(Buffer.alloc(1024)).digest('hex'));
    expect(text.length).toBeLessThan(3 * MB);
    const before = await snapshot(k);
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const started = Date.now();
    const r = await k.kaiwa.dispatch('backup.restore', { uploadId: await stage(k, text) });
    expect(r).toMatchObject({ ok: false, error: { code: 'backup_damaged' } });
    // Unbounded, this held the whole gigabyte (and took seconds); bounded, it stops after 1 KB.
    expect(process.resourceUsage().maxRSS * 1024 - peakBefore).toBeLessThan(256 * MB);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await snapshot(k)).toEqual(before);
  });
});

function depsOf(k: TestKaiwa): ConstructorParameters<typeof BackupService>[0] {
  const s = k.kaiwa.services;
  return { dataDir: k.dir, history: s.history, settings: s.settings, vault: s.vault, stopStreams: async () => undefined, log: k.kaiwa.log, now: Date.now, appVersion: '0.0.0-test' };
}

async function stage(k: TestKaiwa, text: string): Promise<string> {
  let uploadId: string | undefined;
  for (let i = 0; i < text.length; i += UPLOAD_CHUNK_CHARS) {
    ({ uploadId } = await k.call('uploads.append', { ...(uploadId ? { uploadId } : {}), chunk: text.slice(i, i + UPLOAD_CHUNK_CHARS) }));
  }
  return uploadId!;
}
