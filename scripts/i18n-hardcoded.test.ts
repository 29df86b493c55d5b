// Fails when a user-visible string is written into a component instead of a locale file: JSX text
// and the attributes people read or hear (aria-label, title, placeholder, alt, label) must come from
// t(…). The TypeScript parser reads every renderer/src/**/*.tsx, so formatting tricks do not hide
// a string, and t('key') arguments are never mistaken for visible text.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = 'renderer/src';
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext', 'title', 'placeholder', 'alt', 'label']);

/** Text that is the same in every language, each with the reason. Keep this list short. */
const ALLOWED: Record<string, string> = {
  Kaiwa: 'the product name',
  English: 'a language named in its own language (the language picker)',
  日本語: 'a language named in its own language (the language picker)',
  简体中文: 'a language named in its own language (the language picker)',
};

/** Key caps as keyboards print them: "Ctrl+K", "⌘N", "Shift", "F1". */
const KEY_CAPS = /^(?:(?:Ctrl|Cmd|Alt|Shift|Option|Enter|Esc|Tab|Home|End|F\d{1,2}|⌘|⇧|⌥)\+?)+[A-Z0-9]?$/;

export interface Finding {
  line: number;
  text: string;
  where: string;
}

function acceptable(text: string): boolean {
  const t = text.replace(/\s+/g, ' ').trim();
  // Punctuation, symbols and numbers only ("·", "—", "+", "⋯", "1 – 8").
  if (!/\p{L}/u.test(t)) return true;
  // A URL reads the same in every language.
  if (/^https?:\/\/\S+$/.test(t)) return true;
  return t in ALLOWED || KEY_CAPS.test(t);
}

/** The string pieces an expression can render as it is (not those passed to a function such as t()). */
function renderedStrings(e: ts.Expression): ts.Node[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e];
  if (ts.isTemplateExpression(e)) return [e.head, ...e.templateSpans.map((s) => s.literal)];
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) return renderedStrings(e.expression);
  if (ts.isConditionalExpression(e)) return [...renderedStrings(e.whenTrue), ...renderedStrings(e.whenFalse)];
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return renderedStrings(e.right);
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.PlusToken) return [...renderedStrings(e.left), ...renderedStrings(e.right)];
  }
  return [];
}

function literalText(n: ts.Node): string {
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) return n.text;
  return '';
}

/** Every hard-coded visible string in one TSX source. */
export function findHardcoded(source: string, fileName = 'x.tsx'): Finding[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: Finding[] = [];
  const report = (node: ts.Node, text: string, where: string) => {
    if (!acceptable(text)) out.push({ line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: text.trim(), where });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      report(node, node.text, 'text');
    } else if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(sf);
      if (VISIBLE_ATTRIBUTES.has(name) && node.initializer) {
        if (ts.isStringLiteral(node.initializer)) report(node.initializer, node.initializer.text, name);
        else if (ts.isJsxExpression(node.initializer) && node.initializer.expression) {
          for (const s of renderedStrings(node.initializer.expression)) report(s, literalText(s), name);
        }
      }
    } else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      for (const s of renderedStrings(node.expression)) report(s, literalText(s), 'text');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? tsxFiles(p) : d.name.endsWith('.tsx') ? [p] : [];
  });
}

describe('the checker', () => {
  it('finds visible English in JSX text, attributes and rendered expressions', () => {
    const found = findHardcoded(`
      const A = () => (
        <div title="Settings" aria-label={'Close dialog'}>
          Hello there
          <input placeholder={busy ? 'Saving…' : t('x')} />
          {error && 'Something failed'}
          {\`Total: \${n}\`}
          <img alt="logo" />
          <Item label={name ?? 'Unnamed'} />
        </div>
      );`);
    expect(found.map((f) => [f.where, f.text])).toEqual([
      ['title', 'Settings'],
      ['aria-label', 'Close dialog'],
      ['text', 'Hello there'],
      ['placeholder', 'Saving…'],
      ['text', 'Something failed'],
      ['text', 'Total:'],
      ['alt', 'logo'],
      ['label', 'Unnamed'],
    ]);
  });

  it('lets through t() calls, symbols, numbers, key caps, class names and the allowlist', () => {
    const found = findHardcoded(`
      const A = () => (
        <div className="big red" data-x="hello" aria-label={t('a.b')} title={isMac ? '⌘N' : 'Ctrl+N'}>
          {t('chat.send', { name: 'ignored' })} · — {count} / 100 ⋯ ?
          <kbd>Ctrl+Shift+K</kbd> <kbd>F1</kbd> {'+'}
          <span>Kaiwa</span> <option value="ja">日本語</option>
        </div>
      );`);
    expect(found).toEqual([]);
  });
});

describe('renderer components', () => {
  it('show no hard-coded user-visible text (it belongs in i18n/locales)', () => {
    const findings = tsxFiles(ROOT).flatMap((f) => findHardcoded(readFileSync(f, 'utf8'), f).map((x) => `${relative('.', f)}:${x.line} ${x.where}: "${x.text}"`));
    expect(findings).toEqual([]);
  });
});
