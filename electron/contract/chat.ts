// Chat streams: starting, stopping and continuing an answer, and the events it arrives in.
import { z } from 'zod';
import { call, Ok } from './call.ts';
import { Conversation, Message, PathUpdate } from './conversations.ts';
import { ModelRef } from './providers.ts';
import { Id, KaiwaError, LongText } from './schemas.ts';
import { ToolCall } from './tools.ts';

export const chatCalls = {
  /** Starts a reply. Returns at once; the reply arrives as `stream.*` events for `streamId`. */
  'chat.send': call(
    z.strictObject({ conversationId: Id, text: LongText.min(1) }),
    z.object({ streamId: z.string(), userMessage: Message, assistantMessage: Message, conversation: Conversation }),
  ),
  'chat.stop': call(z.strictObject({ streamId: Id }), Ok),
  /**
   * A new answer (a new version) to the question behind `messageId`. With `model` that model answers
   * and becomes the conversation's model: the "switch model" action after any failure, quota 429s included.
   */
  'chat.regenerate': call(z.strictObject({ messageId: Id, model: ModelRef.optional() }), PathUpdate.extend({ streamId: z.string() })),
  /** Edit-and-resend: a new version of a question of yours, answered at once. */
  'chat.edit': call(z.strictObject({ messageId: Id, text: LongText.min(1) }), PathUpdate.extend({ streamId: z.string() })),
  /** Continues a cut-off answer; the new text is appended to the same message. */
  'chat.continue': call(z.strictObject({ messageId: Id }), z.object({ streamId: z.string(), message: Message, conversation: Conversation })),
} as const;

export const chatEvents = {
  /** New text since the previous delta for this stream; at most one per animation frame. */
  'stream.delta': z.object({
    streamId: z.string(),
    messageId: z.string(),
    /**
     * Per-stream count of deltas sent (1, 2, …). The renderer does not read it (deltas arrive in order over
     * one channel); it lets any other listener order the deltas or see that one is missing. The bench times
     * upstream chunks by its own stamps (`bench.seq`), not by this.
     */
    seq: z.number(),
    content: z.string().optional(),
    reasoning: z.string().optional(),
    /** The tool calls that changed since the previous delta, each whole as main has assembled it so far; a call is (round, index). */
    toolCalls: z.array(ToolCall.pick({ index: true, round: true, id: true, name: true, arguments: true })).optional(),
    /** Apply first: move everything received as content so far to the end of reasoning (lone `</think>`). */
    contentToReasoning: z.boolean().optional(),
    /** When the answer (not the thinking) started, ms since stream start; sent once. */
    answerStartedMs: z.number().optional(),
  }),
  /** Waiting for headers, retrying after an error, or receiving. */
  'stream.status': z.object({
    streamId: z.string(),
    messageId: z.string(),
    state: z.enum(['connecting', 'retrying', 'receiving']),
    attempt: z.number().optional(),
    retryInMs: z.number().optional(),
    error: KaiwaError.optional(),
  }),
  /**
   * The answer's tool state changed (a round ended, a call started, finished or awaits confirmation):
   * all its calls and round texts. A longer `roundTexts` means the live content so far became the
   * text of a finished round: the renderer starts the content afresh.
   */
  'stream.tools': z.object({ streamId: z.string(), messageId: z.string(), toolCalls: z.array(ToolCall), roundTexts: z.array(z.string()) }),
  /** The stream is over; `message` is the final stored record. */
  'stream.end': z.object({ streamId: z.string(), message: Message }),
} as const;
