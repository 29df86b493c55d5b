// Takes the README/docs screenshots from the running app (browser mode + fake upstream) in Chromium.
// Usage: npx electron-vite build && node scripts/screenshots.ts [--lang en|ja|zh] [--out docs/screenshots]
// Needs fonts-noto-cjk for Japanese/Chinese text.
import { streamOf } from '../test/fake-upstream/scenarios.ts';
import { startShots } from './lib/shots.ts';

const s = await startShots();
const { page, fake } = s;

try {
  await s.open();
  await s.configure([{ id: 'modelscope', keys: 'ms-demo-key-for-screenshots' }], { providerId: 'modelscope', modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507' });

  const answer = [
    'Kaiwa (会話) streams answers from OpenAI-compatible providers such as ModelScope, W&B Inference and Alibaba Cloud Model Studio.',
    '',
    'Your API keys stay in the main process; this window only ever sees a masked form.',
  ].join('\n');
  fake.enqueue({ ...streamOf(answer, { size: 12, delayMs: 5 }), flavor: 'modelscope' });
  await s.send('What is Kaiwa?');
  await page.waitForSelector('article.assistant[data-status="done"]');
  await s.shot('chat');

  // The last button of the sidebar foot is Settings (in every language).
  await page.locator('.sidebar-foot button').last().click();
  await page.waitForSelector('form.provider-form');
  await s.shot('settings');
} finally {
  await s.stop();
}
process.stdout.write(`screenshots written to ${s.out}\n`);
