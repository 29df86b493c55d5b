// Sending a message as a user does: type into the composer, press Enter.
import { expect, type Page } from '@playwright/test';

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
