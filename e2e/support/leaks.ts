// Where a key could leak, and how to look for it there: every way the key can be written down, a
// dump of everything the page holds, every file under a directory. Shared by the key-leak tests
// (providers.spec.ts: the settings flow; secrets.spec.ts: every place, errors and crashes included).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
export { keyForms } from '../../test/key-forms.ts';

export const holdsKey = (text: string, forms: string[]) => forms.filter((f) => text.includes(f));

export async function browserState(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const dump: Record<string, unknown> = {};
    dump['html'] = document.documentElement.outerHTML;
    dump['values'] = [...document.querySelectorAll('input, textarea, select')].map((e) => (e as HTMLInputElement).value);
    const store = (s: Storage) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i)!)]));
    dump['localStorage'] = store(localStorage);
    dump['sessionStorage'] = store(sessionStorage);
    const dbs: Record<string, unknown> = {};
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        dbs[`${info.name}/${name}`] = await new Promise((res) => {
          const r = db.transaction(name).objectStore(name).getAll();
          r.onsuccess = () => res(r.result);
          r.onerror = () => res(String(r.error));
        });
      }
      db.close();
    }
    dump['indexedDB'] = dbs;
    dump['caches'] = 'caches' in window ? await caches.keys() : [];
    dump['title'] = document.title;
    dump['url'] = location.href;
    return JSON.stringify(dump);
  });
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}
