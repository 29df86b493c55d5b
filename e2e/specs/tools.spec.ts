// Function calling as a user sees it: tools turned on in the conversation settings, the
// model (the fake upstream, scripted round by round) asks for them, each call shows in the answer,
// fetch-a-URL asks first. Browser mode in Chromium; the pages fetched come from a local server, so
// the host runs with the test-only loopback switch and a short fetch time limit. Screenshots of the
// same screens: scripts/tools-screenshots.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { Page } from '@playwright/test';
import { streamOf, type StreamScenario } from '../../test/fake-upstream/scenarios.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendMessage } from '../support/chat.ts';
import { BUNDLED_WORKER, workerUrl, type ComputeReply } from '../../electron/services/tools/compute.ts';

const MODEL = 'Qwen/Qwen3-235B-A22B-Instruct-2507'; // ModelScope preset: its metadata lists tool use

type Msg = { role: string; content: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string };
type Body = { messages: Msg[]; tools?: { function: { name: string } }[] };

test.use({
  hostOptions: { env: { KAIWA_TEST_FETCH_ALLOW_LOOPBACK: '1', KAIWA_TEST_FETCH_TIMEOUT_MS: '1500' } },
  timezoneId: 'Asia/Tokyo',
});

/** A small web server for fetch_url: /article is a page, /slow never answers. */
async function pageServer(): Promise<{ base: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/article') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<html><head><title>Kaiwa news</title><script>window.pwned = 1</script></head><body><h1>Release notes</h1><p>Tools &amp; rounds have shipped.</p></body></html>');
    }
    if (req.url === '/moved') {
      // The same server under another host name: a redirect to another site.
      res.writeHead(302, { Location: `http://localhost:${(server.address() as AddressInfo).port}/article` });
      res.end();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const answers = (page: Page) => page.locator('article.assistant');
const bodies = (fake: { chatRequests(): { body: unknown }[] }) => fake.chatRequests().map((r) => r.body as Body);
const wants = (id: string, name: string, args: string[], extra: Partial<StreamScenario> = {}): StreamScenario => ({ kind: 'stream', toolCalls: [{ id, name, args }], ...extra });

/** A new conversation with these tools switched on in its settings, as a user does it. */
async function withTools(page: Page, tools: string[]): Promise<void> {
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('button', { name: 'Parameters' }).click();
  const panel = page.getByRole('complementary', { name: 'Conversation settings' });
  const group = panel.getByRole('group', { name: 'Tools' });
  await expect(group).toContainText('This model supports tools.');
  for (const name of tools) {
    await group.getByRole('checkbox', { name }).check();
    await expect(group.getByRole('checkbox', { name })).toBeChecked();
  }
  await expect(group).toContainText('The turned-on tools are offered to it.');
  await page.getByRole('button', { name: 'Close conversation settings' }).click();
}

test('two tool rounds (time, then calculator) end in an answer; each call shows its arguments, result and duration; usage adds up', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { model: MODEL });
  await withTools(page, ['Current date and time', 'Calculator']);
  fake.enqueue(
    wants('call_time', 'get_current_time', [''], { content: ['Let me check the time first.'], usage: { prompt: 20, completion: 5 }, delayMs: 30 }),
    wants('call_calc', 'calculate', ['{"expression":', ' "(0.1 + 0.2) * 3"}'], { usage: { prompt: 40, completion: 6 }, delayMs: 30 }),
    streamOf('It is morning in Tokyo, and (0.1 + 0.2) × 3 is exactly 0.9.', { usage: { prompt: 60, completion: 12 } }),
  );
  await sendMessage(page, 'What time is it, and what is (0.1+0.2)*3?');

  const reply = answers(page).last();
  await expect(reply).toHaveAttribute('data-status', 'done');
  await expect(reply.locator('.message-body')).toHaveText('It is morning in Tokyo, and (0.1 + 0.2) × 3 is exactly 0.9.');
  const used = reply.getByRole('region', { name: 'Tools used' });
  await expect(used.getByRole('group', { name: 'Tool round 1' })).toContainText('Let me check the time first.');
  const time = used.getByRole('group', { name: 'Tool round 1' }).getByRole('button', { name: /Current date and time/ });
  const calc = used.getByRole('group', { name: 'Tool round 2' }).getByRole('button', { name: /Calculator/ });
  await expect(calc).toContainText('(0.1 + 0.2) * 3');
  await expect(calc).toContainText(/\d+ ms/);
  // The answer text comes after the rounds.
  const usedBox = (await used.boundingBox())!;
  const bodyBox = (await reply.locator('.message-body').boundingBox())!;
  expect(bodyBox.y).toBeGreaterThan(usedBox.y + usedBox.height - 1);

  // Results are folded until asked for.
  await expect(calc).toHaveAttribute('aria-expanded', 'false');
  await calc.click();
  await expect(calc).toHaveAttribute('aria-expanded', 'true');
  const calcBody = used.locator(`#${await calc.getAttribute('aria-controls')}`);
  await expect(calcBody.locator('.tool-call-args')).toHaveText('{\n  "expression": "(0.1 + 0.2) * 3"\n}');
  await expect(calcBody.locator('.tool-call-result')).toContainText('result: 0.9');
  await time.click();
  const timeBody = used.locator(`#${await time.getAttribute('aria-controls')}`);
  await expect(timeBody.locator('.tool-call-result')).toContainText('timeZone: Asia/Tokyo');
  await expect(timeBody.locator('.tool-call-result')).toContainText('utcOffset: +09:00');

  // The footer sums all three requests.
  await expect(reply.getByLabel('Answer details')).toContainText('120 in · 23 out tokens');

  // What the provider received: tools on every request, the calls and their results with matching ids.
  const [b1, b2, b3] = bodies(fake);
  expect(bodies(fake)).toHaveLength(3);
  for (const b of [b1!, b2!, b3!]) expect(b.tools!.map((t) => t.function.name)).toEqual(['get_current_time', 'calculate']);
  expect(b2!.messages.slice(1).map((m) => [m.role, m.tool_calls?.[0]?.id ?? m.tool_call_id])).toEqual([
    ['assistant', 'call_time'],
    ['tool', 'call_time'],
  ]);
  expect(b2!.messages[1]!.content).toBe('Let me check the time first.');
  expect(JSON.parse(b2!.messages[2]!.content)).toMatchObject({ timeZone: 'Asia/Tokyo' });
  expect(b3!.messages.slice(1).map((m) => [m.role, m.tool_calls?.[0]?.id ?? m.tool_call_id])).toEqual([
    ['assistant', 'call_time'],
    ['tool', 'call_time'],
    ['assistant', 'call_calc'],
    ['tool', 'call_calc'],
  ]);
  expect(JSON.parse(b3!.messages[4]!.content)).toEqual({ expression: '(0.1 + 0.2) * 3', result: '0.9', exact: true });

  // After a reload the stored answer shows the same rounds.
  await page.reload();
  await expect(answers(page).last().getByRole('region', { name: 'Tools used' }).getByRole('button')).toHaveCount(2);
});

