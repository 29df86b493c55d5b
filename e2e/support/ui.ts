// The app's navigation as a person uses it, shared by the specs that walk the settings and chat
// screens by role and name (browser mode and the desktop smoke test alike).
import type { Page } from '@playwright/test';

export const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

export const lastAnswer = (page: Page) => page.locator('article.assistant').last();

/** Settings → the provider's page; returns its form. */
export async function openSettings(page: Page, provider: string) {
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('list', { name: 'Providers' }).getByRole('button', { name: provider, exact: true }).click();
  return page.getByRole('form', { name: provider });
}

/** Back to the chat and send `text` with Enter. */
export async function backToChatAndSend(page: Page, text: string) {
  await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
}
