// Files in and out of Kaiwa: a conversation exported as Markdown (the shown branch, for reading) or
// Kaiwa JSON (every version, for import), a staged file imported as a new conversation, and the
// staged uploads themselves (shared with backup restore).
import type { CallInput, CallOutput, ExportedFile } from '../../contract/index.ts';
import type { HistoryStore } from '../history/store.ts';
import { importConversation, parseConversationFile, readConversation, safeFilename } from './conversation.ts';
import { conversationToMarkdown, ENGLISH_LABELS } from './markdown.ts';
import type { UploadStore } from './uploads.ts';

export class TransferService {
  private readonly d: { history: HistoryStore; uploads: UploadStore; appVersion: string; now(): number };

  constructor(d: { history: HistoryStore; uploads: UploadStore; appVersion: string; now(): number }) {
    this.d = d;
  }

  exportConversation({ id, format, labels }: CallInput<'conversations.export'>): ExportedFile {
    const file = readConversation(this.d.history, id, { appVersion: this.d.appVersion, now: this.d.now() });
    const l = labels ?? ENGLISH_LABELS;
    const title = file.conversation.title || l.untitled;
    if (format === 'json') {
      return { filename: safeFilename(title, 'kaiwa.json'), mime: 'application/json', text: `${JSON.stringify(file, null, 2)}\n` };
    }
    return { filename: safeFilename(title, 'md'), mime: 'text/markdown', text: conversationToMarkdown(file, l) };
  }

  importUpload(uploadId: string): CallOutput<'conversations.import'> {
    const file = parseConversationFile(this.d.uploads.take(uploadId));
    const id = importConversation(this.d.history, file, this.d.now());
    return { conversation: this.d.history.getConversation(id)!, messages: file.messages.length };
  }
}