test('malformed arguments, an unknown tool and a tool that times out each end in a clear message; the conversation goes on', async ({ app: page, fake }) => {
  const pages = await pageServer();
  try {
    await useFakeProvider(page, fake, { model: MODEL });
    await withTools(page, ['Calculator', 'Fetch a web page']);

    fake.enqueue(
      { kind: 'stream', toolCalls: [
        { id: 'call_bad', name: 'calculate', args: ['{"expression": "1+'] },
        { id: 'call_unknown', name: 'get_weather', args: ['{"city":"Tokyo"}'] },
      ] },
      streamOf('Sorry, those tools did not work.'),
    );
    await sendMessage(page, 'first');
    let reply = answers(page).last();
    await expect(reply).toHaveAttribute('data-status', 'done');
    const calls = reply.getByRole('region', { name: 'Tools used' }).locator('.tool-call');
    await expect(calls.nth(0)).toContainText('The model sent arguments that are not valid.');
    await expect(calls.nth(1)).toContainText('No such tool is turned on.');
    await expect(calls.nth(1)).toContainText('no tool named "get_weather"');
    await expect(reply.locator('.message-body')).toHaveText('Sorry, those tools did not work.');
    const results = bodies(fake)[1]!.messages.filter((m) => m.role === 'tool');
    expect(results.map((m) => [m.tool_call_id, Object.keys(JSON.parse(m.content))])).toEqual([
      ['call_bad', ['error']],
      ['call_unknown', ['error']],
    ]);

    // A page that never answers: allowed, then the fetch times out (1.5 s in this host).
    fake.enqueue(wants('call_slow', 'fetch_url', [`{"url":"${pages.base}/slow"}`]), streamOf('The page did not load in time.'));
    await sendMessage(page, 'second');
    await page.getByRole('dialog', { name: 'Allow Kaiwa to fetch this page?' }).getByRole('button', { name: 'Allow' }).click();
    reply = answers(page).last();
    await expect(reply).toHaveAttribute('data-status', 'done');
    await expect(reply.locator('.tool-call')).toContainText('The tool took too long.');
    await expect(reply.locator('.message-body')).toHaveText('The page did not load in time.');

    // The round limit: the model keeps asking; Kaiwa stops with a message that says what to do.
    fake.enqueue(...Array.from({ length: 5 }, (_, i) => wants(`c${i}`, 'calculate', [`{"expression":"${i}+1"}`])));
    await sendMessage(page, 'loop forever');
    reply = answers(page).last();
    await expect(reply).toHaveAttribute('data-status', 'error');
    await expect(reply.getByRole('alert')).toContainText('still asking for tools after 5 rounds');
    await expect(reply.locator('.tool-call').last()).toContainText('Not run: the round limit was reached.');

    fake.enqueue(streamOf('Back to normal.'));
    await sendMessage(page, 'are you still there?');
    await expect(answers(page).last().locator('.message-body')).toHaveText('Back to normal.');
    await expect(answers(page).last()).toHaveAttribute('data-status', 'done');
  } finally {
    await pages.close();
  }
});

