// What the link dialog names as a link's destination, from the URL safeHref normalised.
import { describe, expect, it } from 'vitest';
import { linkTarget, safeHref } from './text.ts';

describe('linkTarget', () => {
  it('names the host after "@", and calls what is before it a user name', () => {
    const t = linkTarget(safeHref('https://accounts.google.com@127.0.0.1:18788/login')!);
    expect(t).toEqual({ host: '127.0.0.1', port: '18788', user: 'accounts.google.com', idn: false, mail: false });
  });

  it('shows an international host as punycode and says so', () => {
    const t = linkTarget(safeHref('https://\u0430pple.com/id')!);
    expect(t?.host).toBe('xn--pple-43d.com');
    expect(t?.idn).toBe(true);
  });

  it('never shows a password; a plain link has no warnings; mailto names the recipient', () => {
    expect(linkTarget('https://user:hunter2@example.com/')?.user).toBe('user:…');
    expect(linkTarget('https://example.com/a')).toEqual({ host: 'example.com', port: '', user: '', idn: false, mail: false });
    expect(linkTarget('mailto:help@example.com')).toMatchObject({ host: 'help@example.com', mail: true });
  });
});
