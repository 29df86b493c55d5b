import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../contract/index.ts';
import { computeCost } from '../chat/service.ts';
import { ServiceError } from '../errors.ts';
import { silentLogger } from '../log.ts';
import { SettingsStore } from '../settings/store.ts';
import { createFileCipher } from '../vault/file-cipher.ts';
import { KeyVault } from '../vault/vault.ts';
import { DASHSCOPE_REGIONS, MODELSCOPE, WANDB } from './presets.ts';
import { headerProblem } from '../../contract/index.ts';
import { MAX_EXTRA_MODELS, mergeFetched, mergeModels } from './catalogue.ts';
import { ProviderRegistry, validateHeaders, validateProject } from './registry.ts';

let dir: string;
let settings: SettingsStore;
let vault: KeyVault;
let registry: ProviderRegistry;

function open(): void {
  settings = new SettingsStore(dir, silentLogger);
  vault = new KeyVault(dir, createFileCipher(dir), silentLogger);
  registry = new ProviderRegistry(settings, vault);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaiwa-registry-'));
  open();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof ServiceError ? err.info.code : `not a ServiceError: ${String(err)}`;
  }
  return undefined;
};

describe('model catalogue', () => {
  it('merges fetched ids: only unknown ones are added, marked new, in upstream order', () => {
    const preset: ModelInfo[] = [{ id: 'a', source: 'preset' }, { id: 'b', source: 'preset' }];
    const extra: ModelInfo[] = [{ id: 'm', source: 'manual' }];
    const r = mergeFetched(preset, extra, ['b', 'z', 'm', 'y', 'z', '', 'has space']);
    expect(r.added).toEqual(['z', 'y']);
    expect(r.extra).toEqual([
      { id: 'm', source: 'manual' },
      { id: 'z', source: 'fetched', isNew: true },
      { id: 'y', source: 'fetched', isNew: true },
    ]);
    // A second fetch of the same list adds nothing.
    expect(mergeFetched(preset, r.extra, ['b', 'z', 'y']).added).toEqual([]);
  });

  it('keeps at most MAX_EXTRA_MODELS extra models', () => {
    const ids = Array.from({ length: MAX_EXTRA_MODELS + 50 }, (_, i) => `model-${i}`);
    const r = mergeFetched([], [], ids);
    expect(r.extra).toHaveLength(MAX_EXTRA_MODELS);
    expect(r.added).toHaveLength(MAX_EXTRA_MODELS);
  });

  it('applies overrides on top of the catalogue and marks them edited', () => {
    const out = mergeModels([{ id: 'a', source: 'preset', inputPrice: 1, outputPrice: 2 }], [{ id: 'a', source: 'manual' }], { a: { inputPrice: 3 } });
    expect(out).toEqual([{ id: 'a', source: 'preset', inputPrice: 3, outputPrice: 2, edited: true }]);
  });

  it('fetch → new models are listed after the catalogue, marked new until seen, and survive a restart', () => {
    const r = registry.mergeFetched('modelscope', ['Qwen/Qwen3-235B-A22B-Instruct-2507', 'new/model-1']);
    expect(r.added).toEqual(['new/model-1']);
    const models = registry.get('modelscope').models;
    expect(models.slice(0, MODELSCOPE.models.length).map((m) => m.id)).toEqual(MODELSCOPE.models.map((m) => m.id));
    expect(models.at(-1)).toMatchObject({ id: 'new/model-1', source: 'fetched', isNew: true });
    open();
    expect(registry.get('modelscope').models.at(-1)?.isNew).toBe(true);
    registry.markModelsSeen('modelscope');
    expect(registry.get('modelscope').models.at(-1)?.isNew).toBeUndefined();
  });

  it('adds a model by hand once, and removes only hand-added or fetched models', () => {
    registry.addModel('wandb', 'my/finetune');
    registry.addModel('wandb', 'my/finetune');
    expect(registry.get('wandb').models.filter((m) => m.id === 'my/finetune')).toEqual([{ id: 'my/finetune', source: 'manual' }]);
    expect(codeOf(() => registry.removeModel('wandb', WANDB.models[0]!.id))).toBe('invalid_request');
    registry.removeModel('wandb', 'my/finetune');
    expect(registry.model('wandb', 'my/finetune')).toBeUndefined();
  });
});

