// Issue 5, the quota meter and what happens around a 429, end to end in browser mode against the
// fake upstream, with the app's clock moved by the test (never the machine's).
import type { Page } from '@playwright/test';
import { providerErrors, streamOf } from '../../test/fake-upstream/scenarios.ts';
import { expect, send, settled, shanghai, shoot, test, useFakeProvider } from './quota-fixtures.ts';

const MS_MODEL = 'Qwen/Qwen3-235B-A22B-Instruct-2507';
const WB_MODEL = 'Qwen/Qwen3-Coder-480B-A35B-Instruct';
const msHeaders = (account: number, model: number) => ({
  'modelscope-ratelimit-requests-limit': '2000',
  'modelscope-ratelimit-requests-remaining': String(account),
  'modelscope-ratelimit-model-requests-limit': '500',
  'modelscope-ratelimit-model-requests-remaining': String(model),
});

test('the meter shows what ModelScope reports in its headers, and follows each call', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { model: MS_MODEL });
  const meter = page.getByRole('group', { name: 'ModelScope quota' });
  const account = meter.getByRole('meter', { name: 'Calls left today', exact: true });
  const model = meter.getByRole('meter', { name: 'Calls left today for this model' });

  // Before any call there is nothing reported: the free tier, estimated.
  await expect(meter).toHaveAttribute('data-source', 'estimated');
  await expect(account).toHaveAttribute('aria-valuetext', 'ModelScope quota: 2,000 of 2,000 calls left today (estimated)');

  fake.enqueue({ ...streamOf('First answer.'), flavor: 'modelscope', headers: msHeaders(1234, 400) });
  await settled(await send(page, 'hello'));
  await expect(meter).toHaveAttribute('data-source', 'reported');
  await expect(meter.getByText('reported', { exact: true })).toBeVisible();
  await expect(account).toHaveAttribute('aria-valuenow', '1234');
  await expect(account).toHaveAttribute('aria-valuemax', '2000');
  await expect(account).toHaveAttribute('aria-valuetext', 'ModelScope quota: 1,234 of 2,000 calls left today (reported)');
  await expect(meter.getByText('1,234 / 2,000 left')).toBeVisible();
  await expect(model).toHaveAttribute('aria-valuenow', '400');
  await expect(meter.getByText('Model: 400 / 500')).toBeVisible();
  await expect(meter).toHaveAttribute('data-level', 'ok');
  await expect(meter.getByText(/^Resets in \d\d:\d\d:\d\d$/)).toBeVisible();
  await shoot(page.locator('.chat-head'), 'quota-reported');

  fake.enqueue({ ...streamOf('Second answer.'), flavor: 'modelscope', headers: msHeaders(1233, 399) });
  await settled(await send(page, 'again'));
  await expect(account).toHaveAttribute('aria-valuenow', '1233');
  await expect(meter.getByText('1,233 / 2,000 left')).toBeVisible();
  await expect(model).toHaveAttribute('aria-valuenow', '399');

  // 82.5% of the day used: warning colour and the share in words (colour alone says nothing to some).
  fake.enqueue({ ...streamOf('Third answer.'), flavor: 'modelscope', headers: msHeaders(350, 300) });
  await settled(await send(page, 'and again'));
  await expect(meter).toHaveAttribute('data-level', 'warning');
  await expect(meter.getByText('83% used')).toBeVisible();
  await shoot(page.locator('.chat-head'), 'quota-warning');

  fake.enqueue({ ...streamOf('Fourth answer.'), flavor: 'modelscope', headers: msHeaders(60, 300) });
  await settled(await send(page, 'once more'));
  await expect(meter).toHaveAttribute('data-level', 'critical');
  await expect(meter.getByText('97% used')).toBeVisible();
  await shoot(page.locator('.chat-head'), 'quota-critical');
  await shoot(page, 'quota-chat');
});

