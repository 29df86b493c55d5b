// Bounds on what an answer can make the renderer do. Model output is hostile: 2 KB of ">" overflowed
// marked's stack, a 1,000-deep nested list took seconds to lex (each level re-scans everything under
// it), and 200 nested square roots built a DOM so deep that Chromium's layout crashed the page. Past
// these limits the rest of the text is shown as the text it is — nothing is dropped.
//
// Written by hand because marked has no depth limit to configure and KaTeX none for nesting; the
// counting is a cheap over-approximation of CommonMark's container rules, not a second parser.
import katex, { type KatexOptions } from 'katex';

/** Block quotes plus list levels a line may be inside; also caps nested inline spans when rendering. */
export const MAX_NESTING = 20;
/** Depth of the node tree KaTeX builds (200 nested roots are ~1,200 and crash Chromium; 100 are ~600). */
export const MAX_MATH_DEPTH = 300;
/** Brace depth in a formula's source: refused before KaTeX parses it at all. */
export const MAX_TEX_BRACES = 64;
/** Characters in one formula. */
export const MAX_TEX_LENGTH = 20_000;

const LIST_MARKER = /[-+*]|\d{1,9}[.)]/y;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/**
 * The nesting of the line text[start, end): quotes and list items it is inside. `stack` holds the
 * positions (quote level, indent column) of the list items open above it and is updated.
 */
function lineDepth(text: string, start: number, end: number, stack: number[]): number {
  let i = start;
  let quotes = 0;
  for (;;) {
    let j = i;
    while (j < end && j - i < 3 && text[j] === ' ') j++;
    if (text[j] !== '>') break;
    quotes++;
    i = j + 1;
    if (isSpace(text[i])) i++;
  }
  let col = 0;
  for (; i < end && isSpace(text[i]); i++) col += text[i] === '\t' ? 4 - (col % 4) : 1;
  if (i >= end) return quotes; // blank: items stay open
  // An item is inside the open items that started at a smaller indent (at the same quote level).
  const key = quotes * 1_000_000 + col;
  while (stack.length && stack[stack.length - 1]! >= key) stack.pop();
  let extra = 0;
  let first = true;
  for (;;) {
    if (text[i] === '>') {
      extra++;
      i++;
    } else {
      LIST_MARKER.lastIndex = i;
      if (!LIST_MARKER.exec(text) || !(isSpace(text[LIST_MARKER.lastIndex]) || LIST_MARKER.lastIndex >= end)) break;
      if (first) stack.push(key);
      else extra++;
      i = LIST_MARKER.lastIndex;
    }
    first = false;
    while (i < end && isSpace(text[i])) i++;
    if (i >= end) break;
  }
  return quotes + stack.length + extra;
}

/** Where the first line nested deeper than `max` starts, or -1. Linear in the text. */
export function tooDeepAt(text: string, max = MAX_NESTING): number {
  const stack: number[] = [];
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (lineDepth(text, start, end, stack) > max) return start;
    start = end + 1;
  }
  return -1;
}

/** The deepest `{` nesting in TeX source (escaped braces do not count). */
function braceDepth(tex: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 123 /* { */) max = Math.max(max, ++depth);
    else if (c === 125 /* } */) depth = Math.max(0, depth - 1);
  }
  return max;
}

/** KaTeX's node tree (the part of it used here). */
interface MathNode {
  children?: MathNode[];
  toNode(): Node;
}

/** Depth of KaTeX's tree, without recursion. */
function treeDepth(root: MathNode): number {
  let max = 0;
  const stack: [MathNode, number][] = [[root, 1]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    for (const c of n.children ?? []) stack.push([c, d + 1]);
  }
  return max;
}

// trust:false keeps \href, \url, \includegraphics and \html* inert; maxExpand stops runaway macros
// (`\def\a{\a\a}\a`), maxSize caps sizes in em. throwOnError: KaTeX's own error node carries an
// inline style attribute, which the CSP refuses — the error is shown by MathView instead.
const OPTIONS: KatexOptions = { throwOnError: true, trust: false, strict: 'ignore', maxSize: 20, maxExpand: 500, output: 'htmlAndMathml' };

// renderToDomTree is KaTeX's documented "advanced use" entry point (render() is exactly this plus
// toNode()); it is not in the type definitions. It lets the tree be measured before any DOM exists.
const build = (katex as unknown as { __renderToDomTree(tex: string, o: KatexOptions): MathNode }).__renderToDomTree;

export type Typeset = { kind: 'ok'; tree: MathNode } | { kind: 'error'; message: string } | { kind: 'limit' };

/** A formula built but not yet in the page, or why it will be shown as its source. */
export function typeset(tex: string, display: boolean): Typeset {
  if (tex.length > MAX_TEX_LENGTH || braceDepth(tex) > MAX_TEX_BRACES) return { kind: 'limit' };
  let tree: MathNode;
  try {
    tree = build(tex, { ...OPTIONS, displayMode: display });
  } catch (err) {
    // A ParseError, or a RangeError from a parser recursing on something the brace count missed.
    if (err instanceof RangeError) return { kind: 'limit' };
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
  }
  return treeDepth(tree) > MAX_MATH_DEPTH ? { kind: 'limit' } : { kind: 'ok', tree };
}
