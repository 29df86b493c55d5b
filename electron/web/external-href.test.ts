// Browser mode opens links with the desktop's opener (xdg-open, open, explorer): what reaches that
// program is checked and normalised here, whatever string the page sent.
import { describe, expect, it } from 'vitest';
import { externalHref } from './main.ts';

describe('externalHref (browser mode openExternal)', () => {
  it('passes http(s) and mailto links on in their normalised form', () => {
    expect(externalHref('https://modelscope.cn/my/myaccesstoken')).toBe('https://modelscope.cn/my/myaccesstoken');
    expect(externalHref('HTTP://Example.COM/a b?q=1')).toBe('http://example.com/a%20b?q=1');
    expect(externalHref('  https://example.com/x\n')).toBe('https://example.com/x');
    expect(externalHref('mailto:help@example.com')).toBe('mailto:help@example.com');
  });

  it('refuses every other scheme and anything that is not a URL (an option for the opener included)', () => {
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ssh://host', 'data:text/html,x', '--help', '-e https://example.com', 'not a url', '']) {
      expect(() => externalHref(bad), bad).toThrow();
    }
  });
});
