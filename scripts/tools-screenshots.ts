// Screenshots of function calling: an answer with two tool rounds (folded and unfolded),
// the fetch confirmation, calls that failed, and the Tools section of the conversation settings.
// Browser mode against the fake upstream and a local page server (loopback fetch test switch).
// Usage: npx electron-vite build && node scripts/tools-screenshots.ts [--lang en|ja|zh] [--out docs/screenshots]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamOf } from '../test/fake-upstream/scenarios.ts';
import { startShots, type Lang } from './lib/shots.ts';

const pages = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end('<html><head><title>Release notes</title></head><body><h1>Kaiwa 0.2</h1><p>Function calling with built-in tools.</p></body></html>');
});
await new Promise<void>((r) => pages.listen(0, '127.0.0.1', () => r()));
const pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/notes`;

const s = await startShots({
  viewport: { width: 1280, height: 860 },
  timezoneId: 'Asia/Tokyo',
  host: { env: { KAIWA_TEST_FETCH_ALLOW_LOOPBACK: '1', KAIWA_TEST_FETCH_TIMEOUT_MS: '800' } },
});
const { page, fake, lang } = s;
const model = 'Qwen/Qwen3-235B-A22B-Instruct-2507';
const questions: Record<Lang, string[]> = {
  en: ['What time is it in Tokyo, and what is (0.1 + 0.2) × 3?', 'What is new in Kaiwa 0.2? The notes are at ' + pageUrl, 'Try the broken tools'],
  ja: ['東京は今何時？ それと (0.1 + 0.2) × 3 は？', 'Kaiwa 0.2 の新機能は？ リリースノート：' + pageUrl, '壊れたツールを試して'],
  zh: ['东京现在几点？(0.1 + 0.2) × 3 等于多少？', 'Kaiwa 0.2 有什么新功能？发布说明：' + pageUrl, '试试出错的工具'],
};
const finals: Record<Lang, string> = {
  en: 'It is 10:15 on Sunday morning in Tokyo, and (0.1 + 0.2) × 3 is exactly **0.9** (no floating-point error).',
  ja: '東京は日曜日の午前 10:15 です。(0.1 + 0.2) × 3 はちょうど **0.9** です（浮動小数点の誤差はありません）。',
  zh: '东京现在是星期日上午 10:15，(0.1 + 0.2) × 3 恰好等于 **0.9**（没有浮点误差）。',
};

try {
  await s.open();
  await s.configure([{ id: 'modelscope', keys: 'ms-demo-key-for-screenshots' }], { providerId: 'modelscope', modelId: model });

  // Tools on, through the settings panel (language-independent selectors).
  await page.locator('.sidebar button.primary, nav button.primary').first().click();
  await page.locator('.chat-head button[aria-controls="conversation-settings"]').click();
  const boxes = page.locator('.tool-settings input[type="checkbox"]');
  for (let i = 0; i < 3; i++) await boxes.nth(i).check();
  await page.waitForTimeout(400);
  await page.locator('.tool-settings').scrollIntoViewIfNeeded();
  await page.mouse.move(700, 700);
  await s.shot('tools-settings');
  await page.locator('.params-head button').click();

  // 1. Two rounds: time, then the calculator, then the answer.
  fake.enqueue(
    { kind: 'stream', content: [lang === 'en' ? 'Let me check the time first.' : lang === 'ja' ? 'まず時刻を確認します。' : '我先查一下时间。'], toolCalls: [{ id: 'call_time', name: 'get_current_time', args: [''] }], usage: { prompt: 212, completion: 18 } },
    { kind: 'stream', toolCalls: [{ id: 'call_calc', name: 'calculate', args: ['{"expression":', ' "(0.1 + 0.2) * 3"}'] }], usage: { prompt: 268, completion: 22 } },
    streamOf(finals[lang], { usage: { prompt: 311, completion: 41 } }),
  );
  await s.send(questions[lang][0]!);
  await page.waitForSelector('article.assistant[data-status="done"]');
  await page.mouse.move(1200, 80);
  const reply = page.locator('article.assistant').last();
  await s.shot('tools-answer-collapsed', reply);
  const heads = reply.locator('.tool-call-head');
  await heads.nth(0).click();
  await heads.nth(1).click();
  await page.mouse.move(1200, 80);
  await s.shot('tools-answer-expanded', reply);

  // 2. fetch_url: the confirmation, then allowed.
  fake.enqueue(
    { kind: 'stream', toolCalls: [{ id: 'call_fetch', name: 'fetch_url', args: [`{"url":"${pageUrl}"}`] }] },
    streamOf(lang === 'en' ? 'Kaiwa 0.2 adds function calling with built-in tools.' : lang === 'ja' ? 'Kaiwa 0.2 では組み込みツールによる関数呼び出しが追加されました。' : 'Kaiwa 0.2 新增了使用内置工具的函数调用。'),
  );
  await s.send(questions[lang][1]!);
  await page.locator('dialog.tool-confirm[open]').waitFor();
  await page.waitForTimeout(300);
  await s.shot('tools-confirm-dialog');
  await page.locator('dialog.tool-confirm button.primary').click();
  await page.waitForFunction(() => document.querySelectorAll('article.assistant[data-status="done"]').length === 2);

  // 3. Calls that failed: malformed arguments, an unknown tool, a division by zero.
  fake.enqueue(
    {
      kind: 'stream',
      toolCalls: [
        { id: 'call_bad', name: 'calculate', args: ['{"expression": "1+'] },
        { id: 'call_unknown', name: 'get_weather', args: ['{"city":"Tokyo"}'] },
        { id: 'call_zero', name: 'calculate', args: ['{"expression":"1/(0.5-1/2)"}'] },
      ],
    },
    streamOf(lang === 'en' ? 'Those calls failed; here is what I can say without them.' : lang === 'ja' ? 'ツール呼び出しは失敗しました。ツールなしで分かることをお答えします。' : '这些工具调用失败了；以下是不借助工具的回答。'),
  );
  await s.send(questions[lang][2]!);
  await page.waitForFunction(() => document.querySelectorAll('article.assistant[data-status="done"]').length === 3);
  await page.locator('article.assistant').last().locator('.tool-call-head').first().click();
  await page.mouse.move(1200, 80);
  await s.shot('tools-errors', page.locator('article.assistant').last());
} finally {
  await s.stop();
  pages.close();
}
process.stdout.write(`screenshots written to ${s.out}\n`);