describe('prices', () => {
  it('an edited price is stored as an override, used for cost, and can be reset', () => {
    const id = 'moonshotai/Kimi-K2-Instruct';
    const usage = { promptTokens: 1_000_000, completionTokens: 500_000 };
    expect(computeCost(usage, registry.model('wandb', id))).toBeCloseTo(1.35 + 2, 6);
    registry.updateModel('wandb', id, { inputPrice: 2, outputPrice: 10 });
    open(); // persisted
    expect(registry.model('wandb', id)).toMatchObject({ inputPrice: 2, outputPrice: 10, edited: true });
    expect(computeCost(usage, registry.model('wandb', id))).toBeCloseTo(2 + 5, 6);
    // The catalogue entry itself is untouched: the override lives in settings.
    expect(settings.get().providers.find((p) => p.id === 'wandb')!.modelOverrides[id]).toEqual({ inputPrice: 2, outputPrice: 10 });
    registry.updateModel('wandb', id, { reset: true });
    expect(registry.model('wandb', id)).toMatchObject({ inputPrice: 1.35, outputPrice: 4 });
    expect(registry.model('wandb', id)?.edited).toBeUndefined();
  });

  it('a price set to null means unpriced: no cost is computed', () => {
    registry.updateModel('wandb', 'deepseek-ai/DeepSeek-V3-0324', { inputPrice: null });
    expect(computeCost({ promptTokens: 10, completionTokens: 10 }, registry.model('wandb', 'deepseek-ai/DeepSeek-V3-0324'))).toBeNull();
  });

  it('refuses to edit a model that does not exist', () => {
    expect(codeOf(() => registry.updateModel('wandb', 'nope', { inputPrice: 1 }))).toBe('not_found');
  });
});

describe('custom providers', () => {
  it('adds one with headers and no key; requests go to its URL without a key', () => {
    const p = registry.addCustom({ name: '  Local LLM ', baseUrl: 'http://localhost:11434/v1/', headers: { 'X-Team': 'kaiwa', 'X-Sub': 'hidden-value-1' }, publicHeaders: ['X-Team'] });
    expect(p).toMatchObject({ kind: 'custom', name: 'Local LLM', baseUrl: 'http://localhost:11434/v1', defaultBaseUrl: null, enabled: true });
    expect(p.requestUrlPreview).toBe('http://localhost:11434/v1/chat/completions');
    // A header not marked "not secret" is sealed: shown masked, never with its value.
    expect(p.headers).toEqual({ 'X-Team': 'kaiwa' });
    expect(p.secretHeaders).toEqual([{ name: 'X-Sub', masked: 'hid…ue-1' }]);
    expect(JSON.stringify(settings.get())).not.toContain('hidden-value-1');
    const t = registry.target(p.id);
    expect(t).toMatchObject({ baseUrl: 'http://localhost:11434/v1', apiKey: null, headers: { 'X-Team': 'kaiwa' } });
    expect(t.secretHeaders).toEqual([{ name: 'X-Sub', value: 'hidden-value-1', origin: 'http://localhost:11434' }]);
    // "Reset" does not exist for a custom provider: null keeps its URL.
    registry.configure(p.id, { baseUrl: null });
    expect(registry.get(p.id).baseUrl).toBe('http://localhost:11434/v1');
  });

  it('removing one drops its keys and a default model that pointed at it; presets cannot be removed', () => {
    const p = registry.addCustom({ name: 'Temp', baseUrl: 'http://127.0.0.1:9/v1' });
    registry.setKeys(p.id, 'sk-custom-key-123456');
    settings.update((s) => void (s.defaultModel = { providerId: p.id, modelId: 'x' }));
    registry.removeCustom(p.id);
    open();
    expect(registry.list().map((x) => x.id)).toEqual(['modelscope', 'wandb', 'dashscope']);
    expect(vault.list(p.id)).toEqual([]);
    expect(settings.get().defaultModel).toBeNull();
    expect(codeOf(() => registry.removeCustom('modelscope'))).toBe('invalid_request');
  });

  it('refuses headers that would break the request or carry a secret', () => {
    expect(codeOf(() => registry.addCustom({ name: 'x', baseUrl: 'http://localhost/v1', headers: { Authorization: 'Bearer sk-x' } }))).toBe('invalid_header');
    expect(registry.list()).toHaveLength(3);
  });
});

