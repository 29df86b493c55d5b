// Provider presets. Every figure here comes from ../shared/seeds (the user's spec):
//  - ModelScope models: Mastra's ModelScope page (7 models, no prices: free tier of 2,000 calls/day)
//  - W&B models: Mastra's W&B page (10 models, USD per 1M tokens)
//  - DashScope base URLs and model lists per region: Alibaba Cloud Model Studio "OpenAI 互換 - チャット"
import type { DashscopeRegion, ModelInfo, ModelscopeSite, ProviderKind } from '../../contract/index.ts';

export interface Preset {
  kind: Exclude<ProviderKind, 'custom'>;
  id: string;
  name: string;
  defaultBaseUrl: string;
  tokenUrl?: string;
  docsUrl?: string;
  envKeys: string[];
  models: ModelInfo[];
}

const ms = (id: string, reasoning: boolean, contextWindow: number, maxOutput: number): ModelInfo => ({
  id,
  source: 'preset',
  reasoning,
  toolUse: true,
  imageInput: false,
  contextWindow,
  maxOutput,
  // ModelScope API-Inference is a free daily allowance, not priced per token.
  inputPrice: null,
  outputPrice: null,
});

export const MODELSCOPE: Preset = {
  kind: 'modelscope',
  id: 'modelscope',
  name: 'ModelScope',
  defaultBaseUrl: 'https://api-inference.modelscope.cn/v1',
  tokenUrl: 'https://modelscope.cn/my/myaccesstoken',
  docsUrl: 'https://modelscope.cn/docs/model-service/API-Inference/intro',
  envKeys: ['MODELSCOPE_API_KEY', 'MODELSCOPE_SDK_TOKEN'],
  models: [
    { ...ms('ZhipuAI/GLM-4.5', true, 131072, 98304), hybridThinking: true },
    ms('Qwen/Qwen3-30B-A3B-Thinking-2507', true, 262144, 32768),
    ms('Qwen/Qwen3-235B-A22B-Instruct-2507', false, 262144, 131072),
    ms('Qwen/Qwen3-Coder-30B-A3B-Instruct', false, 262144, 65536),
    ms('Qwen/Qwen3-Coder-480B-A35B-Instruct', false, 262144, 66536),
    ms('Qwen/Qwen3-30B-A3B-Instruct-2507', false, 262144, 16384),
    ms('Qwen/Qwen3-235B-A22B-Thinking-2507', true, 262144, 131072),
  ],
};

const wb = (
  id: string,
  o: { image?: boolean; reasoning: boolean; ctx: number; out: number; inp: number; outp: number },
): ModelInfo => ({
  id,
  source: 'preset',
  reasoning: o.reasoning,
  toolUse: true,
  imageInput: o.image ?? false,
  contextWindow: o.ctx,
  maxOutput: o.out,
  inputPrice: o.inp,
  outputPrice: o.outp,
});

export const WANDB: Preset = {
  kind: 'wandb',
  id: 'wandb',
  name: 'W&B Inference',
  defaultBaseUrl: 'https://api.inference.wandb.ai/v1',
  tokenUrl: 'https://wandb.ai/authorize',
  docsUrl: 'https://weave-docs.wandb.ai',
  envKeys: ['WANDB_API_KEY'],
  models: [
    wb('moonshotai/Kimi-K2-Instruct', { reasoning: false, ctx: 128000, out: 16384, inp: 1.35, outp: 4 }),
    wb('microsoft/Phi-4-mini-instruct', { reasoning: true, ctx: 128000, out: 4096, inp: 0.08, outp: 0.35 }),
    wb('meta-llama/Llama-3.1-8B-Instruct', { reasoning: true, ctx: 128000, out: 32768, inp: 0.22, outp: 0.22 }),
    wb('meta-llama/Llama-3.3-70B-Instruct', { reasoning: true, ctx: 128000, out: 32768, inp: 0.71, outp: 0.71 }),
    wb('meta-llama/Llama-4-Scout-17B-16E-Instruct', { image: true, reasoning: true, ctx: 64000, out: 8192, inp: 0.17, outp: 0.66 }),
    wb('Qwen/Qwen3-235B-A22B-Instruct-2507', { reasoning: false, ctx: 262144, out: 131072, inp: 0.1, outp: 0.1 }),
    wb('Qwen/Qwen3-Coder-480B-A35B-Instruct', { reasoning: false, ctx: 262144, out: 66536, inp: 1, outp: 1.5 }),
    wb('Qwen/Qwen3-235B-A22B-Thinking-2507', { reasoning: true, ctx: 262144, out: 131072, inp: 0.1, outp: 0.1 }),
    wb('deepseek-ai/DeepSeek-R1-0528', { reasoning: true, ctx: 161000, out: 163840, inp: 1.35, outp: 5.4 }),
    wb('deepseek-ai/DeepSeek-V3-0324', { reasoning: false, ctx: 161000, out: 8192, inp: 1.14, outp: 2.75 }),
  ],
};

