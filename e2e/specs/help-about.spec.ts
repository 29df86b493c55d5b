// The keyboard shortcuts dialog, the conversation menu by keyboard, Settings → About (version,
// data folder with "Open folder", licences) and the dark theme.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';

test.use({ viewport: { width: 1280, height: 800 } });

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

test('? and F1 open the shortcuts dialog (not while typing); it lists the shortcuts and closes with Esc', async ({ app: page }) => {
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  const input = page.getByRole('textbox', { name: 'Message' });
  // A "?" typed into the message is text.
  await input.click();
  await page.keyboard.type('Why?');
  await expect(input).toHaveValue('Why?');
  await expect(dialog).toBeHidden();
  // F1 works anywhere.
  await page.keyboard.press('F1');
  await expect(dialog).toBeVisible();
  for (const [group, rows] of [
    ['In the message box', ['Enter Send the message', 'Shift + Enter New line', 'Esc Stop the answer that is coming in']],
    ['Anywhere', ['Ctrl + N New conversation', 'Ctrl + K Search conversations', '? or F1 Show this list', 'Esc Close a dialog or menu']],
  ] as const) {
    const table = dialog.getByRole('table', { name: group });
    for (const row of rows) await expect(table.getByRole('row', { name: row })).toBeVisible();
  }
  await page.screenshot({ path: 'docs/screenshots/shortcuts.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // "?" outside a text field, and the conversation menu, open it too.
  // Not the middle of the empty chat: on a first run that is the "add a key" button.
  await page.getByRole('heading', { name: 'Start a conversation' }).click();
  await page.keyboard.press('Shift+Slash');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'More actions for this conversation' }).click();
  await page.getByRole('menuitem', { name: 'Keyboard shortcuts' }).click();
  await expect(dialog).toBeVisible();
});

test('the conversation menu works from the keyboard and says why export is not possible yet', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  const button = page.getByRole('button', { name: 'More actions for this conversation' });
  await button.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'More actions for this conversation' });
  await expect(menu).toBeVisible();
  // An empty conversation has nothing to export yet; import and the shortcuts are available.
  await expect(menu.getByRole('menuitem', { name: 'Export as Markdown' })).toBeDisabled();
  await expect(menu.getByRole('menuitem', { name: 'Import a conversation…' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Keyboard shortcuts' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Import a conversation…' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();

  fake.enqueue({ kind: 'stream', flavor: 'modelscope', content: ['Some **answer**.'] });
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('A question');
  await input.press('Enter');
  await expect(page.locator('article.assistant')).toHaveAttribute('data-status', 'done');
  await button.click();
  await expect(menu.getByRole('menuitem', { name: 'Export as Markdown' })).toBeFocused();
  await page.screenshot({ path: 'docs/screenshots/conversation-menu.png' });
});

test.describe('About', () => {
  // A stand-in for the system's folder opener (xdg-open / open) that records what it was asked to open.
  const bin = mkdtempSync(join(tmpdir(), 'kaiwa-opener-'));
  const log = join(bin, 'opened.txt');
  for (const name of ['xdg-open', 'open']) {
    writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`);
    chmodSync(join(bin, name), 0o755);
  }
  test.use({ hostOptions: { env: { PATH: `${bin}:${process.env['PATH'] ?? ''}` } } });
  test.afterAll(() => rmSync(bin, { recursive: true, force: true }));

  test('shows the version, the data folder (Open folder opens it) and the licences of what Kaiwa ships', async ({ app: page, host }) => {
    // The licence list is a JSON data block in index.html: never executed, so no CSP report either.
    await page.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.reload();
    await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('button', { name: 'About', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'About Kaiwa' })).toBeVisible();
    const facts = page.locator('.about-facts');
    await expect(facts).toContainText(`Version${pkg.version}`);
    await expect(facts).toContainText('Running asBrowser mode');
    await expect(page.locator('.data-dir')).toHaveText(host.dataDir);

    await page.getByRole('button', { name: 'Open folder' }).click();
    await expect.poll(() => (readFileSync(log, { encoding: 'utf8', flag: 'a+' }) || '').trim()).toBe(host.dataDir);

    const summary = page.getByText(/^Show all \d+ packages$/);
    await expect(summary).toBeVisible();
    await summary.click();
    const table = page.getByRole('table', { name: 'Open-source licences' });
    for (const [name, licence] of [['react', 'MIT'], ['katex', 'MIT'], ['zod', 'MIT'], ['undici', 'MIT'], ['electron', 'MIT'], ['highlight.js', 'BSD-3-Clause']] as const) {
      await expect(table.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) })).toContainText(licence);
    }
    await page.getByText(/^Show all \d+ packages$/).click();
    await page.screenshot({ path: 'docs/screenshots/about.png' });
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
  });
});

test('dark theme: chosen in Settings, applied at once, code blocks keep readable contrast', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  fake.enqueue({ kind: 'stream', flavor: 'modelscope', reasoning: ['Short thought.'], content: ['Here:\n\n```ts\nconst answer: number = 42; // the answer\nconsole.log(`value: ${answer}`);\n```\n\nAnd inline `code` with $e^{i\\pi}+1=0$.'] });
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('Show some TypeScript');
  await input.press('Enter');
  await expect(page.locator('article.assistant')).toHaveAttribute('data-status', 'done');

  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'General', exact: true }).click();
  await page.getByRole('combobox', { name: 'Theme', exact: true }).selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await nav(page).getByRole('button', { name: 'Chats', exact: true }).click();

  // WCAG contrast of the code text and of body text against their backgrounds.
  const contrast = await page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const ratio = (a: string, b: string) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x! + 0.05) / (y! + 0.05);
    };
    const code = document.querySelector('.md-code code')!;
    const codeBox = document.querySelector('.md-code')!;
    const body = getComputedStyle(document.body);
    return {
      scheme: getComputedStyle(document.documentElement).colorScheme,
      body: ratio(body.color, body.backgroundColor),
      code: ratio(getComputedStyle(code).color, getComputedStyle(codeBox).backgroundColor),
      bodyIsDark: lum(body.backgroundColor) < 0.05,
    };
  });
  expect(contrast.scheme).toBe('dark');
  expect(contrast.bodyIsDark).toBe(true);
  expect(contrast.body).toBeGreaterThan(7);
  expect(contrast.code).toBeGreaterThan(7);
  await page.screenshot({ path: 'docs/screenshots/chat-dark.png' });

  // Back to light, without a reload.
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'General', exact: true }).click();
  await page.getByRole('combobox', { name: 'Theme', exact: true }).selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('light');
});
