// Playwright fixtures: a fake upstream, a fresh data dir, a browser-mode host and the app page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { FakeUpstream } from '../../test/fake-upstream/server.ts';
import { startHost, type HostOptions, type HostProcess } from './host.ts';
import { recordCase } from '../../test/reliability.ts';

export interface Fixtures {
  fake: FakeUpstream;
  dataDir: string;
  hostOptions: Partial<HostOptions>;
  host: HostProcess;
  app: Page;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  fake: async ({}, use) => {
    const f = await FakeUpstream.start();
    await use(f);
    await f.close();
  },
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const d = mkdtempSync(join(tmpdir(), 'kaiwa-e2e-'));
    await use(d);
    rmSync(d, { recursive: true, force: true });
  },
  hostOptions: [{}, { option: true }],
  host: async ({ dataDir, hostOptions }, use) => {
    const h = await startHost({ dataDir, ...hostOptions });
    await use(h);
    await h.stop();
  },
  app: async ({ page, host }, use) => {
    await page.goto(host.url);
    await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
    await use(page);
  },
});

export { expect };

/**
 * Points a provider at the fake upstream through the real contract (window.kaiwa), for tests whose
 * subject is not the settings page itself. `baseUrl` overrides the fake's address (a closed port,
 * an unresolvable name…); timeouts and retries are set the way the settings page sets them.
 */
export async function useFakeProvider(
  page: Page,
  fake: FakeUpstream,
  o: { providerId?: string; key?: string; model?: string; baseUrl?: string; timeoutSec?: number; maxRetries?: number; idleTimeoutSec?: number } = {},
): Promise<void> {
  const providerId = o.providerId ?? 'modelscope';
  await page.evaluate(
    async ({ providerId, baseUrl, key, model, timeoutSec, maxRetries, idleTimeoutSec }) => {
      const k = window.kaiwa!;
      const r1 = await k.providers.update({
        id: providerId,
        baseUrl,
        ...(timeoutSec !== undefined ? { timeoutSec } : {}),
        ...(maxRetries !== undefined ? { maxRetries } : {}),
      });
      if (!r1.ok) throw new Error(JSON.stringify(r1.error));
      const r2 = await k.providers.setKeys({ id: providerId, keys: key });
      if (!r2.ok) throw new Error(JSON.stringify(r2.error));
      const r3 = await k.settings.update({ defaultModel: { providerId, modelId: model }, ...(idleTimeoutSec !== undefined ? { idleTimeoutSec } : {}) });
      if (!r3.ok) throw new Error(JSON.stringify(r3.error));
    },
    {
      providerId,
      baseUrl: o.baseUrl ?? fake.baseUrl,
      key: o.key ?? 'ms-test-key-0001',
      model: o.model ?? 'fake-model',
      timeoutSec: o.timeoutSec,
      maxRetries: o.maxRetries,
      idleTimeoutSec: o.idleTimeoutSec,
    },
  );
  // The renderer caches providers/settings: reload so it picks the change up like a restart would.
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
}

/**
 * Records the outcome of this spec file's tests for docs/RELIABILITY.md. `guarantees` maps a test
 * title to what a pass proves; tests put measured figures into the returned map under their title.
 */
export function recordReliability(suite: string, guarantees: Record<string, string>): Map<string, Record<string, number | string>> {
  const figures = new Map<string, Record<string, number | string>>();
  const started = new Map<string, number>();
  // eslint-disable-next-line no-empty-pattern
  test.beforeEach(async ({}, info) => {
    started.set(info.testId, Date.now());
    figures.set(info.title, {});
  });
  // eslint-disable-next-line no-empty-pattern
  test.afterEach(async ({}, info) => {
    const guarantee = guarantees[info.title];
    if (!guarantee) return;
    recordCase({
      suite,
      name: info.title,
      passed: info.status === info.expectedStatus,
      guarantee,
      durationMs: Date.now() - (started.get(info.testId) ?? Date.now()),
      figures: figures.get(info.title) ?? {},
      order: Object.keys(guarantees).indexOf(info.title),
    });
  });
  return figures;
}