describe('header and project validation', () => {
  const problem = (h: Record<string, string>) => {
    try {
      validateHeaders(h);
      return null;
    } catch (err) {
      return (err as ServiceError).info.params?.['reason'];
    }
  };
  it('accepts ordinary headers', () => {
    expect(problem({ 'X-Team': 'kaiwa', 'X-DashScope-DataInspection': '{"input":"disable"}', 'User-Agent': 'Kaiwa' })).toBeNull();
  });
  it('names the problem', () => {
    expect(problem({ 'Bad Name': 'v' })).toBe('name');
    expect(problem({ 'X-Ok': 'line\r\nInjected: yes' })).toBe('value');
    expect(problem({ Host: 'evil' })).toBe('reserved');
    expect(problem({ 'Content-Length': '1' })).toBe('reserved');
    expect(problem({ authorization: 'Bearer x' })).toBe('secret');
    // Secret by default: a key-named header is fine (it is sealed), unless it is marked "not secret".
    expect(problem({ 'X-Api-Key': 'abc' })).toBeNull();
    expect(headerProblem('x-auth-token', 'abc', false)).toBe('looksSecret');
    expect(headerProblem('X-Auth', 'Bearer sk-abcdefgh', false)).toBe('looksSecret');
    expect(headerProblem('Ocp-Apim-Subscription-Key', 'sk-0123456789', false)).toBe('looksSecret');
    expect(problem({ 'X-A': '1', 'x-a': '2' })).toBe('duplicate');
  });
  it('W&B project must be team/project (or empty)', () => {
    expect(validateProject(' team/proj ')).toBe('team/proj');
    expect(validateProject('')).toBe('');
    for (const bad of ['proj', 'a/b/c', 'team/ proj', 'team/pr\noj']) {
      expect(() => validateProject(bad)).toThrow(ServiceError);
    }
  });
  it('configure validates before writing anything', () => {
    expect(codeOf(() => registry.configure('wandb', { project: 'nope', timeoutSec: 5 }))).toBe('invalid_project');
    expect(registry.get('wandb').timeoutSec).toBe(60);
    registry.configure('wandb', { project: 'team/proj' });
    expect(registry.target('wandb', { requireKey: false }).project).toBe('team/proj');
  });
});

describe('DashScope regions', () => {
  it('switching region changes the preview, the request target and the catalogue', () => {
    registry.setKeys('dashscope', 'sk-dashscope-test-0001');
    expect(registry.target('dashscope').baseUrl).toBe(DASHSCOPE_REGIONS.singapore.baseUrl);
    const us = registry.configure('dashscope', { region: 'us' });
    expect(us.requestUrlPreview).toBe(`${DASHSCOPE_REGIONS.us.baseUrl}/chat/completions`);
    expect(us.models.map((m) => m.id)).toEqual(['qwen-plus-us', 'qwen-flash-us']);
    // Another region is another host: the Singapore key stays behind until it is pasted for this one.
    expect(us.keys).toMatchObject([{ detached: true, origin: new URL(DASHSCOPE_REGIONS.singapore.baseUrl).origin }]);
    expect(codeOf(() => registry.target('dashscope'))).toBe('keys_detached');
    registry.setKeys('dashscope', 'sk-dashscope-test-0001');
    expect(registry.target('dashscope').baseUrl).toBe(DASHSCOPE_REGIONS.us.baseUrl);
    const bj = registry.configure('dashscope', { region: 'beijing' });
    expect(bj.baseUrl).toBe(DASHSCOPE_REGIONS.beijing.baseUrl);
    expect(bj.models.some((m) => m.id === 'qwen-math-plus')).toBe(true);
  });

  it('a base URL that only named the old region follows the new one; a real override stays', () => {
    registry.configure('dashscope', { baseUrl: DASHSCOPE_REGIONS.us.baseUrl + '/' });
    registry.configure('dashscope', { region: 'beijing' });
    expect(registry.get('dashscope').baseUrl).toBe(DASHSCOPE_REGIONS.beijing.baseUrl);
    registry.configure('dashscope', { baseUrl: 'http://127.0.0.1:8080/proxy/v1' });
    registry.configure('dashscope', { region: 'us' });
    expect(registry.get('dashscope').baseUrl).toBe('http://127.0.0.1:8080/proxy/v1');
  });

  it('fetched models are dropped on a region change; hand-added ones stay', () => {
    registry.mergeFetched('dashscope', ['qwen-sg-only']);
    registry.addModel('dashscope', 'my-model');
    registry.configure('dashscope', { region: 'us' });
    const ids = registry.get('dashscope').models.map((m) => m.id);
    expect(ids).toContain('my-model');
    expect(ids).not.toContain('qwen-sg-only');
  });
});

describe('base URL', () => {
  it('setting the default back (or null) clears the override; the preview follows', () => {
    registry.configure('modelscope', { baseUrl: 'http://127.0.0.1:5000/v1/' });
    expect(registry.get('modelscope').requestUrlPreview).toBe('http://127.0.0.1:5000/v1/chat/completions');
    registry.configure('modelscope', { baseUrl: MODELSCOPE.defaultBaseUrl });
    expect(settings.get().providers[0]!.baseUrl).toBeNull();
    registry.configure('modelscope', { baseUrl: 'http://127.0.0.1:5000/v1' });
    registry.configure('modelscope', { baseUrl: null });
    expect(registry.get('modelscope').baseUrl).toBe(MODELSCOPE.defaultBaseUrl);
  });
});

