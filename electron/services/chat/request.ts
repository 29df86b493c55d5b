// The request of one upstream attempt, built from data only (the branch, the parameters, the model
// and the provider kind), so what is sent can be tested without a server. Provider- and
// model-specific fields come from the quirk tables in request-extras.ts and providers/model-families.ts.
import type { ChatParams, Message, ModelInfo, ModelRef, ProviderKind } from '../../contract/index.ts';
import type { ToolDefinition } from '../tools/builtins.ts';
import { replayRounds, type ToolSession } from '../tools/session.ts';
import type { Continuation } from './figures.ts';
import { responseFormatFields, searchFields, thinkingFields } from './request-extras.ts';

/** The user turn appended after a cut-off answer so the model carries on instead of starting over. */
export const CONTINUE_PROMPT = 'Continue exactly where your previous answer stopped. Do not repeat anything you already wrote.';

/**
 * The request messages: system prompt, then the branch (`path`, from the root) down to (not
 * including) the new answer. Continue sends the answer so far and asks for the rest. With tools,
 * earlier answers replay their tool rounds, and so does this answer once it has finished rounds
 * (`session`); without tools the provider gets the answers' text only (some reject tool messages in
 * a request without `tools`).
 */
export function buildMessages(
  path: readonly Message[],
  assistantId: string,
  systemPrompt: string,
  cont: Continuation | undefined,
  session: ToolSession | null = null,
  kind: ProviderKind = 'custom',
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (systemPrompt.trim()) out.push({ role: 'system', content: systemPrompt });
  for (const m of path) {
    if (m.id === assistantId) break;
    if (session && m.role === 'assistant' && m.roundTexts?.length) out.push(...replayRounds(m, kind));
    if (m.role === 'assistant' && !m.content) continue;
    out.push({ role: m.role, content: m.content });
  }
  // Continue: the rounds the cut-off answer already made, then its text so far (which follows them).
  if (cont && session) out.push(...session.replay(kind, 'earlier'));
  if (cont) out.push({ role: 'assistant', content: cont.content }, { role: 'user', content: CONTINUE_PROMPT });
  if (session) out.push(...session.replay(kind, 'this run'));
  return out;
}

export function buildBody(
  ref: ModelRef,
  messages: Record<string, unknown>[],
  params: ChatParams,
  kind: ProviderKind,
  info: ModelInfo | undefined,
  tools: ToolDefinition[] | null = null,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: ref.modelId,
    messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (params.temperature !== undefined) body['temperature'] = params.temperature;
  if (params.topP !== undefined) body['top_p'] = params.topP;
  if (params.maxTokens !== undefined) body['max_tokens'] = params.maxTokens;
  if (params.presencePenalty !== undefined) body['presence_penalty'] = params.presencePenalty;
  if (params.seed !== undefined) body['seed'] = params.seed;
  if (params.stop?.length) body['stop'] = params.stop;
  Object.assign(body, thinkingFields(kind, ref.modelId, info, params), searchFields(kind, ref.modelId, params), responseFormatFields(params));
  // Every request of a tool loop carries the definitions, also the ones sending results back.
  if (tools) body['tools'] = tools;
  return body;
}
