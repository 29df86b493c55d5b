// Several ModelScope tokens (separate accounts, the seeds' "switch to a spare account"): when the
// first reports no calls left, the next question goes out on the second without a failed request
// first, and the meter shows each token's figures.
import { streamOf } from '../../test/fake-upstream/scenarios.ts';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendAndWait } from '../support/chat.ts';

const FIRST = 'ms-first-account-token-0001';
const SECOND = 'ms-second-account-token-0002';
const figures = (remaining: number) => ({
  'modelscope-ratelimit-requests-limit': '2000',
  'modelscope-ratelimit-requests-remaining': String(remaining),
  'modelscope-ratelimit-model-requests-limit': '500',
  'modelscope-ratelimit-model-requests-remaining': String(Math.min(remaining, 500)),
});

test('two tokens, the first exhausted (remaining 0): the next send uses the second with no failed request; the meter shows both', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake, { key: `${FIRST}\n${SECOND}`, model: 'Qwen/Qwen3-235B-A22B-Instruct-2507' });
  fake.enqueue(streamOf('Last call of the day.', { flavor: 'modelscope', headers: figures(0) }));
  await sendAndWait(page, 'first');
  const meter = page.getByRole('group', { name: 'ModelScope quota' });
  const perKey = meter.getByRole('list', { name: 'Quota per key' });
  await expect(perKey.getByRole('listitem')).toHaveCount(2);
  await expect(perKey.getByRole('listitem').first()).toContainText('0 / 2,000 left');
  await expect(perKey.getByRole('listitem').first()).toContainText('used up');
  await expect(perKey.getByRole('listitem').nth(1)).toContainText('used next');

  fake.enqueue(streamOf('A fresh account answers.', { flavor: 'modelscope', headers: figures(1999) }));
  await sendAndWait(page, 'second');
  const auth = fake.chatRequests().map((r) => r.headers['authorization']);
  expect(auth).toEqual([`Bearer ${FIRST}`, `Bearer ${SECOND}`]);
  // No request failed on the way: every answer is done and nothing was retried.
  await expect(page.locator('article.assistant[data-status="done"]')).toHaveCount(2);
  await expect(perKey.getByRole('listitem').nth(1)).toContainText('1,999 / 2,000 left');
  await expect(perKey.getByRole('listitem').nth(1)).toContainText('used next');
  await expect(perKey.getByRole('listitem').first()).toContainText('used up');
});