describe('keys', () => {
  it('target rotates past a failed key, can be pinned to one key, and needs a key unless told otherwise', () => {
    expect(codeOf(() => registry.target('modelscope'))).toBe('no_key');
    expect(registry.target('modelscope', { requireKey: false }).apiKey).toBeNull();
    const v = registry.setKeys('modelscope', 'ms-first-key-00000001\nms-second-key-0000002');
    const [first, second] = v.keys;
    registry.markKeyFailed('modelscope', first!.id, 'auth_invalid_key', 'rejected');
    expect(registry.target('modelscope').apiKey).toBe('ms-second-key-0000002');
    expect(registry.target('modelscope', { keyId: first!.id }).apiKey).toBe('ms-first-key-00000001');
    expect(registry.get('modelscope').keys[0]!.failure).toMatchObject({ code: 'auth_invalid_key', message: 'rejected' });
    registry.removeKey('modelscope', second!.id);
    expect(registry.get('modelscope').keys.map((k) => k.masked)).toEqual(['ms-…0001']);
  });

  it('a disabled provider is refused for chat, but settings actions may still reach it', () => {
    registry.setKeys('wandb', 'wandb-key-1234567890');
    registry.configure('wandb', { enabled: false });
    expect(codeOf(() => registry.target('wandb'))).toBe('no_provider');
    expect(registry.target('wandb', { allowDisabled: true }).apiKey).toBe('wandb-key-1234567890');
  });
});

describe('sites, workspace hosts, gone models and capability flags', () => {
  it('ModelScope: the China site is the default; the international site changes the base URL and the token page', () => {
    expect(registry.get('modelscope')).toMatchObject({ site: 'cn', baseUrl: MODELSCOPE.defaultBaseUrl, tokenUrl: 'https://modelscope.cn/my/myaccesstoken' });
    const v = registry.configure('modelscope', { site: 'intl' });
    expect(v).toMatchObject({ site: 'intl', baseUrl: 'https://api-inference.modelscope.ai/v1', tokenUrl: 'https://modelscope.ai/my/myaccesstoken' });
    expect(registry.target('modelscope', { requireKey: false }).baseUrl).toBe('https://api-inference.modelscope.ai/v1');
  });

  it('ModelScope: a proxy base URL stays when the site changes', () => {
    registry.configure('modelscope', { baseUrl: 'https://proxy.example.com/ms/v1' });
    expect(registry.configure('modelscope', { site: 'intl' }).baseUrl).toBe('https://proxy.example.com/ms/v1');
  });

  it('Model Studio: a workspace host is accepted and its region id picks the catalogue', () => {
    const v = registry.configure('dashscope', { baseUrl: 'https://ws-abc123.cn-beijing.maas.aliyuncs.com/compatible-mode/v1' });
    expect(v.region).toBe('beijing');
    expect(v.baseUrl).toBe('https://ws-abc123.cn-beijing.maas.aliyuncs.com/compatible-mode/v1');
    expect(v.models.some((m) => m.id === 'qwen-math-plus')).toBe(true);
    // An unknown region id keeps the current catalogue.
    expect(registry.configure('dashscope', { baseUrl: 'https://ws-abc123.eu-central-1.maas.aliyuncs.com/compatible-mode/v1' }).region).toBe('beijing');
  });

  it('Fetch models marks vanished models gone (kept) and new ones new; an empty list marks nothing', () => {
    const ids = MODELSCOPE.models.map((m) => m.id);
    const r = registry.mergeFetched('modelscope', [...ids.slice(1), 'ZhipuAI/GLM-5.1']);
    expect(r.added).toEqual(['ZhipuAI/GLM-5.1']);
    expect(r.gone).toEqual([ids[0]]);
    const models = registry.get('modelscope').models;
    expect(models.find((m) => m.id === ids[0])).toMatchObject({ gone: true });
    expect(models.find((m) => m.id === 'ZhipuAI/GLM-5.1')).toMatchObject({ isNew: true, source: 'fetched' });
    expect(registry.mergeFetched('modelscope', []).gone).toEqual([ids[0]]);
    expect(registry.mergeFetched('modelscope', [...ids, 'ZhipuAI/GLM-5.1']).gone).toEqual([]);
  });

  it('capability flags are overrides: switchable thinking added to a model, tool use taken away', () => {
    const id = 'Qwen/Qwen3-235B-A22B-Instruct-2507';
    registry.updateModel('modelscope', id, { hybridThinking: true, toolUse: false });
    expect(registry.model('modelscope', id)).toMatchObject({ hybridThinking: true, thinking: 'hybrid', reasoning: true, toolUse: false, edited: true });
    registry.updateModel('modelscope', id, { reset: true });
    expect(registry.model('modelscope', id)).toMatchObject({ toolUse: true });
    expect(registry.model('modelscope', id)?.thinking).toBeUndefined();
  });
});
