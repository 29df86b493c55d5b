// What one OpenAI-style chunk says: an error, usage, web sources, reasoning, answer text, tool-call
// fragments, the finish reason. Stateless: it reports each part to a sink (the answer accumulator),
// so the per-chunk path allocates nothing of its own. Unknown fields are ignored, missing ones
// tolerated; `reasoning_content` (ModelScope, Model Studio) and `reasoning` (W&B, some gateways)
// both carry reasoning.
import type { Usage } from '../../contract/index.ts';
import type { ToolCallDelta } from './tool-calls.ts';
import { sourcesOf, streamErrorOf, usageOf, type Source } from './wire.ts';

export interface ChunkSink {
  /** The chunk is an error; nothing else of it is read. */
  onStreamError(raw: unknown): void;
  onUsage(u: Usage): void;
  onSources(s: Source[]): void;
  onReasoning(text: string): void;
  onContent(text: string): void;
  onToolCalls(fragments: ToolCallDelta[]): void;
  onFinish(reason: string): void;
}

type Choice = { delta?: Record<string, unknown>; message?: Record<string, unknown>; finish_reason?: string | null };

export function interpretChunk(obj: Record<string, unknown>, event: string, sink: ChunkSink): void {
  const err = streamErrorOf(event, obj);
  if (err != null) {
    sink.onStreamError(err);
    return;
  }
  const usage = usageOf(obj['usage']);
  if (usage) sink.onUsage(usage);
  const sources = sourcesOf(obj);
  if (sources) sink.onSources(sources);
  const choices = obj['choices'] as Choice[] | undefined;
  const choice = Array.isArray(choices) ? choices[0] : undefined;
  if (!choice) return;
  // A plain JSON chat.completion (sent to a stream request) has `message` where a chunk has `delta`.
  const delta = choice.delta ?? choice.message;
  if (delta) {
    const r = delta['reasoning_content'] ?? delta['reasoning'];
    if (typeof r === 'string' && r.length) sink.onReasoning(r);
    const c = delta['content'];
    if (typeof c === 'string' && c.length) sink.onContent(c);
    const tc = delta['tool_calls'];
    if (Array.isArray(tc)) sink.onToolCalls(tc as ToolCallDelta[]);
  }
  if (choice.finish_reason) sink.onFinish(choice.finish_reason);
}