test.describe('on a machine in another time zone', () => {
  test.use({ machineTz: 'America/Los_Angeles', timezoneId: 'America/Los_Angeles' });

  test('without headers the meter estimates, counts each call that counts, and resets at 00:00 Asia/Shanghai', async ({ app: page, fake, clock }) => {
    await useFakeProvider(page, fake, { model: MS_MODEL });
    const meter = page.getByRole('group', { name: 'ModelScope quota' });
    const account = meter.getByRole('meter', { name: 'Calls left today', exact: true });

    await clock.set(shanghai('2025-01-15T23:58:00'));
    fake.enqueue({ ...streamOf('One.'), flavor: 'modelscope' });
    await settled(await send(page, 'first'));
    await expect(meter).toHaveAttribute('data-source', 'estimated');
    await expect(meter.getByText('estimated', { exact: true })).toBeVisible();
    await expect(account).toHaveAttribute('aria-valuenow', '1999');
    await expect(meter.getByText('Model: 1 today')).toBeVisible();

    // An answer that breaks mid-stream was still served: it counts. A 401 was refused: it does not.
    await clock.set(shanghai('2025-01-15T23:59:30'));
    fake.enqueue({ kind: 'stream', flavor: 'modelscope', content: ['Part', 'ial'], errorAfter: { chunks: 1, error: { message: 'upstream broke', code: 'internal_error' } } });
    const broken = await send(page, 'second');
    await settled(broken);
    await expect(broken).toHaveAttribute('data-status', 'error');
    await expect(account).toHaveAttribute('aria-valuenow', '1998');
    await expect(account).toHaveAttribute('aria-valuetext', 'ModelScope quota: 1,998 of 2,000 calls left today (estimated)');
    await expect(meter.getByText('1,998 / 2,000 left')).toBeVisible();
    // 30 s to midnight in Shanghai, minus the time the call took.
    await expect(meter.getByText(/^Resets in 00:00:(1\d|2\d|30)$/)).toBeVisible();
    await shoot(page.locator('.chat-head'), 'quota-estimated');

    await clock.set(shanghai('2025-01-16T00:00:30'));
    await expect(account).toHaveAttribute('aria-valuenow', '2000');
    await expect(meter.getByText('2,000 / 2,000 left')).toBeVisible();
    await expect(meter.getByText(/^Resets in 23:59:(1\d|2\d|30)$/)).toBeVisible();

    fake.enqueue({ ...streamOf('New day.'), flavor: 'modelscope' });
    await settled(await send(page, 'third'));
    await expect(account).toHaveAttribute('aria-valuenow', '1999');
  });
});

test("the estimate's free tier, per-model limit and reset time are editable in ModelScope's settings", async ({ app: page, fake, clock }) => {
  await useFakeProvider(page, fake, { model: MS_MODEL });
  await clock.set(Date.parse('2025-01-15T23:00:00Z'));
  fake.enqueue({ ...streamOf('One.'), flavor: 'modelscope' });
  await settled(await send(page, 'first'));
  const meter = page.getByRole('group', { name: 'ModelScope quota' });
  await expect(meter.getByText('1,999 / 2,000 left')).toBeVisible();

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'ModelScope', exact: true }).click();
  const quota = page.getByRole('form', { name: 'ModelScope' }).getByRole('group', { name: 'Quota estimate' });
  await expect(quota.getByLabel('Daily call limit')).toHaveValue('2000');
  await expect(quota.getByLabel('Reset time zone (UTC offset in hours)')).toHaveValue('8');
  await quota.getByLabel('Daily call limit').fill('100');
  await quota.getByLabel('Daily limit per model').fill('10');
  await quota.getByLabel('Reset time zone (UTC offset in hours)').fill('0');
  await quota.getByRole('button', { name: 'Update quota estimate' }).click();
  await expect(quota.getByRole('status')).toHaveText('Quota estimate updated');
  await shoot(page, 'quota-settings');

  await page.getByRole('button', { name: 'Chats' }).click();
  await expect(meter.getByText('99 / 100 left')).toBeVisible();
  await expect(meter.getByRole('meter', { name: 'Calls left today for this model' })).toHaveAttribute('aria-valuenow', '9');
  // Reset now at 00:00 UTC: an hour away.
  await expect(meter.getByText(/^Resets in (00:59:\d\d|01:00:00)$/)).toBeVisible();
  await page.reload();
  await expect(page.getByRole('group', { name: 'ModelScope quota' }).getByText('99 / 100 left')).toBeVisible();
});

