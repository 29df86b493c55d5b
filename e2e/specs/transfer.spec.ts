// Export and import, as a user does it from the conversation menu in the chat header:
// the Markdown file reads the same in a Markdown viewer as in the app, and a Kaiwa JSON export
// imported again is the same conversation, every version included.
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { marked } from 'marked';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';
import { sendAndWait } from '../support/chat.ts';

test.use({ viewport: { width: 1280, height: 800 } });

const menuButton = (page: Page) => page.getByRole('button', { name: 'More actions for this conversation' });

async function exportAs(page: Page, item: 'Export as Markdown' | 'Export as Kaiwa JSON (every version)'): Promise<{ name: string; text: string }> {
  await menuButton(page).click();
  const downloaded = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: item }).click();
  const d: Download = await downloaded;
  await expect(page.getByRole('status').filter({ hasText: `Saved ${d.suggestedFilename()}` })).toBeVisible();
  return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
}

/**
 * The text a reader sees in an element of the app: formulas as the TeX KaTeX was given ($…$ or
 * $$…$$), without the code block's header (language, Copy button). All whitespace is dropped, so
 * layout differences (line breaks, margins) do not count; every visible character does.
 */
function appText(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const x of copy.querySelectorAll('.md-code-head, button, .md-sr-only')) x.remove();
    for (const m of copy.querySelectorAll('.md-math')) {
      const tex = m.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? '';
      const fence = m.classList.contains('md-math-display') ? '$$' : '$';
      m.replaceWith(document.createTextNode(`${fence}${tex}${fence}`));
    }
    return (copy.textContent ?? '').replace(/\s+/g, '');
  });
}

/** Renders Markdown with marked in a blank page and returns the text of each section (h2 → next h2), <details> apart. */
async function viewerSections(page: Page, markdown: string) {
  const viewer = await page.context().newPage();
  await viewer.setContent(`<!doctype html><body>${marked.parse(markdown) as string}</body>`);
  const sections = await viewer.evaluate(() => {
    const out: { heading: string; details: string; text: string }[] = [];
    for (const el of document.body.children) {
      if (el.tagName === 'H2') out.push({ heading: el.textContent ?? '', details: '', text: '' });
      else if (out.length && el.tagName === 'DETAILS') {
        el.querySelector('summary')?.remove();
        out.at(-1)!.details += el.textContent ?? '';
      } else if (out.length && el.tagName !== 'HR') out.at(-1)!.text += el.textContent ?? '';
    }
    return out.map((s) => ({ ...s, details: s.details.replace(/\s+/g, ''), text: s.text.replace(/\s+/g, '') }));
  });
  await viewer.close();
  return sections;
}

test('a conversation with code and math exported as Markdown reads the same in a Markdown viewer', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  const reasoning = ['The user wants **code** and math.', '\n\nI will show `fib` and a sum.'];
  const answer = [
    'Here is an iterative version:\n\n```python\ndef fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```\n\n',
    'It runs in $O(n)$ time, and the sum of the first $n$ numbers is\n\n$$\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$\n\n',
    '| n | fib(n) |\n|---|---|\n| 10 | 55 |\n\n- **bold** and *italic*\n- raw HTML stays text: <b>not bold</b> & <script>x()</script>\n',
  ];
  fake.enqueue({ kind: 'stream', flavor: 'modelscope', reasoning, content: answer, usage: { prompt: 20, completion: 80 } });
  await sendAndWait(page, 'Show me *fib* in Python and a formula: 2*3 < 7');
  const assistant = page.locator('article.assistant').last();
  await expect(assistant.locator('.md-code')).toBeVisible();
  await expect(assistant.locator('.md-math-display')).toBeVisible();

  const md = await exportAs(page, 'Export as Markdown');
  expect(md.name).toBe('Show me fib in Python and a formula 2 3 7.md');
  const sections = await viewerSections(page, md.text);
  expect(sections.map((s) => s.heading)).toEqual(['You', 'Assistant · fake-model']);

  // The question, as typed, and the answer, as rendered, read the same in both.
  expect(sections[0]!.text).toBe(await appText(page, 'article.user .message-body'));
  expect(sections[1]!.text).toBe(await appText(page, 'article.assistant .message-body'));
  expect(sections[1]!.text).toContain('deffib(n):a,b=0,1');
  expect(sections[1]!.text).toContain('$$\\sum_{k=1}^{n}k=\\frac{n(n+1)}{2}$$');
  expect(sections[1]!.text).toContain('<b>notbold</b>&<script>x()</script>');
  // The reasoning is in a folded "Thinking" block, the same text the thinking panel shows.
  await assistant.getByRole('button', { name: /^Thinking/ }).click();
  expect(sections[1]!.details).toBe(await appText(page, 'article.assistant .thinking-body'));
  expect(md.text).toMatch(/<details>\n<summary>Thinking<\/summary>/);
});

