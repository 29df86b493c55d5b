import { describe, expect, it } from 'vitest';
import { ExternalUrl } from './schemas.ts';

describe('ExternalUrl (app.openExternal)', () => {
  it('accepts http(s) and mailto links only', () => {
    for (const ok of ['https://example.com/a?b=1#c', 'http://127.0.0.1:8080/', 'mailto:help@example.com']) expect(ExternalUrl.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', 'ftp://example.com', '/relative', 'not a url', `https://e.com/${'a'.repeat(2048)}`]) {
      expect(ExternalUrl.safeParse(bad).success, bad).toBe(false);
    }
  });
});