test('a quota 429 is never retried, the meter shows it used up, and the answer can continue elsewhere', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { providerId: 'wandb', key: 'wandb-test-key-000001', model: WB_MODEL });
  await useFakeProvider(page, fake, { model: MS_MODEL });
  const meter = page.getByRole('group', { name: 'ModelScope quota' });

  fake.enqueue(providerErrors.modelscopeQuota());
  const reply = await send(page, 'Summarise the seed documents');
  await settled(reply);
  await expect(reply.getByRole('alert')).toContainText('ModelScope: the daily quota is used up');
  // Long enough for any backoff retry to have happened.
  await page.waitForTimeout(1500);
  expect(fake.chatRequests()).toHaveLength(1);

  await expect(meter).toHaveAttribute('data-level', 'exhausted');
  await expect(meter.getByRole('meter', { name: 'Calls left today', exact: true })).toHaveAttribute('aria-valuenow', '0');
  await expect(meter.getByText(/^Used up — resets at \d\d:\d\d( [AP]M)? \(in \d\d:\d\d:\d\d\)$/)).toBeVisible();
  await shoot(page.locator('.chat-head'), 'quota-exhausted');
  await shoot(page, 'quota-exhausted-chat');

  // One click on "Switch model" in the error: the W&B model answers the same question.
  fake.enqueue(streamOf('Answered on W&B instead.'));
  await reply.getByRole('button', { name: 'Switch model' }).click();
  await page.getByRole('menuitem', { name: new RegExp(`${WB_MODEL.replace(/[/.]/g, '\\$&')}.*W&B`) }).click();
  await expect(page.locator('article.assistant').last().locator('.message-body')).toHaveText('Answered on W&B instead.');
  const last = fake.chatRequests().at(-1)!;
  expect(last.headers['authorization']).toBe('Bearer wandb-test-key-000001');
  expect((last.body as { messages: { content: string }[] }).messages.at(-1)!.content).toBe('Summarise the seed documents');
  // The conversation now runs on W&B, which has its quota: no meter.
  await expect(meter).toHaveCount(0);
});

test('a 429 rate limit with retry-after: 1 is retried once, after about a second, and the wait is shown', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { providerId: 'wandb', key: 'wandb-test-key-000001', model: WB_MODEL });
  await recordStatuses(page);
  fake.enqueue(providerErrors.wandbConcurrency(1), streamOf('Recovered after the rate limit.'));
  const reply = await send(page, 'hello');
  await expect(reply.locator('.message-body')).toHaveText('Recovered after the rate limit.');
  await expect(reply).toHaveAttribute('data-status', 'done');

  const [first, second, ...more] = fake.chatRequests();
  expect(more).toHaveLength(0);
  const gap = second!.at - first!.at;
  expect(gap).toBeGreaterThanOrEqual(950);
  expect(gap).toBeLessThan(2500);
  const seen = await page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
  expect(seen).toContainEqual(expect.stringMatching(/W&B Inference is rate limiting requests\..*Retrying in 1 s \(attempt 1\)/));
});

test('a 503 with retry-after is retried and shown too', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { providerId: 'wandb', key: 'wandb-test-key-000001', model: WB_MODEL });
  await recordStatuses(page);
  fake.enqueue({ ...providerErrors.wandbOverloaded(), headers: { 'retry-after': '1' } }, streamOf('Back again.'));
  const reply = await send(page, 'hello');
  await expect(reply.locator('.message-body')).toHaveText('Back again.');
  const reqs = fake.chatRequests();
  expect(reqs).toHaveLength(2);
  expect(reqs[1]!.at - reqs[0]!.at).toBeGreaterThanOrEqual(950);
  const seen = await page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
  expect(seen).toContainEqual(expect.stringMatching(/overloaded.*Retrying in 1 s/));
});

/** Keeps every distinct "connecting / retrying" text the page showed (they last about a second). */
async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __statuses: string[] };
    w.__statuses = [];
    const grab = () => {
      for (const el of document.querySelectorAll('article.assistant [role="status"]')) {
        const text = el.textContent ?? '';
        if (text && !w.__statuses.includes(text)) w.__statuses.push(text);
      }
    };
    new MutationObserver(grab).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}
