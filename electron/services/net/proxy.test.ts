// The proxy setting, end to end over real HTTP on 127.0.0.1: a recording forward proxy in front of
// the fake upstream, and Kaiwa configured through the contract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestProxy } from '../../../test/fake-upstream/proxy.ts';
import { FakeUpstream } from '../../../test/fake-upstream/server.ts';
import { startTestKaiwa, type TestKaiwa, type TestKaiwaOptions } from '../../../test/kaiwa.ts';
import { bypassesProxy, checkProxyUrl, envProxy, parsePacResult } from './proxy.ts';

const KEY = 'ms-test-key-0001-abcdef';

let fake: FakeUpstream;
let proxy: TestProxy;
let k: TestKaiwa;

function start(options: TestKaiwaOptions = {}): void {
  k = startTestKaiwa(options);
}

/**
 * Sends one message and waits for the answer to finish; returns the stored answer. `keyless`: a
 * custom provider without a key (a local server), the only kind a plain-http proxy may carry.
 */
async function chat(text: string, o: { keyless?: boolean } = {}) {
  if (o.keyless) {
    const local = (await k.call('providers.list', {})).find((p) => p.name === 'Local') ?? (await k.call('providers.add', { name: 'Local', baseUrl: fake.baseUrl }));
    await k.call('settings.update', { defaultModel: { providerId: local.id, modelId: 'fake-model' } });
  } else await k.useProvider('modelscope', { baseUrl: fake.baseUrl, keys: KEY, model: 'fake-model' });
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
    const answer = await chat('through the proxy', { keyless: true });
    expect(answer).toMatchObject({ status: 'done', content: 'Hello from the fake upstream.' });
    expect(proxy.requests.map((r) => [r.method, r.target])).toEqual([['POST', chatTarget()]]);
    expect(proxy.requests[0]!.headers['authorization']).toBeUndefined();
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
    await chat('one', { keyless: true });
    await k.call('settings.update', { proxy: { mode: 'none' } });
    await chat('two', { keyless: true });
    expect(proxy.requests).toHaveLength(1);
    expect(fake.chatRequests()).toHaveLength(2);
    // The address is kept for the next time "custom" is chosen.
    expect((await k.call('settings.get', {})).proxy).toMatchObject({ mode: 'none', url: proxy.url });
  });

  it('"system" in browser mode follows HTTP_PROXY and NO_PROXY from the environment', async () => {
    start({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '' } });
    const view = await k.call('settings.get', {});
    expect(view.systemProxy).toEqual({ source: 'env', envProxy: proxy.url });
    await chat('env proxy', { keyless: true });
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
    await chat('os proxy', { keyless: true });
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

describe('a secret never crosses a proxy in the clear', () => {
  /** Every proxied request's headers, as one string: the key must be nowhere in it. */
  const seenByProxy = () => JSON.stringify(proxy.requests);

  /** Asks for an answer on a plain-http base URL with a key and returns the stored failure. */
  async function refused() {
    const answer = await chat('secret over plain http');
    expect(answer.status).toBe('error');
    return answer.error!;
  }

  it('a custom proxy: the chat is refused before anything is sent, saying why and what to do', async () => {
    start();
    await k.call('settings.update', { proxy: { mode: 'custom', url: proxy.url, noProxy: '' } });
    const error = await refused();
    expect(error).toMatchObject({ code: 'cleartext_proxy', params: { provider: 'ModelScope', host: '127.0.0.1', proxy: proxy.url, context: 'custom' } });
    expect(seenByProxy()).not.toContain(KEY);
    expect(proxy.requests).toEqual([]);
    expect(fake.chatRequests()).toEqual([]);
    // Check and the model list go through the same client: refused alike.
    const checked = await k.call('providers.check', { id: 'modelscope', modelId: 'fake-model' });
    expect(checked).toMatchObject({ ok: false, error: { code: 'cleartext_proxy' } });
    expect((await k.failure('providers.fetchModels', { id: 'modelscope' })).code).toBe('cleartext_proxy');
    expect(proxy.requests).toEqual([]);
  });

  it('the system proxy from the environment and from the OS: refused alike', async () => {
    start({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '' } });
    expect(await refused()).toMatchObject({ code: 'cleartext_proxy', params: { proxy: proxy.url, context: 'system' } });
    await k.close();
    start({ platform: { resolveProxy: async () => `PROXY 127.0.0.1:${proxy.port}; DIRECT` } });
    expect(await refused()).toMatchObject({ code: 'cleartext_proxy', params: { proxy: proxy.url, context: 'system' } });
    expect(proxy.requests).toEqual([]);
  });

  it('a secret header without any key is a secret too: refused through the proxy', async () => {
    start();
    await k.call('settings.update', { proxy: { mode: 'custom', url: proxy.url, noProxy: '' } });
    const gw = await k.call('providers.add', { name: 'Gateway', baseUrl: fake.baseUrl, headers: { 'X-Gateway-Token': 'gw-secret-0042' } });
    await k.call('settings.update', { defaultModel: { providerId: gw.id, modelId: 'fake-model' } });
    const conv = await k.call('conversations.create', {});
    const { message } = await k.send(conv.id, 'secret header');
    expect(message.error).toMatchObject({ code: 'cleartext_proxy', params: { provider: 'Gateway' } });
    expect(proxy.requests).toEqual([]);
  });

  it('a proxy password from the environment is not repeated in the error', async () => {
    start({ env: { HTTP_PROXY: `http://me:pw-secret-1@127.0.0.1:${proxy.port}`, NO_PROXY: '' } });
    const error = await refused();
    expect(JSON.stringify(error)).not.toContain('pw-secret-1');
    expect(error.params).toMatchObject({ proxy: proxy.url });
  });

  it('the same request goes direct when its host is excluded from the proxy, and through the proxy when it has no secret', async () => {
    start();
    await k.call('settings.update', { proxy: { mode: 'custom', url: proxy.url, noProxy: '127.0.0.1' } });
    expect(await chat('bypassed')).toMatchObject({ status: 'done' });
    expect(proxy.requests).toEqual([]);
    // A keyless local server (nothing secret to send) may still be reached through the proxy.
    await k.call('settings.update', { proxy: { mode: 'custom', url: proxy.url, noProxy: '' } });
    expect(await chat('no key', { keyless: true })).toMatchObject({ status: 'done' });
    expect(proxy.requests.map((r) => [r.method, r.target])).toEqual([['POST', chatTarget()]]);
    expect(proxy.requests[0]!.headers['authorization']).toBeUndefined();
  });
});

