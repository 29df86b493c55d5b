// Sending a message as a user does: type into the composer, press Enter.
import { expect, type Locator, type Page } from '@playwright/test';

export async function sendMessage(page: Page, text: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
}

/** Sends and waits until that question shows and its (new) answer has finished. */
export async function sendAndWait(page: Page, text: string): Promise<void> {
  await sendMessage(page, text);
  // The question shows together with its (new) answer; then wait for that answer to finish.
  await expect(page.locator('article.user').last().locator('.message-body')).toHaveText(text);
  await expect(page.locator('article.assistant').last()).toHaveAttribute('data-status', 'done');
}

/**
 * Waits, from inside the page, until the newest answer is no longer streaming. For tests that count
 * gaps between frames: every failed try of `expect(locator)` takes a snapshot of the page's whole
 * accessibility tree on the page's own main thread (100–190 ms once an answer holds a 600-line
 * fence, 500 ms on a loaded CI machine), so polling with it measures the test, not the app.
 */
export async function waitUntilAnswered(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const answers = document.querySelectorAll('article.assistant');
      const status = answers[answers.length - 1]?.getAttribute('data-status');
      return status != null && status !== 'streaming';
    },
    undefined,
    { polling: 100, timeout },
  );
}

/** The answer's error box says `alert` with exactly these action buttons, or there is none. */
export async function expectAnswerAlert(reply: Locator, alert: string | RegExp | undefined, actions: string[] = []): Promise<void> {
  const box = reply.getByRole('alert');
  if (alert) {
    await expect(box).toContainText(alert);
    await expect(box.locator('.error-actions').getByRole('button')).toHaveText(actions);
  } else {
    await expect(box).toHaveCount(0);
  }
}
