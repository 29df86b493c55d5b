// Languages: switching to Japanese and to Chinese in Settings → General changes the UI at
// once, and no English is left on the chat and settings screens. Screenshots are written to
// docs/screenshots/{chat,settings}.{ja,zh}.png.
import type { Page } from '@playwright/test';
import { expect, test, useFakeProvider } from '../support/fixtures.ts';

test.use({ viewport: { width: 1280, height: 800 } });

/**
 * Words that are the same in every language: product and provider names, formats, key caps, and
 * "token", which is what Chinese LLM documentation (DashScope's included) calls a token.
 */
const SAME_EVERYWHERE = new Set([
  'Kaiwa', 'ModelScope', 'DashScope', 'Alibaba', 'Cloud', 'Model', 'Studio', 'Inference', 'Qwen', 'JSON', 'Markdown',
  'Enter', 'Shift', 'Ctrl', 'Esc', 'scrypt', 'Ollama', 'Top', 'token', 'Token', 'Linux', 'macOS', 'Windows',
]);

/**
 * English words visible on the page outside user content (messages, titles, code, form values):
 * what a Japanese or Chinese reader would see untranslated.
 */
async function englishOnScreen(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const skip = '.message-body, .thinking-body, .md, code, pre, kbd, option, select, textarea, input, .conversation-list, .chat-head h1, .conversation-title, .message-head, .data-dir';
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim() || el.closest(skip) || !el.checkVisibility({ visibilityProperty: true })) continue;
      out.push(n.textContent);
    }
    // What a screen reader says counts too.
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      // The chat region is named after the conversation's title: user content.
      if (el.closest(skip) || el.matches('section.chat') || !(el as HTMLElement).checkVisibility()) continue;
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  });
  const words = texts
    .join(' ')
    .split(/\s+/)
    // URLs, paths, host names and model ids ("modelscope.cn", "Qwen/Qwen3-8B", "/tmp/…") are names, not words.
    .filter((token) => !/[\p{L}\d][/.:_\d-]|[/.:_-][\p{L}\d]/u.test(token))
    .flatMap((token) => token.split(/[^A-Za-z]+/))
    // Acronyms and environment variable names (HTTPS, API) are not translated.
    .filter((w) => w.length >= 3 && !/^[A-Z]+$/.test(w) && !SAME_EVERYWHERE.has(w));
  return [...new Set(words)];
}

const nav = (page: Page) => page.getByRole('navigation').first();

async function chooseLanguage(page: Page, labels: { settings: string; general: string; language: string }, value: 'ja' | 'zh') {
  await nav(page).getByRole('button', { name: labels.settings, exact: true }).click();
  await page.getByRole('button', { name: labels.general, exact: true }).click();
  await page.getByRole('combobox', { name: labels.language, exact: true }).selectOption(value);
}

async function chat(page: Page, fake: Parameters<typeof useFakeProvider>[1], question: string, reasoning: string[], answer: string[]) {
  fake.enqueue({ kind: 'stream', flavor: 'modelscope', reasoning, content: answer, usage: { prompt: 42, completion: 96 }, delayMs: 5 });
  const input = page.getByRole('textbox').last();
  await input.fill(question);
  await input.press('Enter');
  // The question shows together with its (new) answer; then wait for that answer to finish.
  await expect(page.locator('article.user').last().locator('.message-body')).toHaveText(question);
  await expect(page.locator('article.assistant').last()).toHaveAttribute('data-status', 'done');
}

test('Japanese and Chinese chosen in Settings apply at once; chat and settings show no English', async ({ app: page, fake }) => {
  await useFakeProvider(page, fake);

  // 日本語
  await chooseLanguage(page, { settings: 'Settings', general: 'General', language: 'Language' }, 'ja');
  await expect(nav(page)).toHaveAccessibleName('メインナビゲーション');
  await expect(page.getByRole('heading', { level: 1, name: '設定' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: '言語', exact: true })).toHaveValue('ja');
  await expect(page.getByRole('group', { name: 'プロバイダーへのリクエストの経路' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  expect(await englishOnScreen(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screenshots/settings.ja.png' });
  // The other settings pages, and the shortcuts dialog, too.
  for (const pane of ['ModelScope', 'バックアップと復元', 'Kaiwa について']) {
    await page.getByRole('button', { name: pane, exact: true }).click();
    expect(await englishOnScreen(page), pane).toEqual([]);
  }
  await page.keyboard.press('F1');
  await expect(page.getByRole('dialog', { name: 'キーボードショートカット' })).toBeVisible();
  expect(await englishOnScreen(page)).toEqual([]);
  await page.keyboard.press('Escape');

  await nav(page).getByRole('button', { name: 'チャット', exact: true }).click();
  await expect(page.getByRole('textbox', { name: 'メッセージ' })).toBeVisible();
  await chat(
    page,
    fake,
    'Python でフィボナッチ数列を書いてください',
    ['フィボナッチ数列は', '前の二つの項の和です。'],
    ['再帰を使わない書き方です：\n\n```python\ndef fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```\n\n', '計算量は $O(n)$ です。'],
  );
  await expect(page.getByRole('button', { name: '送信' })).toBeVisible();
  expect(await englishOnScreen(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screenshots/chat.ja.png' });

  // 简体中文
  await chooseLanguage(page, { settings: '設定', general: '一般', language: '言語' }, 'zh');
  await expect(nav(page)).toHaveAccessibleName('主导航');
  await expect(page.getByRole('heading', { level: 1, name: '设置' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: '语言', exact: true })).toHaveValue('zh');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(await englishOnScreen(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screenshots/settings.zh.png' });
  for (const pane of ['ModelScope', '备份与恢复', '关于']) {
    await page.getByRole('button', { name: pane, exact: true }).click();
    expect(await englishOnScreen(page), pane).toEqual([]);
  }

  await nav(page).getByRole('button', { name: '新对话', exact: true }).click();
  await expect(page.getByRole('textbox', { name: '消息' })).toBeVisible();
  await chat(
    page,
    fake,
    '用一句话解释什么是大语言模型',
    ['用户想要一句话的解释。'],
    ['**大语言模型**是在海量文本上训练、能够理解和生成自然语言的深度学习模型。'],
  );
  await expect(page.getByRole('button', { name: '发送' })).toBeVisible();
  expect(await englishOnScreen(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screenshots/chat.zh.png' });

  // The choice is a setting: it survives a reload.
  await page.reload();
  await expect(nav(page)).toHaveAccessibleName('主导航');
});
