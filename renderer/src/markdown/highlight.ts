// Syntax highlighting with lowlight (highlight.js grammars → a HAST tree, no HTML strings), cut into
// lines so a fence can be highlighted a group of lines at a time. A span that crosses a line break is
// closed at the end of the line and reopened on the next one, so every line stands on its own.
import type { Element, ElementContent, Root } from 'hast';
import { common, createLowlight } from 'lowlight';

const lowlight = createLowlight(common);

/** A highlighted piece: text, or a span with highlight.js classes around more pieces. */
export type HNode = string | { c: string; k: HNode[] };

const ALIASES: Record<string, string> = { vue: 'xml', svelte: 'xml', ps1: 'bash', powershell: 'bash', dockerfile: 'bash', zsh: 'bash', jsonc: 'json' };

/** The grammar name for a fence's language label, or null when there is none (shown plain). */
export function grammarFor(lang: string): string | null {
  const l = lang.toLowerCase();
  if (!l) return null;
  if (lowlight.registered(l)) return l;
  const a = ALIASES[l];
  return a && lowlight.registered(a) ? a : null;
}

function classOf(e: Element): string {
  const c = e.properties?.['className'];
  return Array.isArray(c) ? c.join(' ') : typeof c === 'string' ? c : '';
}

/** Splits a highlighted tree into lines (the text after the last "\n" is the last line). */
export function toLines(root: Root): HNode[][] {
  const lines: HNode[][] = [];
  let line: HNode[] = [];
  // The spans open on the current line, outermost first, each with the element it mirrors.
  let open: { el: Element; node: { c: string; k: HNode[] } }[] = [];

  const put = (text: string, chain: Element[]) => {
    let p = 0;
    while (p < open.length && p < chain.length && open[p]!.el === chain[p]) p++;
    open.length = p;
    for (let i = p; i < chain.length; i++) {
      const node = { c: classOf(chain[i]!), k: [] as HNode[] };
      (i === 0 ? line : open[i - 1]!.node.k).push(node);
      open.push({ el: chain[i]!, node });
    }
    (chain.length === 0 ? line : open[chain.length - 1]!.node.k).push(text);
  };

  const walk = (nodes: (ElementContent | Root['children'][number])[], chain: Element[]) => {
    for (const n of nodes) {
      if (n.type === 'text') {
        const parts = n.value.split('\n');
        parts.forEach((part, i) => {
          if (i > 0) {
            lines.push(line);
            line = [];
            open = [];
          }
          if (part) put(part, chain);
        });
      } else if (n.type === 'element') {
        walk(n.children, [...chain, n]);
      }
    }
  };
  walk(root.children, []);
  lines.push(line);
  return lines;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Highlights one group of code lines (each ending in "\n"). `context` — the group before it — is
 * highlighted along with it so a comment or string that began there is still recognised, and then
 * dropped. Returns one HNode list per line of `text`, or null for a language without a grammar.
 */
export function highlightGroup(lang: string, text: string, context = ''): HNode[][] | null {
  const grammar = grammarFor(lang);
  if (!grammar) return null;
  const skip = countLines(context);
  const want = countLines(text);
  let tree: Root;
  try {
    tree = lowlight.highlight(grammar, context + text);
  } catch {
    return null;
  }
  return toLines(tree).slice(skip, skip + want);
}
