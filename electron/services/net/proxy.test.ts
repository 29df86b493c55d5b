// The proxy setting, end to end over real HTTP on 127.0.0.1: a recording forward proxy in front of
// the fake upstream, and Kaiwa configured through the contract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestProxy } from '../../../test/fake-upstream/proxy.ts';
import { FakeUpstream } from '../../../test/fake-upstream/server.ts';
import { startTestKaiwa, type TestKaiwa, type TestKaiwaOptions } from '../../../test/kaiwa.ts';
import { checkProxyUrl, envProxy, parsePacResult } from './proxy.ts';

const KEY = 'ms-test-key-0001-abcdef';

let fake: FakeUpstream;
let proxy: TestProxy;
let k: TestKaiwa;

function start(options: TestKaiwaOptions = {}): void {
  k = startTestKaiwa(options);
}

/** Sends one message and waits for the answer to finish; returns the stored answer. */
async function chat(text: string) {
  await k.useProvider('modelscope', { baseUrl: fake.baseUrl, keys: KEY, model: 'fake-model' });
  const conv = await k.call('conversations.create', {});
  const sent = await k.call('chat.send', { conversationId: conv.id, text });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const m = k.kaiwa.services.history.getMessage(sent.assistantMessage.id)!;
    if (m.status !== 'streaming' || Date.now() > deadline) return m;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeEach(async () => {
  fake = await FakeUpstream.start();
  proxy = await TestProxy.start();
});

afterEach(async () => {
  await k?.close();
  await proxy.close();
  await fake.close();
});

const chatTarget = () => `${fake.baseUrl}/chat/completions`;

describe('upstream calls and the proxy setting', () => {
  it('a custom proxy carries the chat request (absolute-form, not a CONNECT tunnel) and the answer comes back', async () => {
    start();
    await k.call('settings.update', { proxy: { mode: 'custom', url: proxy.url, noProxy: '' } });
    const answer = await chat('through the proxy');
    expect(answer).toMatchObject({ status: 'done', content: 'Hello from the fake upstream.' });
    expect(proxy.requests.map((r) => [r.method, r.target])).toEqual([['POST', chatTarget()]]);
    expect(proxy.requests[0]!.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('hosts in the bypass list go direct; loopback is in it by default', async () => {
    start();
    expect((await k.call('settings.get', {})).proxy).toEqual({ mode: 'system', url: '', noProxy: 'localhost, 127.0.0.1, ::1' });
    await k.call('settings.update', { proxy: { mode: 'custom', url: proxy.url } });
    expect(await chat('direct')).toMatchObject({ status: 'done' });
    expect(proxy.requests).toEqual([]);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('switching back to "none" stops using the proxy at once', async () => {
    start();
    await k.call('settings.update', { proxy: { mode: 'custom', url: proxy.url, noProxy: '' } });
    await chat('one');
    await k.call('settings.update', { proxy: { mode: 'none' } });
    await chat('two');
    expect(proxy.requests).toHaveLength(1);
    expect(fake.chatRequests()).toHaveLength(2);
    // The address is kept for the next time "custom" is chosen.
    expect((await k.call('settings.get', {})).proxy).toMatchObject({ mode: 'none', url: proxy.url });
  });

  it('"system" in browser mode follows HTTP_PROXY and NO_PROXY from the environment', async () => {
    start({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '' } });
    const view = await k.call('settings.get', {});
    expect(view.systemProxy).toEqual({ source: 'env', envProxy: proxy.url });
    await chat('env proxy');
    expect(proxy.requests.map((r) => r.target)).toEqual([chatTarget()]);

    await k.stop();
    proxy.requests.length = 0;
    await k.restart({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
    await chat('bypassed');
    expect(proxy.requests).toEqual([]);
  });

  it('"system" in the desktop app asks the OS for each URL (Electron resolveProxy)', async () => {
    const asked: string[] = [];
    start({ platform: { resolveProxy: async (url) => (asked.push(url), `PROXY 127.0.0.1:${proxy.port}; DIRECT`) } });
    expect((await k.call('settings.get', {})).systemProxy.source).toBe('os');
    await chat('os proxy');
    expect(asked).toEqual([chatTarget()]);
    expect(proxy.requests.map((r) => r.target)).toEqual([chatTarget()]);
  });

  it('refuses proxy addresses it cannot use, with a reason', async () => {
    start();
    for (const [url, reason] of [
      ['socks5://127.0.0.1:1080', 'protocol'],
      ['http://user:secret@proxy.example:8080', 'credentials'],
      ['http://proxy.example:8080/path', 'path'],
      ['http://exa mple', 'url'],
      ['', 'missing'],
    ]) {
      const r = await k.kaiwa.dispatch('settings.update', { proxy: { mode: 'custom', url } });
      expect(r.ok ? null : r.error).toMatchObject({ code: 'invalid_proxy', params: { reason } });
    }
    expect((await k.call('settings.get', {})).proxy.mode).toBe('system');
  });
});

describe('proxy helpers', () => {
  it('normalises proxy addresses', () => {
    expect(checkProxyUrl('proxy.corp:3128')).toBe('http://proxy.corp:3128');
    expect(checkProxyUrl(' https://proxy.corp/ ')).toBe('https://proxy.corp');
  });

  it('reads PAC answers', () => {
    expect(parsePacResult('DIRECT')).toBeNull();
    expect(parsePacResult('PROXY proxy.corp:8080; DIRECT')).toBe('http://proxy.corp:8080');
    expect(parsePacResult('HTTPS secure.corp:443')).toBe('https://secure.corp:443');
    expect(parsePacResult('SOCKS5 127.0.0.1:1080')).toBe('socks5://127.0.0.1:1080');
    expect(parsePacResult('')).toBeNull();
  });

  it('shows the environment proxy without its password; lower-case names win', () => {
    expect(envProxy({ HTTPS_PROXY: 'http://me:pw@proxy.corp:8080' }).display).toBe('http://proxy.corp:8080');
    expect(envProxy({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' }).https).toBe('http://a:1');
    expect(envProxy({}).display).toBeNull();
  });
});
