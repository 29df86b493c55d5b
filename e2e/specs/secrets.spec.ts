// No key leaks, anywhere: after a session that pastes two keys, meets errors whose upstream bodies
// echo the keys (raw, base64, hex), checks a provider, crashes mid-stream and restarts, the keys and
// their encoded forms appear in none of the places below. (providers.spec.ts covers the plain
// settings flow; this is every source at once.) Then: keys bound to the address they were saved
// for (a re-pointed provider, with and without restarts), and short keys, encoded echoes and
// secret header values.
// File length (~400 lines): one leak sweep over every place a key could surface; split, each part would repeat the session it sweeps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { streamOf, type Scenario } from '../../test/fake-upstream/scenarios.ts';
import { expect, recordReliability, test } from '../support/fixtures.ts';
import { startHost, type HostProcess } from '../support/host.ts';
import { browserState, filesUnder, holdsKey, keyForms } from '../support/leaks.ts';
import { sendMessage } from '../support/chat.ts';

/** A W&B-style key (40 hex: nothing about it looks like a key) and an sk- key. */
const KEYS = ['a3f9c2e7b1d84f6a9e0c5b7d2f1a8e3c4b6d9f0e', 'sk-kaiwa-leak-test-0123456789abcdef'] as const;
const FORMS = KEYS.flatMap(keyForms);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const hex = (s: string) => Buffer.from(s).toString('hex');

const TITLE = 'no key in any form (raw, base64, hex) in the DOM, page storage, WebSocket frames, logs, error texts and details, crash records, data files or exports';
const repointTitle = (when: string) => `re-pointing a provider at another 127.0.0.1 port does not send it the key (${when})`;
const REPOINT_GUARANTEE =
  "The review's reproduction through the contract a hostile page can call (setKeys, base URL moved to another loopback listener, Check): the listener receives nothing that carries the key; settings say the key was saved for another address and ask for it again; pasted again, it is used at the new address.";
const SECRETS_TITLE = 'short keys, URL-encoded, JSON-escaped and case-folded echoes, and secret header values appear nowhere';
const figures = recordReliability('secrets', {
  [repointTitle('without a restart')]: REPOINT_GUARANTEE,
  [repointTitle('with a host restart after setKeys')]: REPOINT_GUARANTEE,
  [repointTitle('with a host restart after update')]: REPOINT_GUARANTEE,
  [SECRETS_TITLE]:
    'A 7-character key, a key whose characters change under URL and JSON encoding, and two secret header values (one a Bearer token under a harmless name), echoed back by the provider raw, upper-cased, URL-encoded and JSON-escaped: zero hits in the page, every WebSocket frame but the two inbound calls that carry them, the log, the host output, every data file and a backup without a passphrase; a base URL with a key in its query is refused in the form; a credential cannot be marked "not secret".',
  [TITLE]:
    'Two keys, errors whose bodies echo them (raw, base64, hex), a Check, a SIGKILL mid-stream and a restart: zero hits in the page (DOM, inputs, local/session storage, IndexedDB, cookies), every WebSocket frame but the one that delivers the keys, the log and host output, every error text and detail, the database and its WAL right after the crash, the settings, vault and every other data file, the usage CSV, every conversation exported as Markdown and JSON, a backup without keys, and one with sealed keys (which main writes into the data folder: none of its sealed payload in any WebSocket frame).',
});

