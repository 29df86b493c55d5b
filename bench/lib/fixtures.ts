// The benchmark's inputs, generated from a seed: a ~100 KB answer with English and
// Japanese prose, nested lists, a 30-row table, math and one ~1,000-line TypeScript fence in the
// middle; its 10/25/50 KB prefixes; and long conversations. The answer is committed
// (bench/fixtures/answer.md, written by bench/generate-fixtures.ts) and checked against this
// generator; conversations are generated when the bench runs (message i depends only on the seed
// and i, so the 100-message conversation is the start of the 1,000-message one).
import { rng, subSeed, type Rng } from './prng.ts';

export const ANSWER_SEED = 20_250_606;
export const CONVERSATION_SEED = 60_606;
export const KB = 1024;
/** Target size of the answer in UTF-8 bytes. */
export const ANSWER_BYTES = 100 * KB;
export const PREFIX_KB = [10, 25, 50, 100] as const;
/** A token is about 4 characters (the bench's own rule of thumb): one streamed chunk carries one token. */
export const CHARS_PER_TOKEN = 4;

// -- prose ----------------------------------------------------------------------------------------

const EN_SUBJECTS = [
  'The scanner', 'Each finished block', 'The open block', 'A long fence', 'The batcher', 'The message list', 'The parser',
  'Every delta', 'The renderer', 'The virtualiser', 'A streaming answer', 'The history store', 'The highlighter', 'This approach',
];
const EN_VERBS = [
  'keeps', 'splits', 'renders', 'measures', 'coalesces', 'appends', 're-lexes', 'skips', 'highlights', 'checkpoints', 'reports', 'caches',
];
const EN_OBJECTS = [
  'only the new text', 'the tail of the document', 'one block per frame', 'the lines after the last group', 'a window of rows',
  'the sequence number', 'every completed group', 'the text that arrived in this frame', 'the final answer once', 'a copy of nothing',
  'the boundary between two chunks', 'the width of the viewport', 'the cost of a frame', 'the list of blocks',
];
const EN_TAILS = [
  'so the work per chunk stays flat', 'which keeps frames under budget', 'even when the answer is very long',
  'without touching the finished blocks', 'as long as the reader stays at the bottom', 'before the next animation frame',
  'and nothing else', 'while the user keeps typing', 'instead of the whole message', 'at the cost of a little memory',
];
const EN_LINKS = ['https://example.com/docs/streaming', 'https://example.org/markdown/spec#blocks', 'https://example.net/perf?tab=frames'];

function enSentence(r: Rng): string {
  let s = `${r.pick(EN_SUBJECTS)} ${r.pick(EN_VERBS)} ${r.pick(EN_OBJECTS)}`;
  if (r.chance(0.6)) s += `, ${r.pick(EN_TAILS)}`;
  const x = r.next();
  if (x < 0.12) s += ` (see \`${r.pick(['push()', 'flush()', 'scanAll', 'LiveDoc', 'FRAME_MS', 'GROUP_LINES'])}\`)`;
  else if (x < 0.2) s += ` — **${r.pick(['always', 'never', 'only once', 'per frame'])}**`;
  else if (x < 0.26) s += ` ([details](${r.pick(EN_LINKS)}))`;
  else if (x < 0.32) s += `, with cost $O(${r.pick(['n', '1', 'k', 'n \\log n'])})$ per ${r.pick(['chunk', 'frame', 'line'])}`;
  else if (x < 0.36) s += ` and *${r.pick(['usually', 'rarely', 'eventually'])}* more`;
  return `${s}.`;
}

function enParagraph(r: Rng, sentences = r.int(3, 7)): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(enSentence(r));
  return out.join(' ');
}

