// Splits markdown into top-level blocks as text arrives, looking only at the newly appended text.
// A block that is complete never changes again, so the renderer can parse and render it once; only
// the open block at the end (the "tail") changes while an answer streams. Decisions are made per
// complete line, so the result cannot depend on how the text was cut into chunks.
//
// Boundaries: a blank line outside fences and display math ends a block, unless the block is a list
// and the next non-blank line continues it (indented, or another item), which is only known when that
// line arrives. A fence or display-math opening line starts its own block, and its closing line ends it.
// Fenced code is kept as groups of GROUP_LINES lines so a long fence is never re-rendered whole.

export const GROUP_LINES = 32;

export interface FenceState {
  /** Info string's first word (the language), as written. */
  lang: string;
  /** Finished groups of GROUP_LINES code lines, each line ending in "\n". Append-only. */
  groups: string[];
  /** Code lines after the last finished group, each ending in "\n". */
  tail: string;
  tailLines: number;
  closed: boolean;
}

export interface Block {
  kind: 'md' | 'fence' | 'math';
  /** The block's markdown as written (line endings normalised to "\n"); for an open block, so far. */
  text: string;
  /** Set for kind 'fence'. */
  fence?: FenceState;
  /** For kind 'math': the expression between the delimiters (once closed). */
  tex?: string;
}

interface OpenFence {
  char: '`' | '~';
  len: number;
  indent: number;
  /** Inside a list item (closing indent is not limited to 3 spaces). */
  nested: boolean;
}

const FENCE_OPEN = /^( *)(`{3,}|~{3,})(.*)$/;

/** A list item's marker kind ("-", "+", "*", "." or ")"): a different kind starts a new list. */
function listKind(line: string): string | null {
  const m = /^ {0,3}(?:([-+*])|\d{1,9}([.)]))(?:[ \t]|$)/.exec(line);
  return m ? (m[1] ?? m[2]!) : null;
}
const BLANK = /^[ \t]*$/;
/** Lines that end a list even without a blank line before them (heading, quote, rule). */
const INTERRUPTS = /^ {0,3}(?:#{1,6}(?:\s|$)|>|(?:[-*_][ \t]*){3,}$)/;

function fenceOpen(line: string): { indent: number; char: '`' | '~'; len: number; info: string } | null {
  const m = FENCE_OPEN.exec(line);
  if (!m) return null;
  const marker = m[2]!;
  const info = m[3]!;
  const char = marker[0] as '`' | '~';
  // A backtick fence's info string may not contain a backtick (that is inline code).
  if (char === '`' && info.includes('`')) return null;
  return { indent: m[1]!.length, char, len: marker.length, info: info.trim() };
}

function fenceCloses(line: string, f: OpenFence): boolean {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  if (!f.nested && i > 3) return false;
  let n = 0;
  while (line[i + n] === f.char) n++;
  if (n < f.len) return false;
  return BLANK.test(line.slice(i + n));
}

/** Display math opening line: `$$` or `\[` at the start, not closed on the same line. */
function mathOpen(line: string): '$$' | '\\]' | null {
  const t = line.trim();
  if (t.startsWith('$$')) return t.length >= 4 && t.endsWith('$$') ? null : '$$';
  if (t.startsWith('\\[')) return t.endsWith('\\]') ? null : '\\]';
  return null;
}

function stripIndent(line: string, n: number): string {
  let i = 0;
  while (i < n && line[i] === ' ') i++;
  return line.slice(i);
}

export interface ScannerSnapshot {
  blocks: Block[];
  tail: Block | null;
  partial: string;
}

export class BlockScanner {
  /** Complete blocks, in order. Append-only; a block in here is never modified again. */
  readonly blocks: Block[] = [];
  /** The open block, if any (its text grows). */
  open: Block | null = null;
  /** Text after the last line break: not yet classified. */
  partial = '';
  /** Blank lines after the open block, held until the next line says whether the block continues. */
  private pendingBlank = '';
  /** The open md block ends in a list (of this marker kind), so an item after a blank line continues it. */
  private openList: string | null = null;
  private fence: OpenFence | null = null;
  private math: '$$' | '\\]' | null = null;
  private mathBody = '';
  private crPending = false;
  /** Characters consumed so far (after line-ending normalisation). */
  length = 0;
  finished = false;

