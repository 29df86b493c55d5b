// Screenshots of the chat view (thinking panel + footer + versions, search, parameters) from the
// running app in browser mode against the fake upstream.
// Usage: npx electron-vite build && node scripts/chat-screenshots.ts [--lang en|ja|zh] [--out docs/screenshots]
import { streamOf } from '../test/fake-upstream/scenarios.ts';
import { startShots } from './lib/shots.ts';

const s = await startShots({ viewport: { width: 1280, height: 860 } });
const { page, fake } = s;
const thinkingModel = 'Qwen/Qwen3-235B-A22B-Thinking-2507';

try {
  await s.open();
  await s.configure(
    ['modelscope', 'wandb'].map((id) => ({ id, keys: `${id}-demo-key-for-screenshots` })),
    { providerId: 'wandb', modelId: thinkingModel },
  );

  // 1. A conversation about a word we search for later.
  fake.enqueue({ ...streamOf('The Dalmatian pelican is the largest pelican; it breeds from south-eastern Europe to China.', { size: 10 }), flavor: 'wandb' });
  await s.send('Tell me about pelicans');
  await page.waitForSelector('article.assistant[data-status="done"]');

  // 2. Thinking answer, regenerated once: thinking panel, footer and "‹ 2/2 ›".
  await page.keyboard.press('Control+n');
  const reasoning = [
    'The user asks why the sky is blue. ',
    'Sunlight contains all visible wavelengths; air molecules are much smaller than those wavelengths, ',
    'so Rayleigh scattering applies and its strength goes with 1/λ⁴. ',
    'Blue (≈450 nm) scatters about 5.5× more than red (≈700 nm). Violet scatters even more, ',
    'but the sun emits less of it and our eyes are less sensitive to it.',
  ];
  const answer = [
    'The sky looks blue because of **Rayleigh scattering**.\n\n',
    'Sunlight is a mix of all colours. When it passes through the atmosphere, the nitrogen and oxygen molecules ',
    'scatter short wavelengths far more strongly than long ones (the effect grows with 1/λ⁴), ',
    'so blue light is redirected across the whole sky and reaches your eyes from every direction.\n\n',
    'At sunrise and sunset the light crosses much more air, most of the blue is scattered away before it reaches you, and the sky turns orange and red.',
  ];
  const thinking = { kind: 'stream' as const, flavor: 'wandb' as const, reasoning, content: answer, usage: { prompt: 1234, completion: 2345 }, delayMs: 250 };
  fake.enqueue({ ...thinking, content: ['A first, shorter answer about scattering.'], delayMs: 20 }, thinking);
  await s.send('Why is the sky blue?');
  await page.waitForSelector('article.assistant[data-status="done"]');
  // Language-independent: Copy, Regenerate, Delete.
  await page.locator('article.assistant .message-actions button').nth(1).click();
  await page.locator('article.assistant .thinking.live').waitFor();
  await page.waitForTimeout(700);
  await s.shot('chat-thinking-live');
  await page.waitForSelector('article.assistant[data-status="done"]');
  await page.locator('.thinking-toggle').click();
  await page.mouse.move(700, 500);
  await s.shot('chat-thinking');

  // 3. Search dialog.
  await page.keyboard.press('Control+k');
  await page.locator('.search-dialog input').fill('pelican');
  await page.locator('.search-results li').first().waitFor();
  await s.shot('chat-search');
  await page.keyboard.press('Escape');

  // 4. Parameters panel with an invalid value, on a hybrid-thinking model.
  await page.evaluate(async () => {
    await window.kaiwa!.settings.update({ defaultModel: { providerId: 'modelscope', modelId: 'ZhipuAI/GLM-4.5' } });
  });
  await page.keyboard.press('Control+n');
  await page.locator('.chat-head button[aria-controls="conversation-settings"]').click();
  const panel = page.locator('.params-panel');
  await panel.locator('textarea').first().fill('You are a concise assistant. Answer in the language of the question.');
  await panel.locator('input').nth(0).fill('2');
  await panel.locator('input').nth(1).fill('0.9');
  await panel.locator('input').nth(2).fill('2048');
  await panel.locator('.field-error').first().waitFor();
  await s.shot('chat-params');
} finally {
  await s.stop();
}
process.stdout.write(`screenshots written to ${s.out}\n`);
