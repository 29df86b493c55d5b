// Files in and out: a conversation exported or imported, and the staged uploads files arrive in.
import { z } from 'zod';
import { call, Ok } from './call.ts';
import { Conversation } from './conversations.ts';
import { UPLOAD_CHUNK_CHARS } from './files.ts';
import { Id, ShortText } from './schemas.ts';

/** A file produced by main for the renderer to save as a download. */
export const ExportedFile = z.object({ filename: z.string(), mime: z.string(), text: z.string() });
export type ExportedFile = z.infer<typeof ExportedFile>;

export const transferCalls = {
  /**
   * A conversation as a file: Markdown (the shown branch, for reading) or Kaiwa JSON (every version
   * of every message, for import). `labels` are the UI's words for the Markdown headings.
   */
  'conversations.export': call(
    z.strictObject({
      id: Id,
      format: z.enum(['markdown', 'json']),
      labels: z
        .strictObject({
          user: ShortText,
          assistant: ShortText,
          thinking: ShortText,
          systemPrompt: ShortText,
          untitled: ShortText,
          tool: ShortText.optional(),
          toolArguments: ShortText.optional(),
          toolResult: ShortText.optional(),
        })
        .optional(),
    }),
    ExportedFile,
  ),
  /** Imports a staged Kaiwa JSON file (see uploads.append) as a new conversation; nothing is written unless it is valid. */
  'conversations.import': call(z.strictObject({ uploadId: Id }), z.object({ conversation: Conversation, messages: z.number() })),
  /**
   * Stages a file the user picked, in pieces small enough for any transport. Without `uploadId` a new
   * upload starts. Staged files live in memory for a few minutes and are consumed by the call that uses them.
   */
  'uploads.append': call(
    z.strictObject({ uploadId: Id.optional(), chunk: z.string().max(UPLOAD_CHUNK_CHARS) }),
    z.object({ uploadId: z.string(), size: z.number() }),
  ),
  'uploads.discard': call(z.strictObject({ uploadId: Id }), Ok),
} as const;