export const DASHSCOPE_REGIONS: Record<DashscopeRegion, { baseUrl: string; label: string }> = {
  singapore: { baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', label: 'Singapore' },
  us: { baseUrl: 'https://dashscope-us.aliyuncs.com/compatible-mode/v1', label: 'US (Virginia)' },
  beijing: { baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', label: 'China (Beijing)' },
};

/** Qwen3 open-source and commercial models that accept `enable_thinking` (hybrid thinking). */
const HYBRID = new Set([
  'qwen3-235b-a22b', 'qwen3-32b', 'qwen3-30b-a3b', 'qwen3-14b', 'qwen3-8b', 'qwen3-4b', 'qwen3-1.7b', 'qwen3-0.6b',
  'qwen-plus', 'qwen-plus-latest', 'qwen-flash', 'qwen-turbo', 'qwen-turbo-latest', 'qwen3.5-plus', 'qwen3-max-preview',
  'qwen3.5-397b-a17b', 'qwen-plus-us', 'qwen-flash-us',
]);

const ds = (group: 'commercial' | 'open-source', ids: string[]): ModelInfo[] =>
  ids.map((id) => {
    const thinkingOnly = /thinking|^qwq/.test(id);
    return {
      id,
      source: 'preset' as const,
      group,
      reasoning: thinkingOnly || HYBRID.has(id),
      hybridThinking: HYBRID.has(id) || undefined,
      toolUse: true,
    };
  });

const QWEN3_OPEN = [
  'qwen3-next-80b-a3b-thinking', 'qwen3-next-80b-a3b-instruct', 'qwen3-235b-a22b-thinking-2507', 'qwen3-235b-a22b-instruct-2507',
  'qwen3-30b-a3b-thinking-2507', 'qwen3-30b-a3b-instruct-2507', 'qwen3-235b-a22b', 'qwen3-32b', 'qwen3-30b-a3b', 'qwen3-14b', 'qwen3-8b',
];

export const DASHSCOPE_MODELS: Record<DashscopeRegion, ModelInfo[]> = {
  // The page's "国際" (international) list; the Singapore endpoint serves it.
  singapore: [
    ...ds('commercial', [
      'qwen3-max', 'qwen3-max-preview', 'qwen-max', 'qwen-max-latest', 'qwen3.5-plus', 'qwen-plus', 'qwen-plus-latest',
      'qwen-flash', 'qwen-turbo', 'qwen-turbo-latest', 'qwen3-coder-plus', 'qwen3-coder-flash', 'qwq-plus',
    ]),
    ...ds('open-source', [
      'qwen3.5-397b-a17b', ...QWEN3_OPEN, 'qwen3-4b', 'qwen3-1.7b', 'qwen3-0.6b',
      'qwen2.5-14b-instruct-1m', 'qwen2.5-7b-instruct-1m', 'qwen2.5-72b-instruct', 'qwen2.5-32b-instruct', 'qwen2.5-14b-instruct', 'qwen2.5-7b-instruct',
    ]),
  ],
  us: ds('commercial', ['qwen-plus-us', 'qwen-flash-us']),
  beijing: [
    ...ds('commercial', [
      'qwen3-max', 'qwen3-max-preview', 'qwen-max', 'qwen-max-latest', 'qwen3.5-plus', 'qwen-plus', 'qwen-plus-latest', 'qwen-flash',
      'qwen-turbo', 'qwen-turbo-latest', 'qwen3-coder-plus', 'qwen3-coder-flash', 'qwen-coder-plus', 'qwen-coder-plus-latest',
      'qwen-coder-turbo', 'qwen-coder-turbo-latest', 'qwq-plus', 'qwq-plus-latest', 'qwen-math-plus', 'qwen-math-plus-latest',
      'qwen-math-turbo', 'qwen-math-turbo-latest',
    ]),
    ...ds('open-source', [
      'qwen3.5-397b-a17b', ...QWEN3_OPEN, 'qwen3-4b', 'qwen3-1.7b', 'qwen3-0.6b',
      'qwen2.5-14b-instruct-1m', 'qwen2.5-7b-instruct-1m', 'qwen2.5-72b-instruct', 'qwen2.5-32b-instruct', 'qwen2.5-14b-instruct',
      'qwen2.5-7b-instruct', 'qwen2.5-3b-instruct', 'qwen2.5-1.5b-instruct', 'qwen2.5-0.5b-instruct',
    ]),
  ],
};

export const DASHSCOPE: Preset = {
  kind: 'dashscope',
  id: 'dashscope',
  name: 'Alibaba Cloud Model Studio',
  defaultBaseUrl: DASHSCOPE_REGIONS.singapore.baseUrl,
  tokenUrl: 'https://modelstudio.console.alibabacloud.com/?tab=playground#/api-key',
  docsUrl: 'https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope',
  envKeys: ['DASHSCOPE_API_KEY'],
  models: DASHSCOPE_MODELS.singapore,
};

export const PRESETS: Preset[] = [MODELSCOPE, WANDB, DASHSCOPE];

export function presetFor(kind: ProviderKind): Preset | undefined {
  return PRESETS.find((p) => p.kind === kind);
}

/**
 * ModelScope's sites. The China site is the seeds' (modelscope.cn, its token page); the
 * international site modelscope.ai has its own accounts, token page and API host
 * (https://api-inference.modelscope.ai/v1, per ModelScope's international API-Inference docs).
 */
export const MODELSCOPE_SITES: Record<ModelscopeSite, { baseUrl: string; tokenUrl: string; docsUrl: string }> = {
  cn: { baseUrl: MODELSCOPE.defaultBaseUrl, tokenUrl: MODELSCOPE.tokenUrl!, docsUrl: MODELSCOPE.docsUrl! },
  intl: { baseUrl: 'https://api-inference.modelscope.ai/v1', tokenUrl: 'https://modelscope.ai/my/myaccesstoken', docsUrl: 'https://modelscope.ai/docs/model-service/API-Inference/intro' },
};

/**
 * Model Studio's workspace-scoped hosts, `{WorkspaceId}.<region id>.maas.aliyuncs.com`: the region
 * id names the catalogue to show when it is one Kaiwa has (others keep the current one).
 */
export function regionOfWorkspaceHost(url: string): DashscopeRegion | null {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  const m = /^[^.]+\.([a-z0-9-]+)\.maas\.aliyuncs\.com$/i.exec(host);
  if (!m) return null;
  const byId: Record<string, DashscopeRegion> = { 'ap-southeast-1': 'singapore', 'us-east-1': 'us', 'cn-beijing': 'beijing' };
  return byId[m[1]!.toLowerCase()] ?? null;
}

/** ModelScope's free tier as the seeds document it; editable in settings because it changes. */
export const MODELSCOPE_FREE_TIER = { dailyLimit: 2000, resetUtcOffsetHours: 8 } as const;
