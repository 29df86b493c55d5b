// One data folder, two modes: a key the desktop app sealed with the OS keychain, found by browser
// mode in the same folder, is named for what it is — in settings and when a chat needs it — and
// pasting it again makes it work here.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../support/fixtures.ts';
import { startHost } from '../support/host.ts';
import { sendMessage } from '../support/chat.ts';
import { streamOf } from '../../test/fake-upstream/scenarios.ts';

const KEY = 'ms-desktop-0a1b-2c3d-4e5f-60718293a4b5';

test('a key saved by the desktop app reads "saved by the desktop app — paste it again here", never as damage', async ({ page, dataDir, fake }) => {
  // What the desktop app leaves: keys.json with a blob only its keychain can open (Chromium's "v11" prefix).
  const origin = new URL(fake.baseUrl).origin;
  writeFileSync(
    join(dataDir, 'keys.json'),
    JSON.stringify({ version: 1, backend: 'gnome_libsecret', entries: { modelscope: [{ id: 'kdesk1', data: Buffer.from(`v11${'x'.repeat(40)}`).toString('base64'), source: 'user', origin, sealedBy: 'gnome_libsecret' }] } }),
    { mode: 0o600 },
  );
  const host = await startHost({ dataDir });
  try {
    await page.goto(host.url);
    await page.evaluate(async (baseUrl) => {
      const k = window.kaiwa!;
      await k.providers.update({ id: 'modelscope', baseUrl });
      await k.settings.update({ defaultModel: { providerId: 'modelscope', modelId: 'fake-model' } });
    }, fake.baseUrl);
    await page.reload();

    // A chat says why there is no usable key.
    await sendMessage(page, 'hello');
    await expect(page.getByRole('main').getByRole('alert')).toContainText('was saved by the other mode of Kaiwa (the desktop app or browser mode)');
    await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('hello');
    expect(fake.chatRequests()).toEqual([]);

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings', exact: true }).click();
    const form = page.getByRole('form', { name: 'ModelScope' });
    const row = form.getByRole('listitem', { name: 'Key ••••' });
    await expect(row).toContainText('paste again');
    await expect(row).toContainText('Saved by the desktop app — paste it again here.');
    await expect(row).not.toContainText('failed');

    await form.getByLabel('Paste API keys').fill(KEY);
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(form.getByRole('status')).toHaveText('Saved');
    fake.enqueue(streamOf('Hello again.'));
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Chats', exact: true }).click();
    await sendMessage(page, 'hello again');
    await expect(page.locator('article.assistant').last().locator('.message-body')).toHaveText('Hello again.');
    expect(fake.chatRequests().map((r) => r.headers['authorization'])).toEqual([`Bearer ${KEY}`]);
  } finally {
    await host.stop();
  }
});
