// The leaf components of rendered markdown: code blocks (highlighted a group of lines at a time),
// math (KaTeX building DOM nodes into an element it owns) and links (never opened without the user
// seeing the URL first).
import 'katex/dist/katex.min.css';
import { Fragment, memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { highlightGroup, type HNode } from './highlight.ts';
import { typeset } from './limits.ts';
import { confirmOpenLink } from './LinkDialog.tsx';
import { safeHref } from './text.ts';

function renderHNodes(nodes: HNode[], out: ReactNode[]): void {
  for (const n of nodes) {
    if (typeof n === 'string') out.push(n);
    else {
      const kids: ReactNode[] = [];
      renderHNodes(n.k, kids);
      out.push(
        <span key={out.length} className={n.c}>
          {kids}
        </span>,
      );
    }
  }
}

/** One finished group of code lines, highlighted once. */
const CodeGroup = memo(function CodeGroup({ lang, text, context }: { lang: string; text: string; context: string | undefined }) {
  const nodes = useMemo(() => {
    const lines = highlightGroup(lang, text, context);
    if (!lines) return null;
    const out: ReactNode[] = [];
    for (const l of lines) {
      const kids: ReactNode[] = [];
      renderHNodes(l, kids);
      out.push(<Fragment key={out.length}>{kids}</Fragment>, '\n');
    }
    return out;
  }, [lang, text, context]);
  // Each group is its own block box, so appending to the tail re-lays out the tail alone, not every
  // line of a long fence (one inline formatting context for the whole <code> would).
  return <span className="md-code-group">{nodes ?? text}</span>;
});

function CopyButton({ getText }: { getText: () => string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(getText());
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  const said = state === 'copied' ? t('markdown.copied') : state === 'failed' ? t('markdown.copyFailed') : '';
  return (
    <>
      <button type="button" className={`md-code-copy ${state}`} aria-label={t('markdown.copyCode')} onClick={() => void copy()}>
        {said || t('markdown.copy')}
      </button>
      <span className="md-sr-only" aria-live="polite">
        {said}
      </span>
    </>
  );
}

export interface CodeBlockProps {
  lang: string;
  /** Finished groups of lines (each line ending in "\n"); may be a growing array, hence `count`. */
  groups: readonly string[];
  count: number;
  /** Lines after the last finished group (shown plain until the group completes). */
  tail: string;
}

/**
 * A fenced code block. Finished groups are highlighted once and memoised; only the plain tail
 * changes while a long fence streams, so a frame costs the same at line 20 and at line 2,000.
 */
export const CodeBlock = memo(function CodeBlock({ lang, groups, count, tail }: CodeBlockProps) {
  const kids: ReactNode[] = [];
  for (let i = 0; i < count; i++) kids.push(<CodeGroup key={i} lang={lang} text={groups[i]!} context={groups[i - 1]} />);
  // The head (language, Copy) does not change while the fence streams: it reads the latest text
  // only when clicked, so a frame re-renders the code's tail and not the head's labels.
  const latest = useRef({ groups, count, tail });
  useLayoutEffect(() => {
    latest.current = { groups, count, tail };
  });
  return (
    <div className="md-code">
      <CodeHead lang={lang} latest={latest} />
      <pre>
        <code className={lang ? `hljs language-${lang.replace(/[^\w+#-]/g, '')}` : 'hljs'}>
          {kids}
          {tail && <span className="md-code-group">{tail}</span>}
        </code>
      </pre>
    </div>
  );
});

const CodeHead = memo(function CodeHead({ lang, latest }: { lang: string; latest: { readonly current: { groups: readonly string[]; count: number; tail: string } } }) {
  const { t } = useTranslation();
  const getText = () => {
    const { groups, count, tail } = latest.current;
    let s = '';
    for (let i = 0; i < count; i++) s += groups[i];
    return (s + tail).replace(/\n$/, '');
  };
  return (
    <div className="md-code-head">
      <span className="md-code-lang">{lang || t('markdown.plainCode')}</span>
      <CopyButton getText={getText} />
    </div>
  );
});

/**
 * A formula. KaTeX builds it off-page (limits.ts: nesting, size and expansion limits) and the tree
 * is attached only if it is within them; otherwise, or on a KaTeX error, the source is shown in an
 * element of our own with a class (KaTeX's error node has an inline style the CSP refuses).
 */
export const MathView = memo(function MathView({ tex, display }: { tex: string; display: boolean }) {
  const { t } = useTranslation();
  const result = useMemo(() => typeset(tex, display), [tex, display]);
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && result.kind === 'ok') el.replaceChildren(result.tree.toNode());
  }, [result]);
  const cls = display ? 'md-math md-math-display' : 'md-math';
  // Keys: KaTeX's nodes are put in by hand, so React must replace the element, not reuse it, when
  // the formula turns into its source or back.
  if (result.kind === 'ok') return <span key="typeset" ref={ref} className={cls} />;
  const title = result.kind === 'error' ? t('safety.math.error', { error: result.message }) : t('safety.math.limit');
  return (
    <span key="source" className={cls}>
      <code className={result.kind === 'error' ? 'md-math-error' : 'md-math-source'} title={title}>
        {tex}
      </code>
    </span>
  );
});

export function MdLink({ href, children }: { href: string; children: ReactNode }) {
  const { t } = useTranslation();
  const safe = safeHref(href);
  if (!safe) {
    return (
      <span className="md-link-inert" title={t('markdown.link.blocked', { url: href.slice(0, 200) })}>
        {children}
      </span>
    );
  }
  return (
    <a
      href={safe}
      className="md-link"
      rel="noopener noreferrer"
      onClick={(e) => {
        e.preventDefault();
        confirmOpenLink(safe);
      }}
      onAuxClick={(e) => {
        e.preventDefault();
        if (e.button === 1) confirmOpenLink(safe);
      }}
    >
      {children}
    </a>
  );
}
