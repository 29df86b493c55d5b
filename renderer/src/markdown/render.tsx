// marked tokens → React elements. Everything model-written ends up as text nodes or as attributes
// React sets safely; raw HTML in the markdown is shown as the literal text it is.
import type { MarkedToken, Token, Tokens } from 'marked';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { GROUP_LINES } from './scanner.ts';
import type { MathToken } from './lexer.ts';
import { MAX_NESTING } from './limits.ts';
import { CodeBlock, MathView, MdLink } from './parts.tsx';
import { decodeEntities } from './text.ts';

interface Ctx {
  /** The block is still streaming: its last code group stays plain. */
  live: boolean;
  /** Accessible name for a task item's checkbox. */
  taskLabel?: string;
  /** Containers (quotes, lists, emphasis, links) around this point; past MAX_NESTING, text. */
  depth?: number;
}

/** The context one container deeper, or null past the limit (the rest is shown as its source). */
function deeper(ctx: Ctx): Ctx | null {
  const depth = (ctx.depth ?? 0) + 1;
  return depth > MAX_NESTING ? null : { ...ctx, depth };
}

/** Splits code into groups of GROUP_LINES lines, as the streaming scanner does for fences. */
export function codeGroups(text: string, live: boolean): { groups: string[]; tail: string } {
  const groups: string[] = [];
  let start = 0;
  let lines = 0;
  let i = text.indexOf('\n');
  while (i >= 0) {
    if (++lines === GROUP_LINES) {
      groups.push(text.slice(start, i + 1));
      start = i + 1;
      lines = 0;
    }
    i = text.indexOf('\n', i + 1);
  }
  let tail = text.slice(start);
  if (tail && !tail.endsWith('\n')) tail += '\n';
  if (!live && tail) {
    groups.push(tail);
    tail = '';
  }
  return { groups, tail };
}

/** The text of inline tokens, for accessible names. */
export function plainText(tokens: Token[] | undefined): string {
  let s = '';
  for (const t of tokens ?? []) {
    if (t.type === 'checkbox') continue;
    if ('tokens' in t && Array.isArray(t.tokens) && t.type !== 'codespan') s += plainText(t.tokens);
    else if (t.type === 'math') s += (t as unknown as MathToken).tex;
    else if ('text' in t && typeof t.text === 'string') s += t.type === 'escape' || t.type === 'codespan' || t.type === 'html' ? t.text : decodeEntities(t.text);
  }
  return s;
}

function ImageAsLink({ token }: { token: Tokens.Image }) {
  const { t } = useTranslation();
  // Images in model output are never fetched: they could track the reader or leak the conversation.
  return (
    <span className="md-image">
      <span className="md-image-label">{t('markdown.image', { alt: token.text || t('markdown.imageNoAlt') })}</span>{' '}
      <MdLink href={token.href}>{token.href}</MdLink>
    </span>
  );
}

function inline(tokens: Token[] | undefined, ctx: Ctx): ReactNode[] {
  const out: ReactNode[] = [];
  for (const tok of tokens ?? []) {
    const k = out.length;
    if (tok.type === 'math') {
      const m = tok as unknown as MathToken;
      out.push(<MathView key={k} tex={m.tex} display={m.display} />);
      continue;
    }
    const t = tok as MarkedToken;
    switch (t.type) {
      case 'text':
        out.push(t.tokens?.length ? inline(t.tokens, ctx) : decodeEntities(t.text));
        break;
      case 'escape':
        out.push(t.text);
        break;
      case 'strong': {
        const d = deeper(ctx);
        out.push(d ? <strong key={k}>{inline(t.tokens, d)}</strong> : t.raw);
        break;
      }
      case 'em': {
        const d = deeper(ctx);
        out.push(d ? <em key={k}>{inline(t.tokens, d)}</em> : t.raw);
        break;
      }
      case 'del': {
        const d = deeper(ctx);
        out.push(d ? <del key={k}>{inline(t.tokens, d)}</del> : t.raw);
        break;
      }
      case 'codespan':
        out.push(<code key={k}>{t.text}</code>);
        break;
      case 'br':
        out.push(<br key={k} />);
        break;
      case 'link': {
        const d = deeper(ctx);
        out.push(
          d ? (
            <MdLink key={k} href={t.href}>
              {inline(t.tokens, d)}
            </MdLink>
          ) : (
            t.raw
          ),
        );
        break;
      }
      case 'image':
        out.push(<ImageAsLink key={k} token={t} />);
        break;
      case 'checkbox':
        out.push(<input key={k} type="checkbox" className="md-task" checked={t.checked} disabled readOnly aria-label={ctx.taskLabel} />);
        break;
      case 'html':
        // Raw HTML is text here: "<script>" is shown, not run.
        out.push(t.raw);
        break;
      default:
        out.push('raw' in t ? String(t.raw) : '');
    }
  }
  return out;
}

