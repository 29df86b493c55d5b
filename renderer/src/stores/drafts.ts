// Drafts: what the user typed in a conversation's composer, saved in main a moment after typing
// stops (not on every key) and at once when the view changes or the page goes away. Until main has
// it (or when saving fails: a full disk), the text is kept here and preferred to the stored draft,
// so leaving the chat view never loses typed text. The clock is injected so tests own the time.
import type { Conversation } from '../../../electron/contract/index.ts';
import { call } from '../bridge/index.ts';

/** Quiet time after the last key before the draft is saved. */
export const DRAFT_SAVE_MS = 400;

export interface DraftDeps {
  save(id: string, text: string): Promise<unknown>;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export class Drafts {
  private readonly deps: DraftDeps;
  /** Typed but not saved in main yet (or refused), by conversation. */
  private readonly unsaved = new Map<string, string>();
  private pending: { id: string; text: string } | null = null;
  private timer: unknown = null;

  constructor(deps: DraftDeps) {
    this.deps = deps;
  }

  /** The draft to show for a conversation. */
  of(c: Conversation | null): string {
    return c ? (this.unsaved.get(c.id) ?? c.draft) : '';
  }

  /** The user typed `text` in conversation `id`: saved once typing pauses. */
  typed(id: string, text: string): void {
    this.pending = { id, text };
    this.unsaved.set(id, text);
    this.cancelTimer();
    this.timer = this.deps.setTimeout(() => this.flush(), DRAFT_SAVE_MS);
  }

  /** Saves what is waiting now (the view changes, the page goes away). */
  flush = (): void => {
    this.cancelTimer();
    const d = this.pending;
    this.pending = null;
    if (!d) return;
    void this.deps
      .save(d.id, d.text)
      .then(() => {
        if (this.unsaved.get(d.id) === d.text) this.unsaved.delete(d.id);
      })
      .catch(() => undefined);
  };

  /** A message is being sent from `id`: main clears the stored draft, so a waiting save must not bring it back. */
  sending(id: string): void {
    if (this.pending?.id !== id) return;
    this.cancelTimer();
    this.pending = null;
  }

  /** The message was sent: the text typed for it is no longer a draft. */
  sent(id: string): void {
    this.unsaved.delete(id);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.deps.clearTimeout(this.timer);
    this.timer = null;
  }
}

/** The app's drafts, saved through `conversations.update`. */
export const drafts = new Drafts({
  save: (id, text) => call('conversations.update', { id, draft: text }),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
});

if (typeof window !== 'undefined') window.addEventListener('beforeunload', drafts.flush);

/** The draft to show for a conversation. */
export function draftOf(c: Conversation | null): string {
  return drafts.of(c);
}
