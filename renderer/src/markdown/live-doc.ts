// Feeds a LiveMessage's deltas to a BlockScanner, once per animation frame however many deltas
// arrived in it, and tells React (useSyncExternalStore) that there is something new to paint. Only
// the appended text is touched; the whole buffer is read once when the doc is created and once more
// only if the stream reclassifies its content (`reset`, at most once per answer).
import type { LiveChange, LiveMessage } from '../stores/live.ts';
import { BlockScanner } from './scanner.ts';

export type Field = 'content' | 'reasoning';

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
  /** Source characters in the scanner (what the next render shows; raw, like `fed`). */
  consumed: number;
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
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (!this.off && this.final === undefined) this.attach();
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
    this.detach();
    if (this.pending.length) this.apply();
    if (this.scanner.finished || this.live[this.field] !== text) {
      this.scanner = new BlockScanner();
      this.scanner.push(text);
    }
    this.consumed = text.length;
    this.scanner.finish();
    this.final = text;
    this.emit();
  }

  private attach(): void {
    // Text that arrived between creating the doc and subscribing.
    const now = this.live[this.field];
    if (now.length > this.fed) this.queue(now.slice(this.fed));
    else if (this.pending.length && !this.frame) this.frame = requestAnimationFrame(this.flush);
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
    if (!this.pending.length) return;
    this.apply();
    this.emit();
  };

  private emit(): void {
    this.version++;
    for (const l of this.listeners) l();
  }
}
