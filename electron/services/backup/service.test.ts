// Backup and restore through the contract, with real services on real data directories and the
// fake upstream on 127.0.0.1: what comes back, what never leaves, and that a refused restore
// changes nothing.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeUpstream } from '../../../test/fake-upstream/server.ts';
import { UPLOAD_CHUNK_CHARS } from '../../contract/index.ts';
import { startTestKaiwa, type TestKaiwa } from '../../../test/kaiwa.ts';
import { backupChecksum } from './format.ts';
import { testKey } from '../../../test/test-keys.ts';

const KEY = testKey('ms-', '5f0c3a7e-91b2-4d6a-8c3e-0a1b2c3d4e5f');
const LOCAL_KEY = 'sk-local-secret-0123456789';
const PASS = 'correct horse battery staple';
/** A custom header value (secret by default, like every header not marked otherwise). */
const HEADER_SECRET = 'sub-9f8e7d6c5b4a';

let instances: TestKaiwa[];
let fake: FakeUpstream;

function start(): TestKaiwa {
  const k = startTestKaiwa();
  instances.push(k);
  return k;
}

/** Sends a file the way the window does: in chunks, then the call that uses it. */
async function stage(k: TestKaiwa, text: string): Promise<string> {
  let uploadId: string | undefined;
  for (let i = 0; i < text.length || i === 0; i += UPLOAD_CHUNK_CHARS) {
    ({ uploadId } = await k.call('uploads.append', { ...(uploadId ? { uploadId } : {}), chunk: text.slice(i, i + UPLOAD_CHUNK_CHARS) }));
  }
  return uploadId!;
}

/** A backup with keys, read from where main wrote it (such a file never comes back over the contract). */
async function sealedBackup(k: TestKaiwa) {
  const r = await k.call('backup.create', { passphrase: PASS });
  if (r.delivery !== 'saved') throw new Error(`not saved: ${r.delivery}`);
  return { ...r, text: readFileSync(r.path, 'utf8') };
}

/** A backup without keys, as the window receives it to download. */
async function plainBackup(k: TestKaiwa) {
  const r = await k.call('backup.create', {});
  if (r.delivery !== 'download') throw new Error(`not a download: ${r.delivery}`);
  return r;
}

const restore = async (k: TestKaiwa, text: string, passphrase?: string) => k.kaiwa.dispatch('backup.restore', { uploadId: await stage(k, text), ...(passphrase ? { passphrase } : {}) });

/** A user with keys, a custom provider, changed settings and two conversations (one with versions). */
async function seed(k: TestKaiwa) {
  await k.call('providers.update', { id: 'modelscope', baseUrl: fake.baseUrl });
  await k.call('providers.setKeys', { id: 'modelscope', keys: KEY });
  const local = await k.call('providers.add', { name: 'Local', baseUrl: 'http://localhost:11434/v1', headers: { 'X-Team': 'blue', 'Ocp-Apim-Subscription-Key': HEADER_SECRET }, publicHeaders: ['X-Team'] });
  await k.call('providers.setKeys', { id: local.id, keys: LOCAL_KEY });
  await k.call('settings.update', { language: 'ja', theme: 'dark', idleTimeoutSec: 90, defaultModel: { providerId: 'modelscope', modelId: 'fake-model' }, proxy: { mode: 'custom', url: 'http://127.0.0.1:3128', noProxy: 'localhost, 127.0.0.1' } });
  const h = k.kaiwa.services.history;
  const a = h.createConversation({ providerId: 'modelscope', modelId: 'fake-model', title: 'Fizzbuzz' });
  const q = h.insertMessage({ conversationId: a.id, parentId: null, role: 'user', content: 'Write fizzbuzz', status: 'done' });
  const a1 = h.insertMessage({ conversationId: a.id, parentId: q.id, role: 'assistant', content: '```py\nprint(1)\n```', status: 'done' });
  h.finalizeMessage(a1.id, { content: '```py\nprint(1)\n```', reasoning: 'thinking…', status: 'done', usage: { promptTokens: 3, completionTokens: 4 } });
  const a2 = h.insertMessage({ conversationId: a.id, parentId: q.id, role: 'assistant', content: 'second version', status: 'done' });
  h.updateConversation(a.id, { leafId: a2.id });
  const b = h.createConversation({ providerId: null, modelId: null, title: '日本語の会話' });
  const qb = h.insertMessage({ conversationId: b.id, parentId: null, role: 'user', content: 'こんにちは', status: 'done' });
  h.updateConversation(b.id, { leafId: qb.id });
  const gone = h.createConversation({ providerId: null, modelId: null, title: 'Deleted secret plans' });
  h.deleteConversation(gone.id);
  return { local };
}