const JA_TOPICS = ['この関数', 'スキャナー', '完成したブロック', '末尾のブロック', '長いコードブロック', 'メッセージ一覧', '差分', 'レンダラー', '履歴ストア', '仮想スクロール'];
const JA_ACTIONS = [
  '新しく届いた文字列だけを解析します', '一度だけ描画され、その後は再利用されます', 'フレームごとに一回だけ更新されます',
  '三十二行ずつのグループに分けて表示します', '画面に見えている行だけを保持します', '一秒に一回ほどデータベースへ保存されます',
  '全体をコピーせずに末尾へ追加します', 'ブラウザの描画が追いつくまで待ちます', 'キー入力を妨げないように処理されます',
];
const JA_CONNECTORS = ['そのため、', 'また、', 'ただし、', 'つまり、', '一方で、', 'さらに、', ''];
const JA_REASONS = [
  '回答が長くなっても一チャンクあたりの処理時間はほとんど変わりません', '古いブロックを毎回作り直す必要はありません',
  '利用者が入力している文字はすぐに表示されます', '十万文字の回答でも画面は固まりません', '最後に全文を一度描画するのと大差ない負荷で済みます',
];

function jaSentence(r: Rng): string {
  const c = r.pick(JA_CONNECTORS);
  if (r.chance(0.5)) return `${c}${r.pick(JA_TOPICS)}は${r.pick(JA_ACTIONS)}。`;
  return `${c}${r.pick(JA_REASONS)}。`;
}

function jaParagraph(r: Rng, sentences = r.int(3, 6)): string {
  let s = '';
  for (let i = 0; i < sentences; i++) s += jaSentence(r);
  if (r.chance(0.3)) s += `計算量は $O(${r.pick(['n', '1', 'k'])})$ です。`;
  return s;
}

function heading(r: Rng, level: number, ja: boolean): string {
  const en = ['How the tail is kept small', 'Finished blocks', 'Frames and batching', 'Where the time goes', 'Long code fences', 'Measuring paint', 'Lists and tables', 'Math in answers'];
  const jp = ['ストリーミング描画の仕組み', '完成したブロック', 'フレームと差分', '処理時間の内訳', '長いコードブロック', '表と箇条書き', '数式の表示'];
  return `${'#'.repeat(level)} ${r.pick(ja ? jp : en)}`;
}

function nestedList(r: Rng): string {
  const lines: string[] = [];
  const ordered = r.chance(0.4);
  const items = r.int(3, 6);
  for (let i = 0; i < items; i++) {
    const marker = ordered ? `${i + 1}.` : '-';
    const ja = r.chance(0.3);
    lines.push(`${marker} ${ja ? jaSentence(r) : enSentence(r)}`);
    const pad = ' '.repeat(marker.length + 1);
    if (r.chance(0.6)) {
      const sub = r.int(1, 3);
      for (let j = 0; j < sub; j++) {
        const task = r.chance(0.2) ? `[${r.chance(0.5) ? 'x' : ' '}] ` : '';
        lines.push(`${pad}- ${task}${r.chance(0.3) ? jaSentence(r) : enSentence(r)}`);
        if (r.chance(0.35)) lines.push(`${pad}  1. ${enSentence(r)}`, `${pad}  2. ${jaSentence(r)}`);
      }
    }
  }
  return lines.join('\n');
}

function table(r: Rng, rows: number): string {
  const head = '| # | Component | Work per chunk | 説明 | Cost (ms) | Status |';
  const rule = '|--:|:----------|:---------------|:-----|----------:|:------:|';
  const comps = ['SseParser', 'DeltaBatcher', 'LiveMessage', 'LiveDoc', 'BlockScanner', 'CodeGroup', 'MathView', 'MessageList', 'Composer'];
  const work = ['new text only', 'one block', 'one group of lines', 'a push', 'one join per frame', 'visible rows', 'nothing'];
  const jp = ['差分のみ', '一ブロック', '三十二行', '末尾だけ', '見える行のみ', 'なし'];
  const out = [head, rule];
  for (let i = 1; i <= rows; i++) {
    const cost = (r.next() * 3).toFixed(2);
    out.push(`| ${i} | \`${r.pick(comps)}\` | ${r.pick(work)} | ${r.pick(jp)} | ${cost} | ${r.pick(['✓', '✗', '~'])} |`);
  }
  return out.join('\n');
}