function listItem(item: Tokens.ListItem, key: number, ctx: Ctx): ReactNode {
  const first = item.tokens.find((x) => x.type === 'paragraph' || x.type === 'text') as Tokens.Paragraph | undefined;
  const itemCtx: Ctx = item.task ? { ...ctx, taskLabel: plainText(first?.tokens).trim() } : ctx;
  return (
    <li key={key} className={item.task ? 'md-task-item' : undefined}>
      {blocks(item.tokens, itemCtx, !item.loose)}
    </li>
  );
}

/** Source past the nesting limit, shown as the text it is. */
export function TooDeep({ raw }: { raw: string }) {
  return <p className="md-raw md-too-deep">{raw.replace(/\n+$/, '')}</p>;
}

/** Block tokens; in a tight list item, paragraphs are shown without <p>. */
export function blocks(tokens: Token[], ctx: Ctx, tight = false): ReactNode[] {
  const out: ReactNode[] = [];
  for (const tok of tokens) {
    const k = out.length;
    if (tok.type === 'math') {
      const m = tok as unknown as MathToken;
      out.push(
        <div key={k} className="md-math-block">
          <MathView tex={m.tex} display />
        </div>,
      );
      continue;
    }
    const t = tok as MarkedToken;
    switch (t.type) {
      case 'space':
      case 'def':
        break;
      case 'paragraph':
        out.push(tight ? inline(t.tokens, ctx) : <p key={k}>{inline(t.tokens, ctx)}</p>);
        break;
      case 'text': {
        const kids = t.tokens ? inline(t.tokens, ctx) : decodeEntities(t.text);
        out.push(tight ? kids : <p key={k}>{kids}</p>);
        break;
      }
      case 'heading': {
        const H = `h${Math.min(Math.max(t.depth, 1), 6)}` as 'h1';
        out.push(
          <H key={k} className="md-heading">
            {inline(t.tokens, ctx)}
          </H>,
        );
        break;
      }
      case 'code': {
        const lang = t.codeBlockStyle === 'indented' ? '' : (t.lang ?? '').split(/\s+/)[0] ?? '';
        const { groups, tail } = codeGroups(t.text, ctx.live);
        out.push(<CodeBlock key={k} lang={lang} groups={groups} count={groups.length} tail={tail} />);
        break;
      }
      case 'blockquote': {
        const d = deeper(ctx);
        out.push(d ? <blockquote key={k}>{blocks(t.tokens, d)}</blockquote> : <TooDeep key={k} raw={t.raw} />);
        break;
      }
      case 'list':
        out.push(listBlock(t, ctx, k));
        break;
      case 'table':
        out.push(tableBlock(t, ctx, k));
        break;
      case 'hr':
        out.push(<hr key={k} />);
        break;
      case 'checkbox':
        out.push(inline([t], ctx));
        break;
      case 'html':
        out.push(
          <p key={k} className="md-raw">
            {t.raw.replace(/\n+$/, '')}
          </p>,
        );
        break;
      default:
        out.push(
          <p key={k} className="md-raw">
            {'raw' in t ? String(t.raw) : ''}
          </p>,
        );
    }
  }
  return out;
}

function listBlock(t: Tokens.List, ctx: Ctx, k: number): ReactNode {
  const d = deeper(ctx);
  if (!d) return <TooDeep key={k} raw={t.raw} />;
  const items = t.items.map((it, i) => listItem(it, i, d));
  const start = typeof t.start === 'number' && t.start !== 1 ? t.start : undefined;
  return t.ordered ? (
    <ol key={k} start={start}>
      {items}
    </ol>
  ) : (
    <ul key={k} className={t.items.some((i) => i.task) ? 'md-task-list' : undefined}>
      {items}
    </ul>
  );
}

function tableBlock(t: Tokens.Table, ctx: Ctx, k: number): ReactNode {
  return (
    <div key={k} className="md-table-wrap">
      <table>
        <thead>
          <tr>
            {t.header.map((c, i) => (
              <th key={i} style={c.align ? { textAlign: c.align } : undefined}>
                {inline(c.tokens, ctx)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {t.rows.map((row, r) => (
            <tr key={r}>
              {row.map((c, i) => (
                <td key={i} style={c.align ? { textAlign: c.align } : undefined}>
                  {inline(c.tokens, ctx)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
