// Fails when a translation is missing or is an English copy. The locale files of each language are
// merged as i18n/index.ts merges them (one file per feature, top-level key = feature), flattened to
// dotted keys, and compared: same keys (plural forms aside: Japanese and Chinese have only "other"),
// the same {{placeholders}}, and no sentence left in English in ja or zh.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = 'renderer/src/i18n/locales';
const LANGS = ['en', 'ja', 'zh'] as const;

/** Values that are rightly the same in English, Japanese and Chinese, with the reason. */
const SAME_IN_EVERY_LANGUAGE: Record<string, string> = {
  'Top P': 'the sampling parameter as the provider documentation names it',
};

type Flat = Map<string, string>;

function flatten(o: unknown, prefix: string, out: Flat): void {
  if (typeof o === 'string') out.set(prefix, o);
  else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
}

export function load(lang: string, dir = DIR): Flat {
  const out: Flat = new Map();
  const seen = new Map<string, string>();
  for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json')).sort()) {
    const tree = JSON.parse(readFileSync(join(dir, lang, file), 'utf8')) as Record<string, unknown>;
    for (const [top, value] of Object.entries(tree)) {
      if (seen.has(top)) throw new Error(`${lang}: top-level key "${top}" is in both ${seen.get(top)} and ${file}`);
      seen.set(top, file);
      flatten(value, top, out);
    }
  }
  return out;
}

/** "x_one" / "x_other" are forms of one key "x". */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!).sort();

/** Words a reader would read, once placeholders, URLs, markup and file-ish tokens are removed. */
export function sentenceLike(value: string): boolean {
  const t = value
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .trim();
  const words = t.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w));
  return words.length >= 2 || /\p{L}{2,}[.!?…:]$/u.test(t);
}

function keysOf(flat: Flat): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const k of flat.keys()) m.set(base(k), [...(m.get(base(k)) ?? []), k]);
  return m;
}

describe('the checks', () => {
  it('tell a sentence from a name', () => {
    expect(sentenceLike('Send the message')).toBe(true);
    expect(sentenceLike('Saved.')).toBe(true);
    expect(sentenceLike('Base URL')).toBe(true);
    expect(sentenceLike('Kaiwa')).toBe(false);
    expect(sentenceLike('Qwen/Qwen3-235B-A22B-Instruct-2507')).toBe(false);
    expect(sentenceLike('http://proxy.example.com:8080')).toBe(false);
    expect(sentenceLike('{{provider}} · {{model}}')).toBe(false);
  });
});

describe('locale files', () => {
  const all = Object.fromEntries(LANGS.map((l) => [l, load(l)])) as Record<(typeof LANGS)[number], Flat>;
  const en = all.en;
  const enKeys = keysOf(en);

  it.each(['ja', 'zh'] as const)('%s has exactly the keys English has', (lang) => {
    const keys = keysOf(all[lang]);
    const missing = [...enKeys.keys()].filter((k) => !keys.has(k));
    const extra = [...keys.keys()].filter((k) => !enKeys.has(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(['ja', 'zh'] as const)('%s uses the same {{placeholders}} as English', (lang) => {
    const wrong: string[] = [];
    for (const [k, forms] of keysOf(all[lang])) {
      const enForms = enKeys.get(k) ?? [];
      const want = [...new Set(enForms.flatMap((f) => placeholders(en.get(f)!)))].sort();
      const have = [...new Set(forms.flatMap((f) => placeholders(all[lang].get(f)!)))].sort();
      if (want.join() !== have.join()) wrong.push(`${k}: ${have.join(',')} ≠ ${want.join(',')}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(['ja', 'zh'] as const)('%s has no sentence left in English', (lang) => {
    const copies: string[] = [];
    for (const [k, v] of all[lang]) {
      const english = en.get(k) ?? en.get(`${base(k)}_other`);
      if (english === v && sentenceLike(v) && !(v in SAME_IN_EVERY_LANGUAGE)) copies.push(`${k}: "${v}"`);
    }
    expect(copies).toEqual([]);
  });
});