const DISPLAY_MATH = [
  '\\sum_{i=1}^{n} c_i = O(n), \\qquad T_{\\text{frame}} \\le 16.7\\,\\text{ms}',
  '\\int_0^1 x^2\\,dx = \\frac{1}{3}',
  '\\text{slope} = \\frac{\\log t_{100} - \\log t_{10}}{\\log 100 - \\log 10}',
  'p_{95} = \\inf\\{\\, x : F(x) \\ge 0.95 \\,\\}',
  '\\begin{aligned} a &= b + c \\\\ d &= \\sqrt{a^2 + b^2} \\end{aligned}',
  'f(x) = \\begin{cases} x^2 & x \\ge 0 \\\\ -x & x < 0 \\end{cases}',
];

function displayMath(r: Rng): string {
  return ['$$', r.pick(DISPLAY_MATH), '$$'].join('\n');
}

function quote(r: Rng): string {
  return `> ${enSentence(r)}\n> ${jaSentence(r)}`;
}

// -- TypeScript --------------------------------------------------------------------------------------

const TS_NAMES = ['chunk', 'block', 'frame', 'delta', 'group', 'line', 'row', 'message', 'stream', 'scanner', 'buffer', 'token', 'width', 'offset'];
const TS_TYPES = ['string', 'number', 'boolean', 'readonly string[]', 'Map<string, number>', 'Block | null', 'Promise<void>', 'Uint8Array'];

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

function tsUnit(r: Rng, n: number): string[] {
  const a = r.pick(TS_NAMES);
  const b = r.pick(TS_NAMES);
  const A = cap(a);
  const B = cap(b);
  switch (r.int(0, 6)) {
    case 0:
      return [
        `/**`,
        ` * ${enSentence(r)}`,
        ` * ${enSentence(r)}`,
        ` */`,
        `export interface ${A}${B}State${n} {`,
        `  ${a}: ${r.pick(TS_TYPES)};`,
        `  ${b}Count: number;`,
        `  /** ${jaSentence(r)} */`,
        `  ${a}${B}?: ${r.pick(TS_TYPES)};`,
        `  readonly id: \`${a}-\${number}\`;`,
        `}`,
        ``,
      ];
    case 1:
      return [
        `export function ${a}${B}${n}(${a}s: readonly ${A}[], limit = ${r.int(2, 64)}): ${A}[] {`,
        `  const out: ${A}[] = [];`,
        `  for (let i = 0; i < ${a}s.length && out.length < limit; i++) {`,
        `    const ${a} = ${a}s[i]!;`,
        `    // ${enSentence(r)}`,
        `    if (${a}.${b}Count > ${r.int(0, 99)} || ${a}.label === '${r.pick(['open', 'done', 'tail'])}') continue;`,
        `    out.push({ ...${a}, ${b}Count: ${a}.${b}Count + 1 });`,
        `  }`,
        `  return out;`,
        `}`,
        ``,
      ];
    case 2:
      return [
        `export class ${A}${B}Cache${n}<T extends { key: string }> {`,
        `  private readonly items = new Map<string, T>();`,
        `  private hits = 0;`,
        ``,
        `  get(key: string): T | undefined {`,
        `    const v = this.items.get(key);`,
        `    if (v !== undefined) this.hits++;`,
        `    return v;`,
        `  }`,
        ``,
        `  set(value: T): void {`,
        `    /* ${enSentence(r)} */`,
        `    if (this.items.size >= ${r.int(16, 512)}) this.items.delete(this.items.keys().next().value!);`,
        `    this.items.set(value.key, value);`,
        `  }`,
        `}`,
        ``,
      ];
    case 3:
      return [
        `const ${a.toUpperCase()}_${b.toUpperCase()}_${n} = /^(?:${a}|${b})-(\\d{1,${r.int(2, 9)}})$/u;`,
        `export const ${a}Labels${n}: Record<string, string> = {`,
        `  ${a}: '${r.pick(JA_TOPICS)}',`,
        `  ${b}: "${enSentence(r).replace(/"/g, "'")}",`,
        `  escaped: 'it\\'s a \\\\ path\\n',`,
        `};`,
        ``,
      ];
    case 4:
      return [
        `export async function load${A}${n}(url: string, signal?: AbortSignal): Promise<${A}${B}Result> {`,
        `  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });`,
        `  if (!res.ok) throw new Error(\`load${A}: \${res.status} \${res.statusText}\`);`,
        `  const body = (await res.json()) as { ${a}s?: unknown[]; next?: string | null };`,
        `  return {`,
        `    ${a}s: Array.isArray(body.${a}s) ? body.${a}s.length : 0,`,
        `    next: body.next ?? null,`,
        `    at: Date.now() - ${r.int(0, 9999)},`,
        `  };`,
        `}`,
        ``,
      ];
    case 5:
      return [
        `/*`,
        ` * ${enSentence(r)}`,
        ` * ${jaSentence(r)}`,
        ` * ${enSentence(r)}`,
        ` */`,
        `type ${A}${B}Result = { ${a}s: number; next: string | null; at: number };`,
        `export type ${A}Event${n} =`,
        `  | { kind: '${a}'; value: ${r.pick(TS_TYPES)} }`,
        `  | { kind: '${b}'; value: ${r.pick(TS_TYPES)}; at: number };`,
        ``,
      ];
    default:
      return [
        `export const ${a}${B}Handler${n} = (event: { type: string; detail?: number }) => {`,
        `  switch (event.type) {`,
        `    case '${a}':`,
        `      return (event.detail ?? 0) * ${r.int(2, 16)} + ${r.int(0, 255)};`,
        `    case '${b}':`,
        `      return Math.max(0, (event.detail ?? 0) - ${r.int(1, 50)});`,
        `    default:`,
        `      return -1; // ${enSentence(r)}`,
        `  }`,
        `};`,
        ``,
      ];
  }
}

