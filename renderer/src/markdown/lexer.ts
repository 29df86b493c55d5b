// marked as a lexer only (its HTML renderer is never used): GFM plus math delimiters that models
// write: $…$, $$…$$, \(…\), \[…\]. The tokens are turned into React elements in render.tsx.
import { Marked, type Token, type TokenizerExtension } from 'marked';

export interface MathToken {
  type: 'math';
  raw: string;
  tex: string;
  display: boolean;
}

// Pandoc's rule for $…$: no space just inside the dollars and no digit right after the closing one,
// so "it costs $5 and $10" stays text.
const INLINE_DOLLAR = /^\$(?![\s$])((?:\\[\s\S]|[^\\$\n]|\n(?![ \t]*\n))+?)(?<![\s\\])\$(?!\d)/;
const INLINE_DOUBLE = /^\$\$(?!\$)([\s\S]+?)\$\$/;
const INLINE_PAREN = /^\\\(([\s\S]+?)\\\)/;
const INLINE_BRACKET = /^\\\[([\s\S]+?)\\\]/;
const BLOCK_DOUBLE = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/;
const BLOCK_BRACKET = /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/;

const inlineMath: TokenizerExtension = {
  name: 'math',
  level: 'inline',
  start(src) {
    const i = src.search(/\$|\\[([]/);
    return i < 0 ? undefined : i;
  },
  tokenizer(src) {
    let m = INLINE_DOUBLE.exec(src);
    if (m) return { type: 'math', raw: m[0], tex: m[1]!.trim(), display: true };
    m = INLINE_DOLLAR.exec(src);
    if (m) return { type: 'math', raw: m[0], tex: m[1]!, display: false };
    m = INLINE_PAREN.exec(src);
    if (m) return { type: 'math', raw: m[0], tex: m[1]!.trim(), display: false };
    m = INLINE_BRACKET.exec(src);
    if (m) return { type: 'math', raw: m[0], tex: m[1]!.trim(), display: true };
    return undefined;
  },
};

const blockMath: TokenizerExtension = {
  name: 'math',
  level: 'block',
  start(src) {
    const m = /^ {0,3}(?:\$\$|\\\[)/m.exec(src);
    return m ? m.index : undefined;
  },
  tokenizer(src) {
    const m = BLOCK_DOUBLE.exec(src) ?? BLOCK_BRACKET.exec(src);
    if (m) return { type: 'math', raw: m[0], tex: m[1]!.trim(), display: true };
    return undefined;
  },
};

const marked = new Marked({ gfm: true, breaks: false, extensions: [blockMath, inlineMath] });

export function lex(markdown: string): Token[] {
  return marked.lexer(markdown);
}
