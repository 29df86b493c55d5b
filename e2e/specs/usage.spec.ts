// Issue 5, the Usage page: totals per provider and model computed from what the fake upstream
// sent, "today" by the app's (injected) clock in the user's time zone, and a CSV with one row per call.
import { readFileSync } from 'node:fs';
import { providerErrors, streamOf } from '../../test/fake-upstream/scenarios.ts';
import { expect, send, settled, shanghai, shoot, test, useFakeProvider } from './quota-fixtures.ts';

const MS_MODEL = 'Qwen/Qwen3-235B-A22B-Instruct-2507'; // ModelScope: free tier, no per-token price
const WB_MODEL = 'Qwen/Qwen3-Coder-480B-A35B-Instruct'; // W&B seed price: $1 in / $1.5 out per 1M tokens
const WB_PRICE = { input: 1, output: 1.5 };

const money = (usd: number) =>
  new Intl.NumberFormat('en', { style: 'currency', currency: 'USD', ...(usd === 0 || usd >= 0.01 ? { minimumFractionDigits: 2, maximumFractionDigits: 4 } : { maximumSignificantDigits: 3 }) }).format(usd);
const int = (n: number) => new Intl.NumberFormat('en').format(n);

/** Minimal RFC 4180 reader (quoted cells, doubled quotes). */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

test.use({ timezoneId: 'Asia/Shanghai' });

test('the Usage page adds up the recorded calls, per provider and model, and exports one CSV row per call', async ({ app: page, fake, clock }) => {
  await useFakeProvider(page, fake, { model: MS_MODEL });
  await useFakeProvider(page, fake, { providerId: 'wandb', key: 'wandb-test-key-000001', model: WB_MODEL });

  // Yesterday (Shanghai time): one W&B call, in the 7-day view only.
  await clock.set(shanghai('2025-01-14T20:00:00'));
  fake.enqueue(streamOf('Yesterday.', { usage: { prompt: 11, completion: 13 } }));
  await settled(await send(page, 'yesterday'));

  await clock.set(shanghai('2025-01-15T10:00:00'));
  const wandb = [
    { prompt: 1200, completion: 800 },
    { prompt: 300, completion: 200 },
  ];
  for (const [i, u] of wandb.entries()) {
    fake.enqueue(streamOf(`W&B answer ${i}.`, { usage: u }));
    await settled(await send(page, `question ${i}`));
  }
  await page.getByRole('button', { name: 'New chat' }).click();
  await expect(page.getByRole('heading', { name: 'Start a conversation' })).toBeVisible();
  const picker = page.getByRole('combobox', { name: 'Model' });
  await picker.selectOption(`modelscope\u0000${MS_MODEL}`);
  await expect(picker).toHaveValue(`modelscope\u0000${MS_MODEL}`);
  const ms = { prompt: 50, completion: 70 };
  fake.enqueue({ ...streamOf('ModelScope answer.', { usage: ms }), flavor: 'modelscope' });
  await settled(await send(page, 'on modelscope'));
  fake.enqueue(providerErrors.modelscopeQuota());
  const failed = await send(page, 'one too many');
  await settled(failed);
  await expect(failed).toHaveAttribute('data-status', 'error');

  const wbIn = wandb.reduce((a, u) => a + u.prompt, 0);
  const wbOut = wandb.reduce((a, u) => a + u.completion, 0);
  const wbCost = (wbIn * WB_PRICE.input + wbOut * WB_PRICE.output) / 1e6;

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Usage' }).click();
  const usage = page.getByRole('region', { name: 'Usage' });
  await expect(usage.getByRole('button', { name: 'Today' })).toHaveAttribute('aria-pressed', 'true');
  const card = (name: string) => usage.getByRole('group', { name, exact: true }).locator('.value');
  await expect(card('Calls')).toHaveText('4');
  await expect(card('Input tokens')).toHaveText(int(wbIn + ms.prompt));
  await expect(card('Output tokens')).toHaveText(int(wbOut + ms.completion));
  await expect(card('Cost')).toHaveText(money(wbCost));
  await expect(usage.getByRole('group', { name: 'Cost', exact: true })).toContainText('+ 1 call without a price');
  await expect(card('Errors')).toHaveText('1');

  const cells = async (table: string, row: string) => usage.getByRole('table', { name: table }).getByRole('row', { name: row }).getByRole('cell').allTextContents();
  expect((await cells('By provider', 'W&B Inference')).slice(0, 5)).toEqual(['2', int(wbIn), int(wbOut), money(wbCost), '0']);
  expect((await cells('By provider', 'ModelScope')).slice(0, 5)).toEqual(['2', int(ms.prompt), int(ms.completion), 'Unknown', '1']);
  expect((await cells('By model', `${WB_MODEL} W&B Inference`)).slice(0, 6)).toEqual(['W&B Inference', '2', int(wbIn), int(wbOut), money(wbCost), '0']);
  const chart = usage.getByRole('list', { name: 'Calls per day' });
  await expect(chart.getByRole('listitem', { name: 'Jan 15: 4 calls (1 failed)' })).toBeVisible();
  await expect(chart.getByRole('listitem', { name: 'Jan 14: 1 call (0 failed)' })).toBeVisible();

  // CSV for today: one row per recorded call, and its sums are the page's totals.
  const [download] = await Promise.all([page.waitForEvent('download'), usage.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toBe('kaiwa-usage-today-2025-01-15.csv');
  const records = parseCsv(readFileSync((await download.path())!, 'utf8'));
  await expect(usage.getByRole('status')).toHaveText('Exported 4 calls');
  expect(records).toHaveLength(4);
  expect(records.map((r) => [r['provider'], r['model'], r['status']])).toEqual([
    ['wandb', WB_MODEL, 'ok'],
    ['wandb', WB_MODEL, 'ok'],
    ['modelscope', MS_MODEL, 'ok'],
    ['modelscope', MS_MODEL, 'error'],
  ]);
  const sum = (col: string) => records.reduce((a, r) => a + Number(r[col] || 0), 0);
  expect(sum('input_tokens')).toBe(wbIn + ms.prompt);
  expect(sum('output_tokens')).toBe(wbOut + ms.completion);
  expect(sum('cost_usd')).toBeCloseTo(wbCost, 12);
  expect(records[3]).toMatchObject({ error_code: 'quota_exceeded', http_status: '429', cost_usd: '' });
  expect(records[2]!['cost_usd']).toBe(''); // unpriced: unknown, not 0
  expect(records.every((r) => r['key_id'] !== '' && !r['key_id']!.includes('test-key'))).toBe(true);
  expect(new Date(records[0]!['time']!).getTime()).toBeGreaterThanOrEqual(shanghai('2025-01-15T10:00:00'));

  await usage.getByRole('button', { name: '7 days' }).click();
  await expect(card('Calls')).toHaveText('5');
  await expect(card('Input tokens')).toHaveText(int(wbIn + ms.prompt + 11));
  await expect(chart.getByRole('listitem')).toHaveCount(7);
  await shoot(page, 'usage');

  // The page follows new calls and the clock: the next day starts empty.
  await clock.set(shanghai('2025-01-16T00:00:30'));
  await usage.getByRole('button', { name: 'Today' }).click();
  await expect(card('Calls')).toHaveText('0');
  await expect(usage.getByRole('table', { name: 'By provider' })).toHaveCount(0);
  await expect(usage.getByText('No calls in this period.').first()).toBeVisible();
});
