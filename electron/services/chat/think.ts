// Splits `<think>…</think>` out of streamed content. Some models put their reasoning inline
// instead of in `reasoning_content`/`reasoning`; some (DeepSeek-R1 behind certain gateways) omit the
// opening tag and only send a lone `</think>`. Tags may be split across chunks at any byte.

export interface ThinkOutput {
  /** Everything already delivered as content was really reasoning: move it (happens at most once). */
  reclassify: boolean;
  reasoning: string;
  content: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Length of the longest suffix of `text` that is a proper prefix of `tag`. Both tags hold one "<",
 * at their start, so such a suffix starts at the last "<" of the text's tail: one scan, no slices
 * for the text of almost every chunk, which has no "<" near its end.
 */
function partialTagSuffix(text: string, tag: string): number {
  const from = Math.max(0, text.length - (tag.length - 1));
  const lt = text.lastIndexOf('<');
  if (lt < from) return 0;
  const len = text.length - lt;
  return tag.startsWith(text.slice(lt)) ? len : 0;
}

export class ThinkSplitter {
  private mode: 'start' | 'think' | 'answer' = 'start';
  private hold = '';
  private resolved = false; // a tag pair (or lone close) has been handled
  private answerStarted = false;
  // Whitespace right after a closing tag is dropped even when it arrives in a later chunk
  // (models usually send `</think>` and the following "\n\n" as separate chunks).
  private skipWhitespace = false;

  /**
   * @param loneCloseAllowed returns false once the provider has sent reasoning in a dedicated field,
   *   in which case a `</think>` in the answer is just text.
   */
  private readonly loneCloseAllowed: () => boolean;

  constructor(loneCloseAllowed: () => boolean = () => true) {
    this.loneCloseAllowed = loneCloseAllowed;
  }

  push(chunk: string): ThinkOutput {
    const out: ThinkOutput = { reclassify: false, reasoning: '', content: '' };
    let text = this.hold + chunk;
    this.hold = '';
    while (text.length > 0) {
      if (this.mode === 'start') {
        const trimmed = text.trimStart();
        if (trimmed.length === 0) {
          this.hold = text;
          return out;
        }
        if (trimmed.startsWith(OPEN)) {
          this.mode = 'think';
          text = trimmed.slice(OPEN.length);
          continue;
        }
        if (OPEN.startsWith(trimmed)) {
          this.hold = text;
          return out;
        }
        this.mode = 'answer';
        continue;
      }
      if (this.mode === 'think') {
        const idx = text.indexOf(CLOSE);
        if (idx !== -1) {
          out.reasoning += text.slice(0, idx);
          this.mode = 'answer';
          this.resolved = true;
          text = text.slice(idx + CLOSE.length);
          this.skipWhitespace = true;
          continue;
        }
        const keep = partialTagSuffix(text, CLOSE);
        out.reasoning += text.slice(0, text.length - keep);
        this.hold = text.slice(text.length - keep);
        return out;
      }
      // answer
      if (this.skipWhitespace) {
        text = text.replace(/^\s+/, '');
        if (text.length === 0) continue;
        this.skipWhitespace = false;
      }
      if (!this.resolved && this.loneCloseAllowed()) {
        const idx = text.indexOf(CLOSE);
        if (idx !== -1) {
          out.reclassify = this.answerStarted;
          // Content of this very call that preceded the tag is reasoning too.
          out.reasoning += out.content + text.slice(0, idx);
          out.content = '';
          this.resolved = true;
          text = text.slice(idx + CLOSE.length);
          this.skipWhitespace = true;
          continue;
        }
        const keep = partialTagSuffix(text, CLOSE);
        out.content += text.slice(0, text.length - keep);
        this.hold = text.slice(text.length - keep);
        if (out.content.length) this.answerStarted = true;
        return out;
      }
      out.content += text;
      this.answerStarted = true;
      return out;
    }
    return out;
  }

  /** The stream opened `<think>` and never closed it: everything after it went to reasoning. */
  get unclosed(): boolean {
    return this.mode === 'think';
  }

  /** End of stream: whatever was held back is delivered where it belongs. */
  flush(): ThinkOutput {
    const out: ThinkOutput = { reclassify: false, reasoning: '', content: '' };
    if (this.hold) {
      if (this.mode === 'think') out.reasoning = this.hold;
      else out.content = this.hold;
      this.hold = '';
    }
    return out;
  }
}
