// The Foundation slice, end to end: browser mode, the settings → chat flow against the fake
// upstream, a reply that streams in visibly, and Stop keeping the partial answer.
import { request } from '@playwright/test';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { streamOf } from '../../test/fake-upstream/scenarios.ts';

test('browser mode serves its public files without a token or a cookie, and refuses a foreign Host/Origin', async ({ host }) => {
  const ctx = await request.newContext();
  // The page and its assets are the public build; the token guards the socket (web-access.spec).
  const bare = await ctx.get(`${host.origin}/`);
  expect(bare.status()).toBe(200);
  expect(bare.headers()['set-cookie']).toBeUndefined();
  expect(await bare.text()).not.toContain(host.token);
  expect(bare.headers()['content-security-policy']).toContain("script-src 'self'");
  // DNS rebinding: wrong Host.
  const rebound = await ctx.get(`${host.origin}/`, { headers: { Host: `evil.example:${host.port}` } });
  expect(rebound.status()).toBe(403);
  const foreignOrigin = await ctx.get(`${host.origin}/`, { headers: { Origin: 'http://evil.example' } });
  expect(foreignOrigin.status()).toBe(403);
  await ctx.dispose();
});

test('a new user points ModelScope at a server, sends "hello" and watches the reply stream in', async ({ app: page, fake }) => {
  const answer = 'Hello! I am a fake model, streaming this answer to you in many small pieces so you can watch it grow.';
  fake.enqueue({ ...streamOf(answer, { size: 4, delayMs: 25 }), flavor: 'modelscope' });

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'ModelScope', exact: true }).click();
  const form = page.getByRole('form', { name: 'ModelScope' });
  await form.getByLabel('Base URL').fill(fake.baseUrl);
  await form.getByLabel('API keys').fill('ms-test-key-0001');
  await form.getByLabel('Default model').fill('fake-model');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  await expect(form.getByText('1 key(s) stored')).toBeVisible();

  await page.getByRole('button', { name: 'Chats' }).click();
  // Record every distinct text the answer shows, frame by frame, until it is complete.
  await page.evaluate(() => {
    const w = window as unknown as { __paints: string[] };
    w.__paints = [];
    const tick = () => {
      const el = document.querySelector('article.assistant .message-body');
      const text = el?.textContent ?? '';
      if (text && w.__paints[w.__paints.length - 1] !== text) w.__paints.push(text);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('hello');
  await input.press('Enter');

  const reply = page.locator('article.assistant').last();
  await expect(reply.locator('.message-body')).toHaveText(answer);
  const paints = await page.evaluate(() => (window as unknown as { __paints: string[] }).__paints);
  const partial = paints.filter((p) => p.length < answer.length && answer.startsWith(p));
  expect(partial.length).toBeGreaterThan(1);

  // The request carried what the provider needs.
  const req = fake.chatRequests()[0]!;
  expect(req.headers['authorization']).toBe('Bearer ms-test-key-0001');
  const body = req.body as { model: string; stream: boolean; stream_options: unknown; messages: { role: string; content: string }[] };
  expect(body.model).toBe('fake-model');
  expect(body.stream).toBe(true);
  expect(body.stream_options).toEqual({ include_usage: true });
  expect(body.messages.at(-1)).toEqual({ role: 'user', content: 'hello' });
  await expect(page.getByRole('navigation').getByRole('button', { name: 'hello' })).toBeVisible();
});

test('Stop mid-stream keeps the partial text and marks the answer stopped', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  const long = Array.from({ length: 200 }, (_, i) => `word${i} `).join('');
  fake.enqueue(streamOf(long, { size: 6, delayMs: 20 }));
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('tell me a long story');
  await input.press('Enter');
  const body = page.locator('article.assistant .message-body').last();
  await expect(body).toContainText('word10 ');
  await page.getByRole('button', { name: 'Stop' }).click();
  const reply = page.locator('article.assistant').last();
  await expect(reply).toHaveAttribute('data-status', 'stopped');
  await expect(reply.getByText('Stopped')).toBeVisible();
  const kept = (await body.textContent()) ?? '';
  expect(kept.length).toBeGreaterThan(20);
  expect(long.startsWith(kept)).toBe(true);
  expect(kept.length).toBeLessThan(long.length);
  // The next message in the same conversation works.
  fake.enqueue(streamOf('Second answer.'));
  await input.fill('and another');
  await input.press('Enter');
  await expect(page.locator('article.assistant .message-body').last()).toHaveText('Second answer.');
});

test('a first-time user is told where to put a key, and the button opens that provider\'s settings', async ({ app: page }) => {
  const note = page.getByRole('note');
  await expect(note).toContainText('No API key is set for ModelScope yet');
  await note.getByRole('button', { name: 'Add a ModelScope key' }).click();
  await expect(page.getByRole('form', { name: 'ModelScope' })).toBeVisible();
  // The page loads without a single failed request (no missing icon or asset).
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  expect(failed).toEqual([]);
});