/** About `lines` lines of TypeScript (whole units, so the count is approximate). */
export function typescriptFence(r: Rng, lines: number): string {
  const out: string[] = [`import { readFile } from 'node:fs/promises';`, `import type { Block } from './scanner.ts';`, ``];
  let n = 0;
  while (out.length < lines) out.push(...tsUnit(r, n++));
  return ['```ts', ...out, '```'].join('\n');
}

// -- the answer ----------------------------------------------------------------------------------

function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** One section of prose: a heading and a mix of paragraphs, lists, math and quotes. */
function section(r: Rng, withTable: boolean): string[] {
  const ja = r.chance(0.4);
  const blocks = [heading(r, r.chance(0.3) ? 3 : 2, ja)];
  const n = r.int(4, 8);
  for (let i = 0; i < n; i++) {
    const x = r.next();
    if (x < 0.35) blocks.push(enParagraph(r));
    else if (x < 0.6) blocks.push(jaParagraph(r));
    else if (x < 0.78) blocks.push(nestedList(r));
    else if (x < 0.88) blocks.push(displayMath(r));
    else blocks.push(quote(r));
  }
  if (withTable) blocks.splice(2, 0, `${enSentence(r)} ${jaSentence(r)}`, table(r, 30));
  return blocks;
}

/**
 * The ~100 KB answer: prose sections (the 30-row table in the second one) up to about 30% of the
 * size, the ~1,000-line TypeScript fence, then prose again up to ANSWER_BYTES.
 */
export function generateAnswer(seed = ANSWER_SEED): string {
  const r = rng(seed);
  const blocks: string[] = [`# ${'Streaming a very long answer'} — 長い回答のストリーミング`, enParagraph(r, 4), jaParagraph(r, 4)];
  let size = utf8Bytes(blocks.join('\n\n'));
  let sections = 0;
  while (size < ANSWER_BYTES * 0.3) {
    const s = section(r, sections === 1);
    sections++;
    blocks.push(...s);
    size += utf8Bytes(s.join('\n\n')) + 2 * s.length;
  }
  blocks.push(`${enSentence(r)} Here is the whole module:`);
  const fence = typescriptFence(r, 1000);
  blocks.push(fence);
  size = utf8Bytes(blocks.join('\n\n'));
  while (size < ANSWER_BYTES) {
    const b = r.chance(0.15) ? heading(r, 2, r.chance(0.4)) : r.chance(0.5) ? enParagraph(r) : r.chance(0.5) ? jaParagraph(r) : r.chance(0.6) ? nestedList(r) : displayMath(r);
    blocks.push(b);
    size += utf8Bytes(b) + 2;
  }
  return blocks.join('\n\n') + '\n';
}

