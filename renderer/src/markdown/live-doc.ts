// Feeds a LiveMessage's deltas to a BlockScanner, once per animation frame however many deltas
// arrived in it, and tells React (useSyncExternalStore) that there is something new to paint. Only
// the appended text is touched; the whole buffer is read once when the doc is created and once more
// only if the stream reclassifies its content (`reset`, at most once per answer).
//
// A burst that completes many blocks at once (one 4 MB chunk, a reload in the middle of a long
// answer) is revealed REVEAL_BLOCKS finished blocks a frame, so the page stays responsive while it
// renders; a normal stream completes at most a block or two a frame and is never held back.
import type { LiveChange, LiveMessage } from '../stores/live.ts';
import { BlockScanner } from './scanner.ts';

export type Field = 'content' | 'reasoning';

/** Finished blocks rendered per frame while catching up with a burst. */
export const REVEAL_BLOCKS = 64;

export class LiveDoc {
  scanner: BlockScanner;
  /** Bumped on every change React must render. */
  version = 0;
  /** The stored text this doc was finished with, once the stream has ended. */
  final: string | undefined;
  private readonly live: LiveMessage;
  private readonly field: Field;
  /** Source characters queued so far (raw, before line-ending normalisation). */
  private fed: number;
  /** Source characters in the scanner (what the next render shows once caught up; raw, like `fed`). */
  consumed: number;
  /** Finished blocks to render: all of them, except while a burst is being revealed. */
  shown: number;
  private pending: string[] = [];
  private frame = 0;
  private off: (() => void) | null = null;
  private listeners = new Set<() => void>();

  constructor(live: LiveMessage, field: Field) {
    this.live = live;
    this.field = field;
    const text = live[field];
    this.scanner = new BlockScanner();
    this.scanner.push(text);
    this.fed = text.length;
    this.consumed = text.length;
    this.shown = Math.min(this.scanner.blocks.length, REVEAL_BLOCKS);
  }

  /** Every finished block is rendered (the open block is shown only then). */
  get caughtUp(): boolean {
    return this.shown >= this.scanner.blocks.length;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (!this.off && this.final === undefined) this.attach();
    else if (!this.caughtUp && !this.frame) this.frame = requestAnimationFrame(this.flush);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.detach();
    };
  };

  getVersion = (): number => this.version;

  /**
   * The stream ended with `text` as the stored answer. If that is what streamed in, the open block
   * is just closed (nothing rendered twice); otherwise (a different final text) it is rebuilt once.
   */
  finish(text: string): void {
    if (this.final === text) return;
    // Closing the open block adds a finished block: a doc that was showing everything goes on doing
    // so (the open block must not drop out of the view for a frame).
    const wasCaughtUp = this.caughtUp && !this.pending.length;
    this.detach();
    if (this.pending.length) this.apply();
    if (this.scanner.finished || this.live[this.field] !== text) {
      this.scanner = new BlockScanner();
      this.scanner.push(text);
    }
    this.consumed = text.length;
    this.scanner.finish();
    this.final = text;
    const total = this.scanner.blocks.length;
    this.shown = wasCaughtUp || this.shown + REVEAL_BLOCKS >= total ? total : Math.min(this.shown, total);
    this.emit();
    // A burst still being revealed goes on after the stream has ended.
    if (!this.caughtUp && this.listeners.size) this.frame = requestAnimationFrame(this.flush);
  }

  private attach(): void {
    // Text that arrived between creating the doc and subscribing.
    const now = this.live[this.field];
    if (now.length > this.fed) this.queue(now.slice(this.fed));
    else if ((this.pending.length || !this.caughtUp) && !this.frame) this.frame = requestAnimationFrame(this.flush);
    this.off = this.live.subscribe(this.onChange);
  }

  private detach(): void {
    this.off?.();
    this.off = null;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private onChange = (c: LiveChange): void => {
    if (c.reset) {
      this.pending = [];
      const text = this.live[this.field];
      this.scanner = new BlockScanner();
      this.scanner.push(text);
      this.fed = text.length;
      this.consumed = text.length;
      this.shown = Math.min(this.shown, this.scanner.blocks.length);
      this.reveal();
      this.emit();
      return;
    }
    const add = c[this.field];
    if (add) this.queue(add);
  };

  private queue(text: string): void {
    this.pending.push(text);
    this.fed += text.length;
    if (!this.frame) this.frame = requestAnimationFrame(this.flush);
  }

  private apply(): void {
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.scanner.push(text);
    this.consumed += text.length;
  }

  private flush = (): void => {
    this.frame = 0;
    if (!this.pending.length && this.caughtUp) return;
    if (this.pending.length) this.apply();
    this.reveal();
    this.emit();
  };

  /** Shows up to REVEAL_BLOCKS more finished blocks; asks for another frame if that is not all. */
  private reveal(): void {
    const total = this.scanner.blocks.length;
    // Blocks completed by ordinary streaming (a few a frame) all show at once.
    this.shown = this.shown + REVEAL_BLOCKS >= total ? total : this.shown + REVEAL_BLOCKS;
    if (this.shown < total && !this.frame) this.frame = requestAnimationFrame(this.flush);
  }

  private emit(): void {
    this.version++;
    for (const l of this.listeners) l();
  }
}