test('fetch a URL: the dialog shows the URL; Deny tells the model; Allow sends the page text (not HTML)', async ({ app: page, fake }) => {
  const pages = await pageServer();
  try {
    await useFakeProvider(page, fake, { model: MODEL });
    await withTools(page, ['Fetch a web page']);
    const url = `${pages.base}/article`;

    fake.enqueue(wants('call_f1', 'fetch_url', [`{"url":"${url}"}`]), streamOf('You did not let me read it.'));
    await sendMessage(page, 'what does the article say?');
    const dialog = page.getByRole('dialog', { name: 'Allow Kaiwa to fetch this page?' });
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('.tool-confirm-url')).toHaveText(url);
    await expect(dialog.locator('.tool-confirm-site')).toHaveText(new URL(url).host);
    await expect(dialog).toContainText('not encrypted');
    await expect(dialog).toContainText(/Denied automatically in \d+ s/);
    // The safe answer has the focus.
    await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused();
    await expect(answers(page).last().locator('.tool-call')).toContainText('Waiting for your permission');
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await expect(dialog).toBeHidden();
    await expect(answers(page).last()).toHaveAttribute('data-status', 'done');
    await expect(answers(page).last().locator('.tool-call')).toContainText('You did not allow this.');
    expect(pages.hits).toEqual([]);
    const denial = bodies(fake)[1]!.messages.find((m) => m.role === 'tool')!;
    expect(denial.tool_call_id).toBe('call_f1');
    expect(JSON.parse(denial.content).error).toMatch(/did not allow/);

    fake.enqueue(wants('call_f2', 'fetch_url', [`{"url":"${url}"}`]), streamOf('The article says tools have shipped.'));
    await sendMessage(page, 'please, read it now');
    await dialog.getByRole('button', { name: 'Allow' }).click();
    const reply = answers(page).last();
    await expect(reply).toHaveAttribute('data-status', 'done');
    expect(pages.hits).toEqual(['/article']);
    const fetched = bodies(fake)[3]!.messages.filter((m) => m.role === 'tool').at(-1)!;
    expect(fetched.tool_call_id).toBe('call_f2');
    expect(JSON.parse(fetched.content)).toMatchObject({ title: 'Kaiwa news', text: 'Release notes\nTools & rounds have shipped.' });
    expect(fetched.content).not.toMatch(/<h1>|<script|pwned/);
    const call = reply.getByRole('button', { name: /Fetch a web page/ });
    await call.click();
    await expect(reply.locator('.tool-call-result')).toContainText('Tools & rounds have shipped.');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  } finally {
    await pages.close();
  }
});

