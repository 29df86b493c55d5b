/**
 * Key-shaped test values. They are assembled at run time so the repository never holds a literal
 * that a secret scanner (or a reviewer) would take for a real API key; every value is made up.
 */
export function testKey(prefix: 'ms-' | 'sk-' | 'sk-proj-', body: string): string {
  return prefix + body;
}
