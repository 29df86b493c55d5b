// A conversation as Markdown, for reading in any Markdown viewer: the branch that was shown, each
// message under a heading, the model's reasoning folded in a <details> block above its answer.
//
// The file should render like the app renders the conversation:
//  - answers are Markdown already (code, math with $…$, tables) and go in as they are, except that
//    raw HTML is escaped (the app shows it as text, and a viewer must not run it) and a code fence
//    left open by a cut-off answer is closed, so it cannot swallow the rest of the file;
//  - what the user typed is shown exactly as typed in the app, so it is escaped here: `2*3*4`
//    stays `2*3*4`, line breaks stay line breaks.
import type { ToolCall } from '../../contract/index.ts';
import type { ConversationFile, ExportedMessage } from './conversation.ts';
import { activeBranch } from './conversation.ts';

export interface MarkdownLabels {
  user: string;
  assistant: string;
  thinking: string;
  systemPrompt: string;
  untitled: string;
  tool?: string;
  toolArguments?: string;
  toolResult?: string;
}

export const ENGLISH_LABELS: Required<MarkdownLabels> = {
  user: 'You',
  assistant: 'Assistant',
  thinking: 'Thinking',
  systemPrompt: 'System prompt',
  untitled: 'New conversation',
  tool: 'Tool',
  toolArguments: 'Arguments',
  toolResult: 'Result',
};

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** Escapes what CommonMark would read as markup in text that is meant literally. */
export function escapePlain(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      let l = line.replace(/[\\`*_[\]<>#|~$&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
      // Line starts that would become a list, a quote, a heading underline or a thematic break.
      l = l.replace(/^(\s*)([-+=])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
      // Leading spaces would make an indented code block; non-breaking spaces keep the indent visible.
      l = l.replace(/^ +/, (s) => '\u00a0'.repeat(s.length));
      return l;
    })
    .map((l, i, all) => (i < all.length - 1 && l !== '' && all[i + 1] !== '' ? `${l}  ` : l))
    .join('\n');
}

/**
 * `<` and `&` outside code and math become entities, so raw HTML in model output is shown, not
 * interpreted. Code spans and `$…$` math are left alone: they are not HTML in any viewer.
 */
function escapeHtmlOutsideCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const rest = line.slice(i);
    const at = rest.search(/[`$]/);
    if (at === -1) {
      out += escapeHtmlText(rest);
      break;
    }
    out += escapeHtmlText(rest.slice(0, at));
    const start = i + at;
    const run = /^(`+|\$+)/.exec(line.slice(start))![0];
    const close = line.indexOf(run, start + run.length);
    const inner = close === -1 ? '' : line.slice(start + run.length, close);
    const closes = close !== -1 && line[close + run.length] !== run[0] && (run[0] === '`' || (inner.trim() === inner && inner !== ''));
    if (closes) {
      out += line.slice(start, close + run.length);
      i = close + run.length;
    } else {
      out += run;
      i = start + run.length;
    }
  }
  return out;
}

function escapeHtmlText(s: string): string {
  // `&` only when it would start an entity; a lone "&" renders as itself.
  return s.replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;').replace(/</g, '&lt;');
}

/**
 * Model Markdown made safe to embed: HTML escaped outside code, and a fence the answer left open
 * (stopped or cut off mid-code) closed at the end.
 */
export function embedMarkdown(text: string): string {
  const lines = text.split(/\r?\n/);
  let fence: { char: string; len: number } | null = null;
  let math = false;
  const out = lines.map((line) => {
    const m = FENCE.exec(line);
    const t = line.trim();
    if (fence) {
      if (m && m[1]![0] === fence.char && m[1]!.length >= fence.len && m[2]!.trim() === '') fence = null;
      return line;
    }
    if (math) {
      if (t.endsWith('$$')) math = false;
      return line;
    }
    if (m && !(m[1]![0] === '`' && m[2]!.includes('`'))) {
      fence = { char: m[1]![0]!, len: m[1]!.length };
      return line;
    }
    if (t.startsWith('$$') && !(t.length >= 4 && t.endsWith('$$'))) {
      math = true;
      return line;
    }
    return escapeHtmlOutsideCode(line);
  });
  const open = fence as { char: string; len: number } | null;
  if (open) out.push(open.char.repeat(open.len));
  else if (math) out.push('$$');
  return out.join('\n').trim();
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function conversationToMarkdown(file: ConversationFile, labels: MarkdownLabels = ENGLISH_LABELS): string {
  const out: string[] = [];
  out.push(`# ${escapePlain(file.conversation.title.replace(/\s+/g, ' ').trim() || labels.untitled)}`, '');
  if (file.conversation.systemPrompt.trim()) {
    out.push(`## ${escapePlain(labels.systemPrompt)}`, '', escapePlain(file.conversation.systemPrompt.trim()), '');
  }
  for (const m of activeBranch(file)) {
    out.push('---', '');
    if (m.role === 'user') {
      out.push(`## ${escapePlain(labels.user)}`, '', escapePlain(m.content.trim()), '');
      continue;
    }
    out.push(`## ${escapePlain(labels.assistant)}${m.modelId ? ` · ${escapePlain(m.modelId)}` : ''}`, '');
    if (m.reasoning.trim()) {
      // Blank lines around the inner text make viewers render it as Markdown inside the HTML block.
      out.push('<details>', `<summary>${escapeHtml(labels.thinking)}</summary>`, '', embedMarkdown(m.reasoning), '', '</details>', '');
    }
    out.push(...toolRounds(m, { ...ENGLISH_LABELS, ...labels }));
    if (m.content.trim()) out.push(embedMarkdown(m.content), '');
  }
  return `${out.join('\n').trim()}\n`;
}

/** A fence long enough that nothing inside can close it. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((r) => r[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

/**
 * Tool rounds as the app shows them: what the model wrote before a round, then that round's calls,
 * each folded with its arguments and result (or error). Calls that never ran are listed the same way.
 */
function toolRounds(m: ExportedMessage, labels: Required<MarkdownLabels>): string[] {
  const calls = m.toolCalls ?? [];
  const texts = m.roundTexts ?? [];
  if (!calls.length && !texts.length) return [];
  const out: string[] = [];
  const rounds = Math.max(texts.length, ...calls.map((c) => (c.round ?? -1) + 1));
  const call = (c: ToolCall) => {
    out.push('<details>', `<summary>${escapeHtml(labels.tool)}: ${escapeHtml(c.name || '?')}</summary>`, '');
    out.push(`${escapePlain(labels.toolArguments)}:`, '', fenced(c.arguments || '{}', 'json'), '');
    const result = c.error ? `${c.error.code}: ${c.error.message}` : c.result;
    if (result !== undefined) out.push(`${escapePlain(labels.toolResult)}:`, '', fenced(result), '');
    out.push('</details>', '');
  };
  for (let r = 0; r < rounds; r++) {
    if (texts[r]?.trim()) out.push(embedMarkdown(texts[r]!), '');
    for (const c of calls) if (c.round === r) call(c);
  }
  for (const c of calls) if (c.round === undefined) call(c);
  return out;
}
