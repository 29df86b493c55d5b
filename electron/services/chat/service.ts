// Chat: the calls that start, stop and list answers. Each answer starts as a branch (branch.ts),
// is registered while it streams (registry.ts) and runs in run.ts; this class only connects them.
import type { Conversation, Message, ModelRef } from '../../contract/index.ts';
import { resolveModel, startBranch, type Branch, type BranchRequest } from './branch.ts';
import { StreamRegistry } from './registry.ts';
import { runAnswer, type RunDeps } from './run.ts';

export { autoTitle } from './branch.ts';
export { computeCost } from './figures.ts';
export { CONTINUE_PROMPT } from './request.ts';
export { backoffMs, CHECKPOINT_MS } from './run.ts';
export type { CallObservation, CallObserver } from './usage-recorder.ts';

/** What starting a new answer in the middle of a conversation returns (regenerate, edit). */
export interface BranchStart {
  streamId: string;
  conversation: Conversation;
  /** The last message before the change; the renderer keeps everything up to it. */
  anchorId: string | null;
  /** The path below the anchor, ending with the new answer. */
  tail: Message[];
}

export interface ChatServiceDeps extends Omit<RunDeps, 'sleep'> {
  /** Waits `ms` unless aborted; injectable so retry tests need not sleep. */
  sleep?: RunDeps['sleep'];
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

export class ChatService {
  private readonly streams: StreamRegistry;
  private readonly run: RunDeps;
  private readonly d: ChatServiceDeps;

  constructor(deps: ChatServiceDeps) {
    this.d = deps;
    this.streams = new StreamRegistry(deps.log);
    this.run = { ...deps, sleep: deps.sleep ?? defaultSleep };
  }

  /** The conversation's model, else the default model from settings. */
  resolveModel(conversation: { providerId: string | null; modelId: string | null }): ModelRef {
    return resolveModel(this.d.settings, conversation);
  }

  send(conversationId: string, text: string): { streamId: string; userMessage: Message; assistantMessage: Message; conversation: Conversation } {
    const { b, streamId } = this.begin({ kind: 'send', conversationId, text });
    return { streamId, userMessage: b.user!, assistantMessage: b.assistant, conversation: this.d.history.getConversation(conversationId)! };
  }

  /**
   * A new answer to the question behind `messageId` (an answer: its question; a question: itself).
   * Earlier answers stay as versions. With `model`, that model answers and becomes the
   * conversation's model: this is "switch model" after a failure (a quota 429 included).
   */
  regenerate(messageId: string, model?: ModelRef): BranchStart {
    const { b, streamId } = this.begin({ kind: 'regenerate', messageId, model });
    return { streamId, conversation: this.d.history.getConversation(b.conversation.id)!, anchorId: b.anchorId, tail: [b.assistant] };
  }

  /** Edit-and-resend: the new text is a sibling of the old question, so the old branch stays a version. */
  edit(messageId: string, text: string): BranchStart {
    const { b, streamId } = this.begin({ kind: 'edit', messageId, text });
    return { streamId, conversation: this.d.history.getConversation(b.conversation.id)!, anchorId: b.anchorId, tail: [b.user!, b.assistant] };
  }

  /** Continue a cut-off answer (max tokens, interrupted…): the model's new text is appended to it. */
  continueAnswer(messageId: string): { streamId: string; message: Message; conversation: Conversation } {
    const { b, streamId } = this.begin({ kind: 'continue', messageId });
    return { streamId, message: b.assistant, conversation: b.conversation };
  }

  stop(streamId: string): void {
    this.streams.stop(streamId);
  }

  /** Stops every answer streaming in a conversation and waits until each is saved. */
  stopConversation(conversationId: string): Promise<void> {
    return this.streams.stopConversation(conversationId);
  }

  shutdown(): Promise<void> {
    return this.streams.shutdown();
  }

  /** Streams still running for a conversation's answers. */
  streamsOf(conversationId: string): { messageId: string; streamId: string }[] {
    return this.streams.streamsOf(conversationId);
  }

  private begin(req: BranchRequest): { b: Branch; streamId: string } {
    const b = startBranch(this.d, req);
    const { conversation: conv, ref, cont } = b;
    const plan = { ref, systemPrompt: conv.systemPrompt, params: conv.params, cont };
    const streamId = this.streams.start(conv.id, b.assistant.id, (a) => runAnswer(this.run, a, plan));
    return { b, streamId };
  }
}