/** The longest prefix of `text` that is at most `bytes` long in UTF-8 (never splits a character). */
export function prefixBytes(text: string, bytes: number): string {
  let n = 0;
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n + len > bytes) break;
    n += len;
    i += ch.length;
  }
  return text.slice(0, i);
}

/** Fixed chunk boundaries: CHARS_PER_TOKEN characters (code points) per chunk. */
export function chunkText(text: string, size = CHARS_PER_TOKEN): string[] {
  const out: string[] = [];
  let cur = '';
  let n = 0;
  for (const ch of text) {
    cur += ch;
    if (++n === size) {
      out.push(cur);
      cur = '';
      n = 0;
    }
  }
  if (cur) out.push(cur);
  return out;
}

// -- conversations ----------------------------------------------------------------------------------

function smallFence(r: Rng): string {
  const lang = r.pick(['ts', 'python', 'bash', 'json']);
  const lines: string[] = [];
  const n = r.int(4, 24);
  for (let i = 0; i < n; i++) {
    const name = r.pick(TS_NAMES);
    if (lang === 'python') lines.push(i === 0 ? `def ${name}_${i}(items):` : `    ${name} = [x for x in items if x > ${r.int(0, 99)}]  # ${r.pick(EN_TAILS)}`);
    else if (lang === 'bash') lines.push(`${r.pick(['npm run', 'node', 'grep -rn', 'echo'])} ${name}-${r.int(1, 99)} ${r.chance(0.3) ? '| sort | uniq -c' : ''}`.trimEnd());
    else if (lang === 'json') lines.push(i === 0 ? '{' : i === n - 1 ? '}' : `  "${name}${i}": ${r.chance(0.5) ? r.int(0, 1000) : `"${r.pick(JA_TOPICS)}"`}${i < n - 2 ? ',' : ''}`);
    else lines.push(`const ${name}${i} = ${r.pick(['await load(url)', `${r.int(0, 999)}`, `'${r.pick(JA_TOPICS)}'`, `items.filter((x) => x.${name} > ${r.int(0, 9)})`])};`);
  }
  return ['```' + lang, ...lines, '```'].join('\n');
}

/** Message i of a generated conversation: even = user, odd = assistant. Depends only on (seed, i). */
export function conversationMessage(i: number, seed = CONVERSATION_SEED): string {
  const r = rng(subSeed(seed, i));
  if (i % 2 === 0) {
    const ja = r.chance(0.35);
    let q = ja ? `${r.pick(JA_TOPICS)}について質問です。${jaSentence(r)}` : `Question ${i}: ${enSentence(r)} ${r.chance(0.5) ? enSentence(r) : ''}`.trimEnd();
    if (r.chance(0.1)) q += `\n\n${smallFence(r)}`;
    return q;
  }
  const blocks: string[] = [];
  const n = r.int(1, 6);
  for (let k = 0; k < n; k++) {
    const x = r.next();
    if (x < 0.4) blocks.push(enParagraph(r, r.int(1, 5)));
    else if (x < 0.6) blocks.push(jaParagraph(r, r.int(1, 4)));
    else if (x < 0.75) blocks.push(nestedList(r));
    else if (x < 0.88) blocks.push(smallFence(r));
    else if (x < 0.94) blocks.push(table(r, r.int(3, 6)));
    else blocks.push(displayMath(r));
  }
  return blocks.join('\n\n');
}

export function generateConversation(messages: number, seed = CONVERSATION_SEED): string[] {
  const out: string[] = [];
  for (let i = 0; i < messages; i++) out.push(conversationMessage(i, seed));
  return out;
}
