// The markdown renderer's public components. Text is split into blocks (scanner.ts); a complete block
// is parsed and rendered once and then skipped by React (memo on an object that never changes); only
// the open block at the end is re-parsed while streaming. Blocks are rendered in chunks of CHUNK so
// a frame does not even visit the thousands of finished blocks of a very long answer.
//
// <MarkdownView text> renders a final text once — the same block renderer the stream uses, which is
// also the "floor" the streaming work is measured against. <StreamingMarkdown live field> follows a
// LiveMessage through a LiveDoc (deltas fed once per animation frame), which <LiveDocView> renders.
import type { Token } from 'marked';
import { memo, useLayoutEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { LiveMessage } from '../stores/live.ts';
import '../styles/markdown.css';
import { lex } from './lexer.ts';
import { tooDeepAt } from './limits.ts';
import { LiveDoc, type Field } from './live-doc.ts';
import { CodeBlock, MathView } from './parts.tsx';
import { blocks as renderTokens, TooDeep } from './render.tsx';
import { scanAll, type Block, type BlockScanner } from './scanner.ts';

const CHUNK = 32;

/**
 * Lexes a block up to its first line nested past MAX_NESTING; that line and the rest are its text.
 * A lexer failure (a stack overflow on some other nesting) shows the whole block as text.
 */
function lexBounded(text: string): { tokens: Token[]; rest: string } {
  const cut = tooDeepAt(text);
  try {
    return cut < 0 ? { tokens: lex(text), rest: '' } : { tokens: lex(text.slice(0, cut)), rest: text.slice(cut) };
  } catch {
    return { tokens: [], rest: text };
  }
}

const MdBlock = memo(function MdBlock({ text, live }: { text: string; live: boolean }) {
  const { tokens, rest } = useMemo(() => lexBounded(text), [text]);
  return (
    <>
      {renderTokens(tokens, { live })}
      {rest && <TooDeep raw={rest} />}
    </>
  );
});

interface BlockViewProps {
  block: Block;
  /** Text to show for an md/math block (for the open block: its text plus the partial line). */
  text: string;
  /** For a fence: how many finished groups to show, and the plain lines after them. */
  count: number;
  tail: string;
  live: boolean;
}

const BlockView = memo(function BlockView({ block, text, count, tail, live }: BlockViewProps) {
  if (block.kind === 'fence') return <CodeBlock lang={block.fence!.lang} groups={block.fence!.groups} count={count} tail={tail} />;
  if (block.kind === 'math') {
    if (block.tex !== undefined) {
      return (
        <div className="md-math-block">
          <MathView tex={block.tex.trim()} display />
        </div>
      );
    }
    // Still open: the source, rather than a half formula flashing KaTeX errors.
    return <pre className="md-math-pending">{text}</pre>;
  }
  return <MdBlock text={text} live={live} />;
});

function doneProps(b: Block): BlockViewProps {
  return { block: b, text: b.text, count: b.fence?.groups.length ?? 0, tail: '', live: false };
}

interface OpenView {
  props: BlockViewProps;
  /** A line after blank lines, not yet known to start a new block: shown as a paragraph of its own. */
  provisional: string;
}

const FIRST_LINE: Block = { kind: 'md', text: '' };

/** What the open end of a scanner shows this frame. */
function openView(s: BlockScanner): OpenView | null {
  const b = s.open;
  const partial = s.partial;
  if (!b) return partial ? { props: { block: FIRST_LINE, text: partial, count: 0, tail: '', live: true }, provisional: '' } : null;
  if (b.kind === 'fence') {
    const f = b.fence!;
    return { props: { block: b, text: '', count: f.groups.length, tail: f.tail + s.partialForFence(), live: true }, provisional: '' };
  }
  const inOpen = s.partialInOpen;
  return { props: { block: b, text: inOpen ? b.text + partial : b.text, count: 0, tail: '', live: true }, provisional: inOpen ? '' : partial };
}

/**
 * Blocks [from, to) and, in the last chunk, the open block at the index it keeps once complete.
 * A frame re-renders only the last chunk: React does not visit the finished chunks (memo) and the
 * browser keeps their layout. Chunks are plain blocks, not formatting contexts, so block margins
 * still collapse across a chunk boundary exactly as they would without chunks.
 */
const BlockChunk = memo(function BlockChunk({ blocks, from, to, open }: { blocks: readonly Block[]; from: number; to: number; open: OpenView | null }) {
  const out: ReactNode[] = [];
  for (let i = from; i < to; i++) out.push(<BlockView key={i} {...doneProps(blocks[i]!)} />);
  if (open) {
    out.push(<BlockView key={to} {...open.props} />);
    if (open.provisional) out.push(<MdBlock key="provisional" text={open.provisional} live />);
  }
  return <div className="md-chunk">{out}</div>;
});

function DocView({ blocks, count = blocks.length, open, busy = false }: { blocks: readonly Block[]; count?: number; open: OpenView | null; busy?: boolean }) {
  const chunks: ReactNode[] = [];
  const last = Math.floor(count / CHUNK);
  for (let c = 0; c <= last; c++) {
    const from = c * CHUNK;
    chunks.push(<BlockChunk key={c} blocks={blocks} from={from} to={Math.min(from + CHUNK, count)} open={c === last ? open : null} />);
  }
  // aria-busy: screen readers in the surrounding live region wait for the answer instead of
  // announcing it frame by frame.
  return (
    <div className="md" aria-busy={busy || undefined}>
      {chunks}
    </div>
  );
}

/** A final text, rendered once with the block renderer. */
export const MarkdownView = memo(function MarkdownView({ text }: { text: string }) {
  const blocks = useMemo(() => scanAll(text), [text]);
  return <DocView blocks={blocks} open={null} />;
});

/**
 * Follows a streaming answer. Give `final` (the stored text) once the stream has ended: the same
 * component then closes its blocks instead of being replaced, so nothing is rendered twice.
 */
export function StreamingMarkdown({ live, field, final }: { live: LiveMessage; field: Field; final?: string | undefined }) {
  const doc = useMemo(() => new LiveDoc(live, field), [live, field]);
  return <LiveDocView doc={doc} final={final} />;
}

/** Renders a LiveDoc each time it has something new; the doc belongs to the caller, who made it for one live field. */
export function LiveDocView({ doc, final }: { doc: LiveDoc; final?: string | undefined }) {
  useSyncExternalStore(doc.subscribe, doc.getVersion);
  useLayoutEffect(() => {
    if (final !== undefined) doc.finish(final);
  }, [doc, final]);
  const caughtUp = doc.caughtUp;
  const s = doc.scanner;
  // While a burst is revealed a frame at a time, the open block waits for the finished ones.
  return <DocView blocks={s.blocks} count={doc.shown} open={caughtUp ? openView(s) : null} busy={!s.finished || !caughtUp} />;
}