test('Stop while the confirmation waits: the answer is stopped and nothing more is requested', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { model: MODEL });
  await withTools(page, ['Fetch a web page']);
  fake.enqueue(wants('call_f1', 'fetch_url', ['{"url":"https://example.com/"}']));
  await sendMessage(page, 'read example.com');
  const dialog = page.getByRole('dialog', { name: 'Allow Kaiwa to fetch this page?' });
  await expect(dialog.locator('.tool-confirm-url')).toHaveText('https://example.com/');
  await dialog.getByRole('button', { name: 'Stop the answer' }).click();
  await expect(dialog).toBeHidden();
  const reply = answers(page).last();
  await expect(reply).toHaveAttribute('data-status', 'stopped');
  await expect(reply.locator('.tool-call')).toContainText('Not run: the answer was stopped.');
  await page.waitForTimeout(300);
  expect(fake.chatRequests()).toHaveLength(1);
  // And the conversation goes on.
  fake.enqueue(streamOf('Fine, no fetching.'));
  await sendMessage(page, 'never mind');
  await expect(answers(page).last().locator('.message-body')).toHaveText('Fine, no fetching.');
});

test('a redirect to another site asks again, naming both sites; Deny stops there', async ({ app: page, fake }) => {
  const pages = await pageServer();
  try {
    await useFakeProvider(page, fake, { model: MODEL });
    await withTools(page, ['Fetch a web page']);
    const from = `${pages.base}/moved`;
    const to = `${pages.base.replace('127.0.0.1', 'localhost')}/article`;
    fake.enqueue(wants('call_r', 'fetch_url', [`{"url":"${from}"}`]), streamOf('The page moved to another site, which you did not allow.'));
    await sendMessage(page, 'read the moved page');
    await page.getByRole('dialog', { name: 'Allow Kaiwa to fetch this page?' }).getByRole('button', { name: 'Allow' }).click();

    const dialog = page.getByRole('dialog', { name: 'Follow the redirect to another site?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`${new URL(from).host} sent the fetch on to a different site.`);
    await expect(dialog.locator('.tool-confirm-site')).toHaveText(new URL(to).host);
    await expect(dialog.locator('.tool-confirm-url')).toHaveText(to);
    await expect(dialog.locator('.tool-confirm-from')).toHaveText(from);
    await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused();
    await expect(answers(page).last().locator('.tool-call')).toContainText('Waiting for your permission');
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await expect(dialog).toBeHidden();

    const reply = answers(page).last();
    await expect(reply).toHaveAttribute('data-status', 'done');
    await expect(reply.locator('.tool-call')).toContainText('You did not allow this.');
    expect(pages.hits).toEqual(['/moved']);
    const result = JSON.parse(bodies(fake)[1]!.messages.find((m) => m.role === 'tool')!.content);
    expect(result.error).toMatch(/did not allow the redirect from 127\.0\.0\.1:\d+ to localhost:\d+/);
  } finally {
    await pages.close();
  }
});

test('the built Electron main finds its tool worker, and the worker computes there', async () => {
  // No Electron binary on this machine: the bundle cannot run, so this checks the two things the
  // packaged app relies on — the file that holds the worker lookup resolves to an emitted worker,
  // and that worker (the built code, not the source) answers.
  const outMain = new URL('../../out/main/', import.meta.url);
  const files = readdirSync(outMain, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  const holder = files.find((f) => readFileSync(new URL(f, outMain), 'utf8').includes(`"${BUNDLED_WORKER}"`));
  expect(holder, 'the bundle that spawns the worker').toBeDefined();
  const url = workerUrl(new URL(holder!, outMain).href);
  expect(url.href).toBe(new URL(BUNDLED_WORKER, outMain).href);
  const reply = await new Promise<ComputeReply>((resolve, reject) => {
    const w = new Worker(url, { workerData: { kind: 'calculate', expression: '2^64 / 7', limits: { maxBits: 4096 } } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  expect(reply).toEqual({ ok: true, value: { result: '18446744073709551616/7', exact: true, approx: '2635249153387078802.2' } });
});