/** Upstream error bodies that quote the keys back, the way real providers and proxies do. */
const echoes = {
  unauthorized: (): Scenario => ({
    kind: 'error',
    status: 401,
    body: { error: { message: `Incorrect API key provided: ${KEYS[0]}. You can find your API key at https://wandb.ai/authorize.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
  }),
  badRequest: (): Scenario => ({
    kind: 'error',
    status: 400,
    body: { error: { message: `Header "Authorization: Bearer ${KEYS[1]}" rejected (basic ${b64(`user:${KEYS[0]}`)}, hex ${hex(KEYS[1])})`, param: KEYS[0] } },
  }),
  proxyPage: (): Scenario => ({
    kind: 'error',
    status: 502,
    contentType: 'text/html',
    body: `<html><head><title>502 Bad Gateway (key ${KEYS[0]})</title></head><body>upstream rejected ${KEYS[1]}</body></html>`,
  }),
  midStream: (): Scenario => ({
    kind: 'stream',
    content: ['Partial ', 'answer.'],
    errorAfter: { chunks: 2, error: { message: `Request with key ${KEYS[1]} (${b64(KEYS[1])}) was blocked.`, type: 'data_inspection_failed', code: 'data_inspection_failed' } },
  }),
};

interface Source {
  name: string;
  text: string | Buffer;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });
const lastAnswer = (page: Page) => page.locator('article.assistant').last();

/** Shows the error's details, so their text is in the DOM snapshot too. */
async function openDetails(page: Page) {
  const alert = lastAnswer(page).getByRole('alert');
  await alert.getByText('Details').click();
  await expect(alert.locator('.error-details')).toBeVisible();
}

test(TITLE, async ({ page, host, fake, context }) => {
  test.setTimeout(90_000);
  const sources: Source[] = [];
  const frames: { dir: 'sent' | 'received'; text: string }[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.push({ dir: 'sent', text: typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8') }));
    ws.on('framereceived', (f) => frames.push({ dir: 'received', text: typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8') }));
  });
  const snap = async (name: string) => sources.push({ name: `page: ${name}`, text: await browserState(page) });
  const hosts: HostProcess[] = [host];

  await page.goto(host.url);
  await expect(nav(page)).toBeVisible();

  // Two keys pasted into the W&B form, like a user would.
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('list', { name: 'Providers' }).getByRole('button', { name: 'W&B Inference', exact: true }).click();
  const form = page.getByRole('form', { name: 'W&B Inference' });
  await form.getByLabel('Paste API keys').fill(KEYS.join('\n'));
  await form.getByLabel('Base URL').fill(fake.baseUrl);
  await form.getByLabel('Max retries').fill('0');
  await form.getByLabel('Default model').fill('fake-model');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  await expect(form.getByText('2 key(s) stored')).toBeVisible();
  await snap('settings with two keys');

  // Check, answered by a 401 that quotes the key.
  fake.enqueue(echoes.unauthorized());
  await page.locator('.pane-head').getByRole('button', { name: 'Check', exact: true }).click();
  const checkAlert = page.locator('.pane-head ~ .check-outcome').getByRole('alert');
  await expect(checkAlert).toContainText('W&B Inference rejected the API key');
  await checkAlert.getByText('Details').click();
  await expect(checkAlert).toContainText('HTTP 401 invalid_api_key: Incorrect API key provided: [REDACTED]');
  await snap('settings after a failed check');

  // Chat errors that echo the keys, each with its details open.
  await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
  const cases: [Scenario, string][] = [
    [echoes.unauthorized(), 'W&B Inference rejected the API key'],
    [echoes.badRequest(), 'W&B Inference rejected the request'],
    [echoes.proxyPage(), 'A gateway in front of W&B Inference failed'],
    [echoes.midStream(), 'blocked by moderation'],
  ];
  for (const [scenario, text] of cases) {
    fake.enqueue(scenario);
    await sendMessage(page, `provoke: ${text}`);
    await expect(lastAnswer(page).getByRole('alert')).toContainText(text);
    await openDetails(page);
    await snap(`chat error: ${text}`);
  }
  await expect(lastAnswer(page).locator('.message-body')).toHaveText('Partial answer.');

  // A crash mid-stream: the interrupted record on disk, then the page after a restart.
  fake.enqueue(streamOf('x '.repeat(400), { size: 4, delayMs: 20 }));
  await sendMessage(page, 'a long answer, then a crash');
  await expect(lastAnswer(page).locator('.message-body')).toContainText('x x x x x x x x');
  await page.waitForTimeout(1200); // at least one checkpoint
  await host.kill('SIGKILL');
  for (const f of filesUnder(host.dataDir)) sources.push({ name: `file right after the crash: ${f.slice(host.dataDir.length + 1)}`, text: readFileSync(f) });
  const again = await startHost({ dataDir: host.dataDir });
  hosts.push(again);
  try {
    await page.goto(again.url);
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'interrupted');
    await snap('chat after the crash and restart');
    await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('list', { name: 'Providers' }).getByRole('button', { name: 'W&B Inference', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Stored keys' })).toContainText('a3f…9f0e');
    await expect(page.getByRole('list', { name: 'Stored keys' })).toContainText('sk-…cdef');
    await snap('settings after the restart');

    // Exports: every conversation as Markdown and as Kaiwa JSON, a backup without keys and one with
    // keys sealed under a passphrase (the sealed keys must not appear in any readable form either).
    const exported = await page.evaluate(async () => {
      const k = window.kaiwa!;
      const out: { name: string; text: string }[] = [];
      const list = await k.conversations.list({});
      if (!list.ok) throw new Error(JSON.stringify(list.error));
      for (const c of list.value) {
        for (const format of ['markdown', 'json'] as const) {
          const r = await k.conversations.export({ id: c.id, format });
          if (!r.ok) throw new Error(JSON.stringify(r.error));
          out.push({ name: `export: conversation ${c.id} (${format})`, text: r.value.text });
        }
      }
      const plain = await k.backup.create({});
      if (!plain.ok || plain.value.delivery !== 'download') throw new Error(`backup failed: ${JSON.stringify(plain)}`);
      out.push({ name: 'backup without keys', text: plain.value.text });
      // A backup with keys never comes back to the page: only where main wrote it.
      const sealed = await k.backup.create({ passphrase: 'a long enough passphrase' });
      if (!sealed.ok || sealed.value.delivery !== 'saved') throw new Error(`backup failed: ${JSON.stringify(sealed)}`);
      return { out, sealedPath: sealed.value.path };
    });
    expect(exported.out.length).toBeGreaterThanOrEqual(3);
    sources.push(...exported.out);
    // The file main wrote in the data folder: no key in any readable form, and none of its sealed
    // payload in any frame the page received.
    expect(exported.sealedPath.startsWith(join(host.dataDir, 'backups'))).toBe(true);
    const sealedText = readFileSync(exported.sealedPath, 'utf8');
    sources.push({ name: 'backup with sealed keys (in the data folder)', text: sealedText });
    const box = (JSON.parse(sealedText) as { keys: { kdf: { salt: string } } & Record<string, unknown> }).keys;
    const sealedParts = [box.kdf.salt, ...Object.values(box).filter((v): v is string => typeof v === 'string' && v.length >= 16)];
    expect(sealedParts.length).toBeGreaterThanOrEqual(2);
    expect(frames.filter((f) => sealedParts.some((p) => f.text.includes(p)))).toEqual([]);
    const csv = await page.evaluate(async () => {
      const r = await window.kaiwa!.usage.exportCsv({ range: '7d', timeZone: 'UTC' });
      return r.ok ? r.value.csv : `failed: ${JSON.stringify(r.error)}`;
    });
    expect(csv).toContain('wandb');
    sources.push({ name: 'export: usage CSV', text: csv });
  } finally {
    await again.stop();
  }

  // Everything at rest after a clean stop, the logs, and what the hosts printed.
  for (const f of filesUnder(host.dataDir)) sources.push({ name: `file: ${f.slice(host.dataDir.length + 1)}`, text: readFileSync(f) });
  sources.push({ name: 'host output (stdout/stderr)', text: hosts.map((h) => h.output()).join('\n') });
  sources.push({ name: 'cookies', text: JSON.stringify(await context.cookies()) });
  const keyFrames = frames.filter((f) => holdsKey(f.text, FORMS).length);
  for (const [i, f] of frames.entries()) if (!keyFrames.includes(f)) sources.push({ name: `WebSocket frame ${i} (${f.dir})`, text: f.text });

  // The checks are real: the sources hold what they should.
  const log = readFileSync(join(host.dataDir, 'logs', 'kaiwa.log'), 'utf8');
  expect(log).toContain('[REDACTED]');
  const settingsPages = sources.filter((s) => s.name.startsWith('page: settings'));
  expect(settingsPages).toHaveLength(3);
  expect(settingsPages.every((s) => String(s.text).includes('a3f…9f0e') && String(s.text).includes('sk-…cdef'))).toBe(true);
  expect(sources.some((s) => s.name.startsWith('page: chat error') && String(s.text).includes('[REDACTED]'))).toBe(true);
  expect(frames.filter((f) => f.dir === 'received').length).toBeGreaterThan(50);
  // The keys crossed the socket exactly once, inbound, in the one call that carries keys.
  expect(keyFrames).toHaveLength(1);
  expect(keyFrames[0]!.dir).toBe('sent');
  expect(JSON.parse(keyFrames[0]!.text)).toMatchObject({ t: 'call', name: 'providers.setKeys' });

  const hits = sources.flatMap((s) => {
    const text = typeof s.text === 'string' ? s.text : s.text.toString('latin1');
    return holdsKey(text, FORMS).map((f) => `${s.name} holds ${KEYS.some((k) => k === f) ? 'a raw key' : `an encoded key (${f.slice(0, 12)}…)`}`);
  });
  Object.assign(figures.get(TITLE)!, { sources: sources.length, frames: frames.length, forms: FORMS.length, hits: hits.length });
  expect(hits).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Keys are bound to the origin they were saved for. The reproduction from the adversarial review,
// through the contract a page taken over by model output can call: keys set, the provider
// re-pointed at another 127.0.0.1 listener (here the fake upstream), then "Check".

const REBOUND_KEY = 'ms-rebind-7c1e-4d2a-9b3f-0e8d6c5a4b21';

type Repro = 'setKeys' | 'update' | 'check';

/** Runs one step of the reproduction through window.kaiwa and returns what main answered. */
async function step(page: Page, what: Repro, baseUrl: string): Promise<unknown> {
  return page.evaluate(
    async ({ what, baseUrl, key }) => {
      const k = window.kaiwa!;
      const r =
        what === 'setKeys'
          ? await k.providers.setKeys({ id: 'modelscope', keys: key })
          : what === 'update'
            ? await k.providers.update({ id: 'modelscope', baseUrl })
            : await k.providers.check({ id: 'modelscope', modelId: 'fake-model' });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.value;
    },
    { what, baseUrl, key: REBOUND_KEY },
  );
}

/** Every request the listener received that carries the key, in any header, in any form. */
const requestsWithKey = (fake: { requests: { headers: Record<string, unknown> }[] }, key: string) =>
  fake.requests.filter((r) => holdsKey(JSON.stringify(r.headers), keyForms(key)).length > 0);

for (const restartAfter of [null, 'setKeys', 'update'] as const) {
  const when = restartAfter === null ? 'without a restart' : `with a host restart after ${restartAfter}`;
  test(repointTitle(when), async ({ page, host, fake }) => {
    let current = host;
    const hosts: HostProcess[] = [];
    const open = async () => {
      await page.goto(current.url);
      await expect(nav(page)).toBeVisible();
    };
    const restartIf = async (after: Repro) => {
      if (restartAfter !== after) return;
      await current.stop();
      current = await startHost({ dataDir: host.dataDir });
      hosts.push(current);
      await open();
    };
    try {
      await open();
      await step(page, 'setKeys', fake.baseUrl);
      await restartIf('setKeys');
      const moved = (await step(page, 'update', fake.baseUrl)) as { keys: { detached?: true; origin?: string }[] };
      await restartIf('update');
      const checked = (await step(page, 'check', fake.baseUrl)) as { ok: boolean; error?: { code: string } };
      // The listener on the other port received nothing that carries the key (today: `Authorization: Bearer <key>`).
      expect(requestsWithKey(fake, REBOUND_KEY)).toEqual([]);
      expect(checked.ok).toBe(false);
      expect(checked.error?.code).toBe('keys_detached');
      expect(moved.keys).toMatchObject([{ detached: true, origin: 'https://api-inference.modelscope.cn' }]);

      // The settings page says why, and asks for the key again.
      await page.reload();
      await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
      const form = page.getByRole('form', { name: 'ModelScope' });
      await expect(form.getByRole('note')).toHaveText(
        'The base URL changed: 1 key(s) saved for another address are kept but no longer sent. Paste the key(s) again for the new address.',
      );
      const row = form.getByRole('listitem', { name: 'Key ms-…4b21' });
      await expect(row).toContainText('not sent');
      await expect(row).toContainText('Saved for https://api-inference.modelscope.cn.');
      await row.getByRole('button', { name: 'Check key ms-…4b21' }).click();
      await expect(row.getByRole('alert')).toContainText('were saved for https://api-inference.modelscope.cn');
      expect(requestsWithKey(fake, REBOUND_KEY)).toEqual([]);

      // Pasted again here, it is bound to the new address and used there.
      await form.getByLabel('Paste API keys').fill(REBOUND_KEY);
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(form.getByRole('status')).toHaveText('Saved');
      await expect(form.getByRole('note')).toHaveCount(0);
      await page.locator('.pane-head').getByRole('button', { name: 'Check', exact: true }).click();
      await expect(page.locator('.pane-head ~ .check-outcome')).toContainText('Works — answered in');
      expect(fake.chatRequests().map((r) => r.headers['authorization'])).toEqual([`Bearer ${REBOUND_KEY}`]);
    } finally {
      for (const h of hosts) await h.stop();
    }
  });
}

// Short keys, keys whose characters change under URL and JSON encoding, and secret headers: echoed
// back by the upstream in every form, none of them may reach anything the user or a page can read.
const SHORT_KEY = 'secret7';
const ODD_KEY = 'kx/9+a"b&c=d€e-2468';
const HEADER_SUB = 'sk-hdr-subscription-0123456789';
const HEADER_AUTH = 'hdr2-token-abcdef';
const SECRET_FORMS = [SHORT_KEY, ODD_KEY, HEADER_SUB, HEADER_AUTH].flatMap(keyForms);
test(SECRETS_TITLE, async ({ page, host, fake, context }) => {
  test.setTimeout(90_000);
  const frames: { dir: 'sent' | 'received'; text: string }[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.push({ dir: 'sent', text: String(f.payload) }));
    ws.on('framereceived', (f) => frames.push({ dir: 'received', text: String(f.payload) }));
  });
  const sources: Source[] = [];
  await page.goto(host.url);
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'Add provider' }).click();
  const add = page.getByRole('form', { name: 'Add a custom provider' });
  await add.getByLabel('Name').fill('Gateway');
  // A key in the base URL is refused, with where it belongs.
  await add.getByLabel('Base URL').fill(`${fake.baseUrl}?api_key=${SHORT_KEY}`);
  await expect(add.getByText('This base URL carries a key or token in its query. Put the key in the API key field, or in a header.')).toBeVisible();
  await expect(add.getByRole('button', { name: 'Add', exact: true })).toBeDisabled();
  await add.getByLabel('Base URL').fill(fake.baseUrl);
  await add.getByRole('button', { name: 'Add', exact: true }).click();

  const form = page.getByRole('form', { name: 'Gateway' });
  await form.getByLabel('Paste API keys').fill(`${SHORT_KEY}\n${ODD_KEY}`);
  const headers: [string, string, boolean][] = [
    ['Ocp-Apim-Subscription-Key', HEADER_SUB, false],
    ['X-Auth', `Bearer ${HEADER_AUTH}`, false],
    ['X-Team', 'kaiwa', true],
  ];
  for (const [name, value, notSecret] of headers) {
    await form.getByRole('button', { name: 'Add header' }).click();
    await form.getByLabel('Header name').last().fill(name);
    await form.getByLabel('Header value').last().fill(value);
    if (notSecret) await form.getByRole('checkbox', { name: `${name} is not secret` }).check();
  }
  // A credential cannot be marked "not secret".
  const notSecret = form.getByRole('checkbox', { name: 'X-Auth is not secret' });
  await notSecret.check();
  await expect(form.getByText('This looks like a key or token')).toBeVisible();
  await notSecret.uncheck();
  await form.getByLabel('Default model').fill('fake-model');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  await expect(form.getByText('2 key(s) stored')).toBeVisible();
  await expect(form.getByLabel('Header value').nth(0)).toHaveValue('kaiwa');
  await expect(form.getByLabel('Header value').nth(1)).toHaveAttribute('placeholder', /^sk-…6789 — stored encrypted/);
  sources.push({ name: 'page: settings', text: await browserState(page) });

  // The upstream echoes everything, in every form.
  const echo = `Invalid key ${SHORT_KEY} (${SHORT_KEY.toUpperCase()}); also ${encodeURIComponent(ODD_KEY)} ${JSON.stringify(ODD_KEY)} ${ODD_KEY.toUpperCase()}; headers ${HEADER_SUB.toUpperCase()} ${encodeURIComponent(`Bearer ${HEADER_AUTH}`)}`;
  fake.enqueue({ kind: 'error', status: 401, body: { error: { message: echo, code: 'invalid_api_key' } } });
  await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
  await sendMessage(page, 'provoke an echo');
  await expect(lastAnswer(page).getByRole('alert')).toContainText('Gateway rejected the API key');
  await openDetails(page);
  await expect(lastAnswer(page).locator('.error-details')).toContainText('Invalid key [REDACTED] ([REDACTED])');
  sources.push({ name: 'page: chat error', text: await browserState(page) });
  // The secret headers did go where they were saved for.
  const req = fake.chatRequests()[0]!;
  expect([req.headers['authorization'], req.headers['ocp-apim-subscription-key'], req.headers['x-auth'], req.headers['x-team']]).toEqual([
    `Bearer ${SHORT_KEY}`,
    HEADER_SUB,
    `Bearer ${HEADER_AUTH}`,
    'kaiwa',
  ]);

  const plain = await page.evaluate(async () => {
    const r = await window.kaiwa!.backup.create({});
    return r.ok && r.value.delivery === 'download' ? r.value.text : `failed: ${JSON.stringify(r)}`;
  });
  expect(plain).toContain('"X-Team":"kaiwa"');
  sources.push({ name: 'backup without a passphrase', text: plain });
  await host.stop();
  for (const f of filesUnder(host.dataDir)) sources.push({ name: `file: ${f.slice(host.dataDir.length + 1)}`, text: readFileSync(f) });
  sources.push({ name: 'host output', text: host.output() }, { name: 'cookies', text: JSON.stringify(await context.cookies()) });
  // Secrets cross the socket inbound only, in the two calls that carry them.
  const carrying = frames.filter((f) => holdsKey(f.text, SECRET_FORMS).length);
  expect(carrying.map((f) => [f.dir, (JSON.parse(f.text) as { name: string }).name])).toEqual([
    ['sent', 'providers.update'],
    ['sent', 'providers.setKeys'],
  ]);
  for (const [i, f] of frames.entries()) if (!carrying.includes(f)) sources.push({ name: `WebSocket frame ${i} (${f.dir})`, text: f.text });
  expect(readFileSync(join(host.dataDir, 'logs', 'kaiwa.log'), 'utf8')).toContain('[REDACTED]');

  const hits = sources.flatMap((s) => {
    const text = typeof s.text === 'string' ? s.text : s.text.toString('utf8');
    return holdsKey(text, SECRET_FORMS).map((f) => `${s.name} holds ${f}`);
  });
  expect(hits).toEqual([]);
});
