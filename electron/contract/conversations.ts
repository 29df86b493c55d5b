// Conversations and messages: the stored records, the shown branch and its versions, search.
import { z } from 'zod';
import { call, Ok } from './call.ts';
import { ModelRef } from './providers.ts';
import { Id, KaiwaError, ShortText } from './schemas.ts';
import { ToolCall, ToolSettings } from './tools.ts';

/** Sampling parameters, ranges as the Model Studio page states them. */
export const ChatParams = z.strictObject({
  temperature: z.number().min(0).lt(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  presencePenalty: z.number().min(-2).max(2).optional(),
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  stop: z.array(z.string().min(1).max(200)).max(4).optional(),
  enableThinking: z.boolean().optional(),
  /** Upper bound on reasoning tokens; checked against the model's maximum before sending. */
  thinkingBudget: z.number().int().positive().max(1_000_000).optional(),
  /** Model Studio web search for this conversation (`enable_search`), only where the model has it. */
  enableSearch: z.boolean().optional(),
  /** `response_format`: JSON mode, or a JSON schema (text of the schema object) where supported. */
  responseFormat: z.enum(['json_object', 'json_schema']).optional(),
  jsonSchema: z.string().max(20_000).optional(),
  tools: ToolSettings.optional(),
});
export type ChatParams = z.infer<typeof ChatParams>;

export const Usage = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof Usage>;

export const MessageStatus = z.enum([
  'done', // finished with finish_reason stop
  'streaming',
  'stopped', // user pressed Stop
  'error',
  'interrupted', // app died while streaming
  'incomplete', // stream ended without finish_reason
  'length', // cut off at max tokens
]);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const Message = z.object({
  id: z.string(),
  conversationId: z.string(),
  parentId: z.string().nullable(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  reasoning: z.string(),
  toolCalls: z.array(ToolCall).optional(),
  /**
   * Text the model wrote in each finished tool round (round i's text came before its calls); the
   * final round's text is `content`. One entry per round whose calls ran.
   */
  roundTexts: z.array(z.string()).optional(),
  /** Web pages the provider's search used, when the response listed them. */
  sources: z.array(z.object({ title: z.string(), url: z.string(), site: z.string().optional() })).optional(),
  status: MessageStatus,
  error: KaiwaError.optional(),
  providerId: z.string().optional(),
  modelId: z.string().optional(),
  usage: Usage.optional(),
  ttftMs: z.number().optional(),
  durationMs: z.number().optional(),
  reasoningMs: z.number().optional(),
  cost: z.number().nullable().optional(),
  createdAt: z.number(),
  /** Position among its siblings (versions) — 1-based index and count. */
  version: z.object({ index: z.number(), count: z.number() }),
});
export type Message = z.infer<typeof Message>;

export const ConversationSummary = z.object({
  id: z.string(),
  title: z.string(),
  updatedAt: z.number(),
  providerId: z.string().nullable(),
  modelId: z.string().nullable(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const Conversation = z.object({
  id: z.string(),
  title: z.string(),
  titleAuto: z.boolean(),
  providerId: z.string().nullable(),
  modelId: z.string().nullable(),
  systemPrompt: z.string(),
  params: ChatParams,
  draft: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Conversation = z.infer<typeof Conversation>;

export const SearchHit = z.object({
  conversationId: z.string(),
  title: z.string(),
  /** null when the conversation's title matched. */
  messageId: z.string().nullable(),
  role: z.enum(['user', 'assistant']).nullable(),
  snippet: z.string(),
  updatedAt: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

/**
 * The shown branch after a change below `anchorId` (a new version, a switch, a deletion): the
 * renderer keeps its messages up to the anchor and replaces the rest with `tail`.
 */
export const PathUpdate = z.object({ conversation: Conversation, anchorId: z.string().nullable(), tail: z.array(Message) });
export type PathUpdate = z.infer<typeof PathUpdate>;

export const conversationsCalls = {
  'conversations.list': call(z.strictObject({ limit: z.number().int().min(1).max(10_000).optional() }), z.array(ConversationSummary)),
  'conversations.create': call(z.strictObject({ model: ModelRef.optional() }), Conversation),
  'conversations.open': call(
    /**
     * `tail`: only the newest `tail` messages of the path (the view shows the end first); `earlier`
     * then says how many come before them, to be fetched next without `tail`.
     */
    z.strictObject({ id: Id, tail: z.number().int().min(1).max(10_000).optional() }),
    z.object({
      conversation: Conversation,
      messages: z.array(Message),
      earlier: z.number().int().min(0).optional(),
      /** Answers of this conversation still streaming in main (e.g. after a page reload), so Stop works. */
      streams: z.array(z.object({ messageId: z.string(), streamId: z.string() })),
    }),
  ),
  'conversations.update': call(
    z.strictObject({
      id: Id,
      title: ShortText.optional(),
      model: ModelRef.optional(),
      systemPrompt: z.string().max(100_000).optional(),
      params: ChatParams.optional(),
      draft: z.string().max(1_000_000).optional(),
    }),
    Conversation,
  ),
  /** Soft delete: `conversations.restore` undoes it until the next start. */
  'conversations.delete': call(z.strictObject({ id: Id }), Ok),
  'conversations.restore': call(z.strictObject({ id: Id }), Ok),
  /** Titles and messages; every word must match. Short CJK words (会話) work too. */
  'conversations.search': call(
    z.strictObject({ query: z.string().min(1).max(200), limit: z.number().int().min(1).max(200).optional() }),
    z.array(SearchHit),
  ),
  /** Shows a message, or with `version` its sibling at that 1-based position; the path follows the newest leaf under it. */
  'messages.select': call(z.strictObject({ messageId: Id, version: z.number().int().min(1).max(100_000).optional() }), PathUpdate),
  /** A message with versions goes with its branch; one without is cut out and the rest moves up. */
  'messages.delete': call(z.strictObject({ messageId: Id }), PathUpdate),
} as const;
