// Screenshots of the screens that keep a hostile answer from taking the app down: a message shown as
// plain text ("could not be displayed"), the safe-start notice, and the link dialog naming the real
// host. Each at 1024x700 and 1280x800, light and dark.
// Usage: npx electron-vite build && node scripts/security-render-screenshots.ts --lang en|ja|zh [--out docs/screenshots/security]
import { streamOf } from '../test/fake-upstream/scenarios.ts';
import { startShots } from './lib/shots.ts';

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
];
const argv = process.argv.slice(2);
if (!argv.includes('--out')) argv.push('--out', 'docs/screenshots/security');
process.argv.splice(2, process.argv.length, ...argv);

const s = await startShots({ viewport: SIZES[0] });
const { page, fake } = s;

async function shots(name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => (document.documentElement.dataset['theme'] = t), theme);
      await page.waitForTimeout(150);
      await s.shot(`${name}-${size.width}-${theme}`);
    }
  }
}

try {
  await s.open();
  await s.configure([{ id: 'modelscope', keys: 'ms-demo-key-for-screenshots' }], { providerId: 'modelscope', modelId: 'Qwen/Qwen3-235B-A22B-Instruct-2507' });

  // A message the renderer cannot draw (the DOM call that inserts a formula fails, as a broken
  // build would): its text as written, under the notice, with its actions.
  fake.enqueue({ ...streamOf('Sure — here is the identity you asked about.'), flavor: 'modelscope' });
  await s.send('What is Euler’s identity?');
  await page.waitForSelector('article.assistant[data-status="done"]');
  await page.evaluate(() => {
    Element.prototype.replaceChildren = () => {
      throw new Error('simulated rendering failure');
    };
  });
  fake.enqueue({ ...streamOf('Euler’s identity: $e^{i\\pi} + 1 = 0$, linking five constants.\n\n' + '>'.repeat(60) + ' and a very deep quote.'), flavor: 'modelscope' });
  await s.send('Write it as a formula.');
  await page.waitForSelector('.render-failed');
  await page.waitForSelector('article.assistant[data-status="done"] .message-actions');
  await page.mouse.move(600, 400);
  await shots('message-failed');

  // The link dialog for an address whose user name poses as a host.
  await page.reload();
  await page.waitForSelector('nav');
  fake.enqueue({ ...streamOf('Sign in at [accounts.google.com](https://accounts.google.com@127.0.0.1:18788/login) to continue.'), flavor: 'modelscope' });
  await s.send('Where do I sign in?');
  await page.waitForSelector('article.assistant[data-status="done"] .md-link');
  await page.locator('article.assistant').last().locator('.md-link').click();
  await page.waitForSelector('dialog[open] .md-link-host');
  await shots('link-dialog');
  await page.keyboard.press('Escape');

  // Safe start: what the next start shows after a crash left the marker for the open conversation.
  const id = await page.evaluate(async () => {
    const r = await window.kaiwa!.conversations.list({});
    return r.ok ? r.value[0]!.id : '';
  });
  await page.addInitScript((cid) => {
    if (sessionStorage.getItem('shots-marker')) return;
    sessionStorage.setItem('shots-marker', '1');
    localStorage.setItem('kaiwa.opening', JSON.stringify({ id: cid }));
  }, id);
  await page.reload();
  await page.waitForSelector('.safe-start');
  await shots('safe-start');
} catch (err) {
  await s.shot('security-failure');
  throw err;
} finally {
  await s.stop();
}