test('Kaiwa JSON export → import → export gives the same conversation, every version included; a bad file changes nothing', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);
  fake.enqueue({ kind: 'stream', flavor: 'modelscope', reasoning: ['Hmm.'], content: ['First answer.'] });
  await sendAndWait(page, 'Tell me about versions');
  fake.enqueue({ kind: 'stream', flavor: 'modelscope', content: ['Second answer, ', 'with `code`.'] });
  await page.locator('article.assistant').last().getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.locator('article.assistant').last()).toContainText('Second answer');
  await expect(page.locator('article.assistant').last()).toHaveAttribute('data-status', 'done');
  fake.enqueue({ kind: 'stream', flavor: 'modelscope', content: ['A follow-up answer.'] });
  await sendAndWait(page, 'And a follow-up');

  const shown = async () => page.locator('article .message-body').allTextContents();
  const before = await shown();
  const first = await exportAs(page, 'Export as Kaiwa JSON (every version)');
  expect(first.name).toBe('Tell me about versions.kaiwa.json');
  const exported = JSON.parse(first.text) as { format: string; version: number; messages: { content: string }[] };
  expect(exported).toMatchObject({ format: 'kaiwa.conversation', version: 1 });
  expect(exported.messages.map((m) => m.content)).toEqual(['Tell me about versions', 'First answer.', 'Second answer, with `code`.', 'And a follow-up', 'A follow-up answer.']);

  // Import it from the same menu: a new conversation opens, showing the same branch.
  const conversations = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem');
  await expect(conversations).toHaveCount(1);
  await menuButton(page).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('menuitem', { name: 'Import a conversation…' }).click();
  await (await chooser).setFiles({ name: first.name, mimeType: 'application/json', buffer: Buffer.from(first.text) });
  await expect(page.getByRole('status').filter({ hasText: 'Imported “Tell me about versions” (5 messages).' })).toBeVisible();
  await expect(conversations).toHaveCount(2);
  await expect.poll(shown).toEqual(before);
  await expect(page.locator('article.assistant').first().getByRole('group', { name: 'Version 2 of 2' })).toBeVisible();

  const second = await exportAs(page, 'Export as Kaiwa JSON (every version)');
  type File = { exportedAt: string; conversation: Record<string, unknown>; activeLeafId: string; messages: { id: string; parentId: string | null }[] };
  const comparable = (f: File) => {
    const at = new Map(f.messages.map((m, i) => [m.id, i]));
    return {
      ...f,
      exportedAt: undefined,
      conversation: { ...f.conversation, id: undefined, updatedAt: undefined },
      activeLeafId: at.get(f.activeLeafId),
      messages: f.messages.map((m) => ({ ...m, id: at.get(m.id), parentId: m.parentId === null ? null : at.get(m.parentId) })),
    };
  };
  expect(comparable(JSON.parse(second.text) as File)).toEqual(comparable(JSON.parse(first.text) as File));

  // Settings → Backup & restore imports the same way; "Open it" shows the new conversation.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'Backup & restore', exact: true }).click();
  const importSection = page.getByRole('region', { name: 'Import a conversation' });
  const chooser3 = page.waitForEvent('filechooser');
  await importSection.getByRole('button', { name: 'Conversation file (Kaiwa JSON) Choose a file…' }).click();
  await (await chooser3).setFiles({ name: first.name, mimeType: 'application/json', buffer: Buffer.from(first.text) });
  await expect(importSection.getByRole('status')).toContainText('Imported “Tell me about versions” (5 messages).');
  await importSection.getByRole('button', { name: 'Open it' }).click();
  await expect(conversations).toHaveCount(3);
  await expect.poll(shown).toEqual(before);

  // A damaged file: a clear message, and no conversation is added.
  const broken = first.text.replace('"parentId": null', '"parentId": "nowhere"');
  await menuButton(page).click();
  const chooser2 = page.waitForEvent('filechooser');
  await page.getByRole('menuitem', { name: 'Import a conversation…' }).click();
  await (await chooser2).setFiles({ name: 'broken.kaiwa.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
  await expect(page.getByRole('alert')).toContainText('This file cannot be imported: it is damaged or was edited by hand (see the details). Nothing was changed.');
  await expect(conversations).toHaveCount(3);
});
