import { randomBytes } from 'node:crypto';

/** Sortable-enough, URL-safe ids: time prefix keeps inserts roughly ordered in indexes. */
export function newId(prefix = ''): string {
  return prefix + Date.now().toString(36) + randomBytes(6).toString('hex');
}