describe('proxy helpers', () => {
  it('normalises proxy addresses', () => {
    expect(checkProxyUrl('proxy.corp:3128')).toBe('http://proxy.corp:3128');
    expect(checkProxyUrl(' https://proxy.corp/ ')).toBe('https://proxy.corp');
  });

  it('matches bypass entries like NO_PROXY: subdomains, ports, *, IPv6 with or without brackets', () => {
    const by = (list: string, url: string) => bypassesProxy(list, new URL(url));
    expect(by('', 'http://127.0.0.1:8000')).toBe(false);
    expect(by('localhost, 127.0.0.1, ::1', 'http://127.0.0.1:8000/v1')).toBe(true);
    expect(by('localhost, 127.0.0.1, ::1', 'http://[::1]:8000/v1')).toBe(true);
    expect(by('[::1]:8000', 'http://[::1]:8000/v1')).toBe(true);
    expect(by('.example.com', 'http://a.example.com')).toBe(true);
    expect(by('*.example.com', 'http://example.com')).toBe(true);
    expect(by('example.com', 'http://badexample.com')).toBe(false);
    expect(by('llm.lan:8000', 'http://llm.lan:8001')).toBe(false);
    expect(by('llm.lan:80', 'http://llm.lan/v1')).toBe(true);
    expect(by('*', 'https://anything.example')).toBe(true);
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
