// The app's navigation as a person uses it, shared by the specs that walk the settings and chat
// screens by role and name (browser mode and the desktop smoke test alike).
import { expect, type Page } from '@playwright/test';

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

/**
 * Settings → ModelScope: paste `key`, point the base URL at `baseUrl`, save, and make `model` the
 * default — the steps of the new-user flow up to the first message.
 */
export async function saveModelScopeKey(page: Page, baseUrl: string, key: string, model: string) {
  const form = await openSettings(page, 'ModelScope');
  await form.getByLabel('Paste API keys').fill(key);
  await form.getByLabel('Base URL').fill(baseUrl);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  await expect(form.getByText('1 key(s) stored')).toBeVisible();
  await page.getByRole('listitem', { name: model, exact: true }).getByRole('button', { name: `Use ${model} as default` }).click();
  return form;
}

/** Records Content-Security-Policy violations from the page's first script on. */
export async function recordCspViolations(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

export const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