/** What a user would compare: every conversation's title and shown messages, settings, keys (masked). */
async function state(k: TestKaiwa) {
  const list = await k.call('conversations.list', {});
  const conversations = [];
  for (const c of list) {
    const { messages } = await k.call('conversations.open', { id: c.id });
    conversations.push({ title: c.title, messages: messages.map((m) => [m.role, m.content, m.reasoning, m.status, m.version.index, m.version.count]) });
  }
  const { vault: _vault, ...settings } = await k.call('settings.get', {});
  const providers = (await k.call('providers.list', {})).map((p) => ({ id: p.id, name: p.name, baseUrl: p.baseUrl, headers: p.headers, secretHeaders: p.secretHeaders, keys: p.keys.map((x) => x.masked) }));
  return { conversations, settings, providers };
}

beforeEach(async () => {
  instances = [];
  fake = await FakeUpstream.start({ acceptKeys: [KEY] });
});

afterEach(async () => {
  for (const k of instances) await k.close();
  await fake.close();
});

describe('backup with a passphrase → fresh data directory → restore', () => {
  it('brings back conversations, settings and working keys, without a restart', async () => {
    const a = start();
    await seed(a);
    const before = await state(a);
    const backup = await sealedBackup(a);
    expect(backup).toMatchObject({ includesKeys: true, conversations: 2, where: 'data_folder' });
    expect(backup.filename).toMatch(/^kaiwa-backup-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\.json$/);
    expect(backup.text).not.toContain('Deleted secret plans');

    const b = start();
    expect((await state(b)).conversations).toEqual([]);
    const r = await restore(b, backup.text, PASS);
    expect(r).toEqual({ ok: true, value: { conversations: 2, keys: 2 } });
    expect(await state(b)).toEqual(before);
    expect(before.providers.find((p) => p.name === 'Local')!.secretHeaders).toEqual([{ name: 'Ocp-Apim-Subscription-Key', masked: 'sub…5b4a' }]);
    // Same key ids: usage already recorded per key (quota estimates) stays attached to the key.
    expect(b.kaiwa.services.vault.list('modelscope').map((k) => k.id)).toEqual(a.kaiwa.services.vault.list('modelscope').map((k) => k.id));
    // The data directory holds no leftovers of the restore.
    expect(readdirSync(b.kaiwa.services.settings.path.replace(/[/\\][^/\\]+$/, '')).filter((f) => /^(restore|backup)-/.test(f))).toEqual([]);

    // The restored key works: the fake upstream only accepts KEY.
    const conv = await b.call('conversations.create', {});
    const sent = await b.call('chat.send', { conversationId: conv.id, text: 'Hello again' });
    await fake.waitForChatRequests(1);
    const deadline = Date.now() + 10_000;
    while (b.kaiwa.services.history.getMessage(sent.assistantMessage.id)!.status === 'streaming' && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(b.kaiwa.services.history.getMessage(sent.assistantMessage.id)).toMatchObject({ status: 'done', content: 'Hello from the fake upstream.' });
    expect(fake.chatRequests()[0]!.headers['authorization']).toBe(`Bearer ${KEY}`);
    // Search works on the restored messages (the full-text index was rebuilt).
    expect(b.kaiwa.services.history.db.prepare("SELECT COUNT(*) AS n FROM messages_fts WHERE messages_fts MATCH 'fizzbuzz'").get()).toEqual({ n: 1 });
  });

  it('without the passphrase option, no key is in the file in any form, not even inside the database', async () => {
    const a = start();
    await seed(a);
    const backup = await plainBackup(a);
    expect(backup.includesKeys).toBe(false);
    const file = JSON.parse(backup.text) as { keys: unknown; history: { data: string } };
    expect(file.keys).toBeNull();
    const db = gunzipSync(Buffer.from(file.history.data, 'base64'));
    expect(file.keys).toBeNull();
    for (const key of [KEY, LOCAL_KEY, HEADER_SECRET]) {
      for (const form of [key, Buffer.from(key).toString('base64'), Buffer.from(key).toString('base64url'), Buffer.from(key).toString('hex'), Buffer.from(key).toString('hex').toUpperCase()]) {
        expect(backup.text).not.toContain(form);
        expect(db.includes(Buffer.from(form))).toBe(false);
      }
    }
    // Restoring it elsewhere keeps that machine's own keys for the providers that exist.
    const b = start();
    await b.call('providers.setKeys', { id: 'modelscope', keys: 'ms-other-machine-key-000000' });
    expect(await restore(b, backup.text)).toMatchObject({ ok: true, value: { conversations: 2, keys: 1 } });
    expect((await b.call('providers.list', {})).find((p) => p.id === 'modelscope')!.keys.map((k) => k.masked)).toEqual(['ms-…0000']);
  });
});

describe('a restore that is refused changes nothing', () => {
  async function expectRefused(k: TestKaiwa, text: string, code: string, passphrase?: string) {
    const before = await state(k);
    const keys = k.kaiwa.services.vault.exportAll();
    const r = await restore(k, text, passphrase);
    expect(r.ok ? 'accepted' : r.error.code).toBe(code);
    expect(await state(k)).toEqual(before);
    expect(k.kaiwa.services.vault.exportAll()).toEqual(keys);
  }

  it('refuses a damaged file wherever the damage is', async () => {
    const a = start();
    await seed(a);
    const { text } = await sealedBackup(a);
    const b = start();
    await b.call('providers.setKeys', { id: 'modelscope', keys: 'ms-keep-this-key-000000' });
    b.kaiwa.services.history.createConversation({ providerId: null, modelId: null, title: 'Mine, untouched' });

    const flip = (at: number) => text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ 0x01) + text.slice(at + 1);
    const inside = (needle: string, after = 0) => text.indexOf(needle, after) + needle.length + 10;
    await expectRefused(b, flip(inside('"data":"', text.indexOf('"history"'))), 'backup_damaged'); // the database
    await expectRefused(b, flip(Math.floor(text.length * 0.9)), 'backup_damaged');
    await expectRefused(b, flip(inside('"language":')), 'backup_damaged'); // a setting
    await expectRefused(b, flip(inside('"tag":"')), 'backup_damaged'); // the sealed keys
    await expectRefused(b, text.slice(0, text.length / 2), 'backup_invalid'); // cut short
    await expectRefused(b, '{"format":"kaiwa.conversation","version":1}', 'backup_invalid');
    await expectRefused(b, 'PK\u0003\u0004 not json at all', 'backup_invalid');

    // Damage that keeps the checksum consistent is still caught by the inner checks.
    const file = JSON.parse(text) as Record<string, unknown> & { history: { data: string; sha256: string } };
    const db = gunzipSync(Buffer.from(file.history.data, 'base64'));
    db.write('garbage!', 100, 'latin1');
    const { gzipSync } = await import('node:zlib');
    const forged: Record<string, unknown> = { ...file, history: { ...file.history, data: gzipSync(db).toString('base64'), sha256: createHash('sha256').update(db).digest('hex') } };
    forged.checksum = backupChecksum(forged);
    await expectRefused(b, JSON.stringify(forged), 'backup_damaged');
  });

  it('asks for the passphrase, refuses a wrong one, and refuses a backup from a newer Kaiwa', async () => {
    const a = start();
    await seed(a);
    const { text } = await sealedBackup(a);
    const b = start();
    await expectRefused(b, text, 'backup_needs_passphrase');
    await expectRefused(b, text, 'backup_wrong_passphrase', 'not the passphrase');
    const newer = JSON.parse(text) as Record<string, unknown> & { history: Record<string, unknown>; settings: Record<string, unknown> };
    await expectRefused(b, JSON.stringify({ ...newer, version: 2 }), 'backup_too_new');
    const variants: Record<string, unknown>[] = [
      { ...newer, history: { ...newer.history, schemaVersion: 99 } },
      { ...newer, settings: { ...newer.settings, schemaVersion: '9.0.0' } },
    ];
    for (const variant of variants) {
      variant.checksum = backupChecksum(variant);
      await expectRefused(b, JSON.stringify(variant), 'backup_too_new', PASS);
    }
    const msg = await b.failure('backup.restore', { uploadId: await stage(b, text), passphrase: 'wrong passphrase' });
    expect(msg.message).toMatch(/passphrase/);
  });

  it('rolls everything back when writing fails half-way', async () => {
    const a = start();
    await seed(a);
    const { text } = await sealedBackup(a);
    const b = start();
    b.kaiwa.services.history.createConversation({ providerId: null, modelId: null, title: 'Mine, untouched' });
    await b.call('settings.update', { theme: 'light' });
    const before = await state(b);
    const vault = b.kaiwa.services.vault;
    const original = vault.replaceAll.bind(vault);
    let calls = 0;
    vault.replaceAll = (...args) => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      original(...args);
    };
    const r = await restore(b, text, PASS);
    expect(r.ok ? 'accepted' : r.error.code).toBe('storage_full');
    expect(await state(b)).toEqual(before);
    expect(b.kaiwa.services.settings.get().theme).toBe('light');
  });

  it('temp copies left by a crash mid-restore are removed at the next start', async () => {
    const a = start();
    const dir = a.kaiwa.services.settings.path.replace(/[/\\][^/\\]+$/, '');
    await a.stop();
    const { writeFileSync } = await import('node:fs');
    for (const f of ['restore-0123456789ab.sqlite', 'restore-0123456789ab.sqlite-wal', 'backup-0123456789ab.sqlite', 'restore-notes.txt']) writeFileSync(join(dir, f), 'x');
    await a.restart();
    expect(readdirSync(dir).filter((f) => /^(restore|backup)-/.test(f))).toEqual(['restore-notes.txt']);
  });

  it('an upload that never arrived is a clear error', async () => {
    const b = start();
    expect((await b.failure('backup.restore', { uploadId: 'up-missing' })).code).toBe('upload_missing');
  });
});

describe('restore while an answer is streaming', () => {
  it('stops the answer first, then replaces the history', async () => {
    const a = start();
    await seed(a);
    const { text } = await plainBackup(a);
    const b = start();
    await b.useProvider('modelscope', { baseUrl: fake.baseUrl, keys: KEY, model: 'fake-model' });
    fake.enqueue({ kind: 'stream', content: ['a', 'b', 'c'], stallAfter: 1 });
    const conv = await b.call('conversations.create', {});
    await b.call('chat.send', { conversationId: conv.id, text: 'slow answer please' });
    await fake.waitForChatRequests(1);
    expect(b.kaiwa.services.chat.streamsOf(conv.id)).toHaveLength(1);
    expect(await restore(b, text)).toMatchObject({ ok: true, value: { conversations: 2 } });
    expect(b.kaiwa.services.chat.streamsOf(conv.id)).toHaveLength(0);
    expect((await b.call('conversations.list', {})).map((c) => c.title).sort()).toEqual(['Fizzbuzz', '日本語の会話']);
  });
});