  push(chunk: string): void {
    if (!chunk) return;
    if (this.finished) throw new Error('BlockScanner: push after finish');
    // CRLF/CR → LF, also when "\r" and "\n" arrive in different chunks.
    if (this.crPending && chunk[0] === '\n') chunk = chunk.slice(1);
    this.crPending = chunk.endsWith('\r');
    if (chunk.includes('\r')) chunk = chunk.replace(/\r\n?/g, '\n');
    this.length += chunk.length;
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl >= 0) {
      const line = this.partial + chunk.slice(start, nl);
      this.partial = '';
      this.line(line);
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) this.partial += chunk.slice(start);
  }

  /** End of text: the last line is complete and every open construct ends here. */
  finish(): void {
    if (this.finished) return;
    if (this.partial) {
      const line = this.partial;
      this.partial = '';
      this.line(line, true);
    }
    this.close();
    this.finished = true;
  }

  snapshot(): ScannerSnapshot {
    return { blocks: this.blocks.map(copyBlock), tail: this.open ? copyBlock(this.open) : null, partial: this.partial };
  }

  /** Whether the open block is a fence still waiting for its closing line. */
  get inFenceBlock(): boolean {
    return this.open?.kind === 'fence' && !!this.fence;
  }

  /**
   * The pending partial line as the open fence should show it: hidden while it could still become the
   * closing fence (so "```" does not flash inside the code).
   */
  partialForFence(): string {
    const f = this.fence;
    if (!f || !this.partial) return this.partial;
    const t = this.partial.trimStart();
    if (t.length > 0 && [...t.trimEnd()].every((c) => c === f.char)) return '';
    return stripIndent(this.partial, f.indent);
  }

  /** Whether the partial line belongs to the open block (rather than starting a new one after blank lines). */
  get partialInOpen(): boolean {
    return !!this.open && (this.pendingBlank === '' || !!this.fence || !!this.math);
  }

  private start(kind: Block['kind'], text: string): Block {
    const b: Block = { kind, text };
    this.open = b;
    this.pendingBlank = '';
    this.openList = kind === 'md' ? listKind(text) : null;
    return b;
  }

  private close(): void {
    const b = this.open;
    if (!b) return;
    if (b.fence) {
      if (b.fence.tail) {
        b.fence.groups.push(b.fence.tail);
        b.fence.tail = '';
        b.fence.tailLines = 0;
      }
      b.fence.closed = true;
    }
    if (b.kind === 'math') b.tex = this.mathBody;
    this.blocks.push(b);
    this.open = null;
    this.pendingBlank = '';
    this.openList = null;
    this.fence = null;
    this.math = null;
    this.mathBody = '';
  }

  private line(line: string, last = false): void {
    const nl = last ? '' : '\n';
    const b = this.open;

    if (b && this.fence) {
      if (fenceCloses(line, this.fence)) {
        b.text += line + nl;
        if (b.kind === 'fence') this.close();
        else this.fence = null;
        return;
      }
      b.text += line + nl;
      if (b.fence) {
        const f = b.fence;
        f.tail += stripIndent(line, this.fence.indent) + '\n';
        if (++f.tailLines === GROUP_LINES) {
          f.groups.push(f.tail);
          f.tail = '';
          f.tailLines = 0;
        }
      }
      return;
    }

    if (b && this.math) {
      b.text += line + nl;
      const t = line.trim();
      if (t.endsWith(this.math)) {
        if (b.kind === 'math') {
          this.mathBody += t.slice(0, -this.math.length);
          this.close();
        } else this.math = null;
      } else if (b.kind === 'math') this.mathBody += line + '\n';
      return;
    }

    if (BLANK.test(line)) {
      if (b) this.pendingBlank += line + nl;
      return;
    }

    const indented = line[0] === ' ' || line[0] === '\t';
    const kind = listKind(line);
    const continues = !!b && (this.pendingBlank === '' ? true : !!this.openList && (indented || kind === this.openList));
    const fo = fenceOpen(line);
    const mo = fo ? null : mathOpen(line);

    if ((fo && fo.indent <= 3) || mo) {
      if (b && continues && this.openList && indented) {
        b.text += this.pendingBlank + line + nl;
        this.pendingBlank = '';
        if (fo) this.fence = { char: fo.char, len: fo.len, indent: fo.indent, nested: true };
        else this.math = mo;
        return;
      }
      this.close();
      if (fo) {
        const nb = this.start('fence', line + nl);
        nb.fence = { lang: fo.info.split(/\s+/)[0] ?? '', groups: [], tail: '', tailLines: 0, closed: false };
        this.fence = { char: fo.char, len: fo.len, indent: fo.indent, nested: false };
      } else {
        this.start('math', line + nl);
        this.math = mo;
        // Anything after the opening delimiter on its line is part of the expression.
        const t = line.trim().slice(2);
        this.mathBody = t ? t + '\n' : '';
      }
      return;
    }

    if (b && continues) {
      b.text += this.pendingBlank + line + nl;
      this.pendingBlank = '';
      if (kind && !indented) this.openList = kind;
      else if (!indented && INTERRUPTS.test(line)) this.openList = null;
      // A fence deeper inside a list item (indented 4+).
      if (fo && this.openList) this.fence = { char: fo.char, len: fo.len, indent: fo.indent, nested: true };
      return;
    }
    this.close();
    this.start('md', line + nl);
  }
}

function copyBlock(b: Block): Block {
  const c: Block = { kind: b.kind, text: b.text };
  if (b.fence) c.fence = { ...b.fence, groups: [...b.fence.groups] };
  if (b.tex !== undefined) c.tex = b.tex;
  return c;
}

/** All blocks of a finished text, in one go (what the final render and the tests use). */
export function scanAll(text: string): Block[] {
  const s = new BlockScanner();
  s.push(text);
  s.finish();
  return s.blocks;
}
