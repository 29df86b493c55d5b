// Every call from the renderer goes through dispatch: this is where hostile or broken payloads must
// stop, before any service runs and without leaving a trace in settings or Object.prototype.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestKaiwa, type TestKaiwa } from '../../test/kaiwa.ts';
import { testKey } from '../../test/test-keys.ts';

let k: TestKaiwa;

beforeEach(() => {
  k = startTestKaiwa();
});

afterEach(async () => {
  await k.close();
});

/** Everything a rejected call could have changed. */
async function snapshot(): Promise<string> {
  const settings = await k.kaiwa.dispatch('settings.get', {});
  const providers = await k.kaiwa.dispatch('providers.list', {});
  const conversations = await k.kaiwa.dispatch('conversations.list', {});
  return JSON.stringify({ settings, providers, conversations, stored: k.kaiwa.services.settings.get() });
}

async function expectRejected(name: unknown, payload: unknown): Promise<{ code: string; message: string; details?: string | undefined }> {
  const before = await snapshot();
  const r = await k.kaiwa.dispatch(name, payload);
  expect(r.ok, `${String(name)} ${safeShow(payload)}`).toBe(false);
  if (r.ok) throw new Error('accepted');
  expect(r.error.code).toBe('invalid_request');
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(await snapshot()).toBe(before);
  return r.error;
}

function safeShow(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 80);
  } catch {
    return String(v);
  }
}

describe('dispatch', () => {
  it('accepts a valid call and applies it (so the checks below can see a change)', async () => {
    const r = await k.kaiwa.dispatch('settings.update', { language: 'ja', idleTimeoutSec: 30 });
    expect(r).toMatchObject({ ok: true, value: { language: 'ja', idleTimeoutSec: 30 } });
    expect(k.kaiwa.services.settings.get().language).toBe('ja');
  });

  it('rejects unknown call names, including inherited property names', async () => {
    for (const name of ['settings.delete', 'nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 42, null, undefined, { name: 'settings.get' }]) {
      const e = await expectRejected(name, {});
      expect(e.message).toBe('Unknown call.');
    }
  });

  it('rejects wrong types', async () => {
    await expectRejected('settings.update', { idleTimeoutSec: '30' });
    await expectRejected('settings.update', { idleTimeoutSec: 30.5 });
    await expectRejected('settings.update', { idleTimeoutSec: 1 });
    await expectRejected('settings.update', { language: 'fr' });
    await expectRejected('settings.update', null);
    await expectRejected('settings.update', 'language=ja');
    await expectRejected('providers.update', { id: 5 });
    await expectRejected('providers.update', { id: 'modelscope', enabled: 'false' });
    await expectRejected('providers.update', { id: 'modelscope', baseUrl: 'file:///etc/passwd' });
    await expectRejected('providers.update', { id: 'modelscope', baseUrl: 'javascript:alert(1)' });
    await expectRejected('providers.update', { id: 'modelscope', headers: ['X-A'] });
    await expectRejected('providers.update', { id: 'modelscope', headers: { 'X-A': 1 } });
    await expectRejected('providers.update', { id: 'modelscope', headers: { 'Bad Header': 'x' } });
    await expectRejected('providers.update', { id: 'modelscope', headers: { 'X-A': 'v\r\nInjected: 1' } });
    await expectRejected('providers.setKeys', { id: 'modelscope', keys: ['a', 'b'] });
    await expectRejected('chat.send', { conversationId: 'c1', text: '' });
    await expectRejected('conversations.create', { model: 'modelscope/x' });
    await expectRejected('app.openExternal', { url: 'file:///etc/passwd' });
  });

  it('rejects unknown fields', async () => {
    await expectRejected('settings.update', { language: 'ja', extra: true });
    await expectRejected('settings.get', { verbose: true });
    await expectRejected('providers.update', { id: 'modelscope', apiKey: 'x' });
    await expectRejected('conversations.create', { model: { providerId: 'modelscope', modelId: 'm', extra: 1 } });
    await expectRejected('settings.update', JSON.parse('{"language":"ja","__proto__":{"polluted":1}}'));
  });

  it('rejects __proto__, constructor and prototype keys inside header records', async () => {
    for (const json of [
      '{"__proto__":{"polluted":1}}',
      '{"X-Fine":"ok","__proto__":{"polluted":1}}',
      '{"__proto__":"polluted"}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '{"constructor":"x"}',
      '{"prototype":"x"}',
    ]) {
      const headers = JSON.parse(json) as unknown;
      const e = await expectRejected('providers.update', { id: 'modelscope', headers });
      expect(e.details).toContain('headers');
    }
    const list = await k.kaiwa.dispatch('providers.list', {});
    expect(list.ok && (list.value as { headers: Record<string, string> }[]).every((p) => Object.keys(p.headers).length === 0)).toBe(true);
  });

  it('rejects oversized strings', async () => {
    await expectRejected('providers.setKeys', { id: 'modelscope', keys: 'k'.repeat(20_001) });
    await expectRejected('providers.update', { id: 'modelscope', name: 'n'.repeat(201) });
    await expectRejected('providers.update', { id: 'x'.repeat(65) });
    await expectRejected('providers.update', { id: 'modelscope', headers: { 'X-A': 'v'.repeat(4097) } });
    await expectRejected('providers.update', { id: 'modelscope', baseUrl: `https://example.com/${'a'.repeat(2048)}` });
    await expectRejected('chat.send', { conversationId: 'c1', text: 't'.repeat(2_000_001) });
    await expectRejected('conversations.update', { id: 'c1', draft: 'd'.repeat(1_000_001) });
    await expectRejected('app.dismissNotice', { id: 'n'.repeat(101) });
  });

  it('rejects a header record with too many entries', async () => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < 65; i++) headers[`X-H${i}`] = 'v';
    await expectRejected('providers.update', { id: 'modelscope', headers });
  });

  it('never echoes payload values in the error, so a key in a bad payload cannot leak', async () => {
    const KEY = testKey('sk-', 'abcdefghijklmnopqrstuvwxyz012345');
    const payloads: unknown[] = [
      { id: 'modelscope', keys: [KEY] },
      { id: 'modelscope', keys: KEY, [KEY]: KEY },
      { id: KEY + '!', keys: KEY },
      { id: 'modelscope', keys: { key: KEY } },
      { id: 'modelscope', keys: `${KEY}\n`.repeat(1000) },
      KEY,
    ];
    for (const payload of payloads) {
      const r = await k.kaiwa.dispatch('providers.setKeys', payload);
      expect(r.ok).toBe(false);
      const text = JSON.stringify(r);
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('abcdefghijklmnop');
    }
    // Nothing was stored either.
    const list = await k.kaiwa.dispatch('providers.list', {});
    expect(list.ok && (list.value as { keys: unknown[] }[]).every((p) => p.keys.length === 0)).toBe(true);
  });

  it('a service error comes back as an envelope with its code, not a throw', async () => {
    const r = await k.kaiwa.dispatch('providers.update', { id: 'no-such-provider', enabled: false });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
