// Hostile nesting in answers: it must neither throw nor take seconds, and the part past the limits is
// shown as the text it is. Rendered with the real marked and KaTeX (server rendering, no browser).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import '../i18n/index.ts';
import { MAX_MATH_DEPTH, MAX_NESTING, tooDeepAt, typeset } from './limits.ts';
import { MarkdownView } from './MarkdownView.tsx';

const html = (text: string) => renderToStaticMarkup(createElement(MarkdownView, { text }));

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

const nestedList = (depth: number) => Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * i)}- item ${i}`).join('\n');

describe('nesting limits', () => {
  it('2,000 nested quotes (2 KB) render as their text instead of overflowing the stack', () => {
    const out = html('>'.repeat(2000) + ' deep');
    expect(out).toContain('&gt;'.repeat(50));
    expect(out).toContain(' deep');
    expect(out).not.toContain('<blockquote>');
  });

  it('quotes up to the limit are quotes; the lines past it are plain text', () => {
    const text = ['> one', '>'.repeat(MAX_NESTING) + ' at the limit', '>'.repeat(MAX_NESTING + 1) + ' past it', 'after'].join('\n');
    expect(tooDeepAt(text)).toBe(text.indexOf('>'.repeat(MAX_NESTING + 1)));
    const out = html(text);
    expect(out.split('<blockquote>').length - 1).toBe(MAX_NESTING);
    expect(out).toContain('at the limit');
    expect(out).toMatch(/<p class="md-raw md-too-deep">(&gt;){21} past it\nafter<\/p>/);
  });

  it('a 1,000-deep nested list (~1 MB) takes well under a second, with its first levels as lists', () => {
    const text = nestedList(1000);
    expect(text.length).toBeGreaterThan(990_000);
    const { value: out, ms } = timed(() => html(text));
    expect(ms).toBeLessThan(1500);
    expect(out.split('<ul>').length - 1).toBe(MAX_NESTING);
    expect(out).toContain('item 999');
  });

  it('ordinary nesting is untouched: a 6-deep list with 4-space indents, quotes in lists', () => {
    const text = Array.from({ length: 6 }, (_, i) => `${' '.repeat(4 * i)}1. level ${i}`).join('\n') + '\n\n- > quoted in a list\n  > more';
    expect(tooDeepAt(text)).toBe(-1);
    const out = html(text);
    expect(out.split('<ol>').length - 1).toBe(6);
    expect(out).toContain('<ul><li><blockquote>');
  });

  it('deep inline emphasis (10 KB of stars) renders as text instead of throwing', () => {
    const text = '*'.repeat(5000) + 'x' + '*'.repeat(5000);
    const out = html(text);
    expect(out).toContain('x');
    expect(out.length).toBeGreaterThan(10_000);
  });

  it('emphasis and links nested past the limit render the rest as text', () => {
    const text = '**a '.repeat(200) + 'core' + ' a**'.repeat(200);
    const out = html(text);
    expect(out).toContain('core');
    expect(out.split('<strong>').length - 1).toBeLessThanOrEqual(MAX_NESTING);
  });
});

describe('math limits', () => {
  const sqrt = (n: number) => '\\sqrt{'.repeat(n) + 'x' + '}'.repeat(n);

  it('typesets ordinary formulas', () => {
    const r = typeset('E = mc^2', false);
    expect(r.kind).toBe('ok');
  });

  it('200 nested roots (which crash Chromium when laid out) are refused before any DOM exists', () => {
    const r = typeset(sqrt(200), false);
    expect(r.kind).toBe('limit');
  });

  it('a formula nested by macros, not braces, is measured on what KaTeX built', () => {
    // Each macro doubles the depth of the one before: the source has no deep braces at all.
    const defs = '\\def\\a#1{\\sqrt{#1}}\\def\\b#1{\\a{\\a{#1}}}\\def\\c#1{\\b{\\b{#1}}}\\def\\d#1{\\c{\\c{#1}}}\\def\\e#1{\\d{\\d{#1}}}\\def\\f#1{\\e{\\e{#1}}}\\def\\g#1{\\f{\\f{#1}}}';
    const r = typeset(`${defs}\\g{\\g{x}}`, true);
    expect(r.kind).toBe('limit');
    expect(MAX_MATH_DEPTH).toBeLessThan(1000);
  });

  it('moderate nesting still typesets (30 roots, 20 fractions)', () => {
    expect(typeset(sqrt(30), false).kind).toBe('ok');
    expect(typeset('\\frac{'.repeat(20) + '1}{2}' + '}{3}'.repeat(19), true).kind).toBe('ok');
  });

  it('a runaway macro is an error KaTeX throws (never a styled error node), quickly', () => {
    const { value: r, ms } = timed(() => typeset('\\def\\a{\\a\\a}\\a', true));
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toMatch(/expansions/i);
    expect(ms).toBeLessThan(500);
  });

  it('an unterminated formula is an error, and 100,000 nested braces do not overflow anything', () => {
    expect(typeset('\\frac{1}{', false).kind).toBe('error');
    expect(typeset('{'.repeat(100_000) + 'x' + '}'.repeat(100_000), false).kind).toBe('limit');
  });
});
