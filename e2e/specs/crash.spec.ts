// Crash safety in `npm test`: a few rounds of the crash soak (e2e/soak/crash-soak.ts; `npm run soak`
// runs 50), then the page after the last restart, as the user finds it.
import { runCrashSoak, soakTable, MAX_LOST_MS } from '../soak/crash-soak.ts';
import { expect, recordReliability, test } from '../support/fixtures.ts';

const KILLS = Number(process.env['KAIWA_SOAK_KILLS'] ?? 5);
const TITLE = `SIGKILL at ${KILLS} random moments while streaming (and saving settings): every restart opens cleanly, no question lost, at most ~1 s of answer lost, marked interrupted`;
const figures = recordReliability('crash', {
  [TITLE]: `After each kill the database and settings open without a damage notice, every question ever sent is there, the answer being streamed is marked interrupted and kept all but ≤ ${MAX_LOST_MS} ms of what the provider had sent, and no acknowledged settings save is lost.`,
});

test(TITLE, async ({ page }) => {
  test.setTimeout(60_000 + KILLS * 15_000);
  const result = await runCrashSoak({
    kills: KILLS,
    print: (l) => console.log(l),
    onFinalHost: async (host, last) => {
      // What the user sees after the last crash: the answer marked, with Continue, and all conversations listed.
      await page.goto(host.url);
      await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: last.question, exact: true }).click();
      const reply = page.locator('article.assistant').last();
      await expect(reply).toHaveAttribute('data-status', 'interrupted');
      await expect(reply.getByText('Interrupted — Kaiwa closed while this answer was streaming')).toBeVisible();
      await expect(reply.getByRole('button', { name: 'Continue' })).toBeVisible();
      await expect(page.locator('article.user .message-body')).toHaveText(last.question);
      await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem')).toHaveCount(KILLS);
      await expect(page.getByRole('alert')).toHaveCount(0);
    },
  });
  console.log(soakTable(result));
  Object.assign(figures.get(TITLE)!, {
    kills: result.kills,
    settingsSavesKilled: result.settingsSavesKilled,
    maxLostMs: result.maxLostMs,
    maxLostChars: result.maxLostChars,
    maxRestartMs: result.maxRestartMs,
    seed: result.seed,
  });
  expect(result.records.flatMap((r) => r.problems.map((p) => `kill ${r.i + 1}: ${p}`))).toEqual([]);
  expect(result.kills).toBe(KILLS);
});
