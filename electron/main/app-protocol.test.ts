// Which URLs count as "the app" decides navigation, IPC senders and the clipboard permission, so a
// look-alike host must never pass.
import { describe, expect, it } from 'vitest';
import { isAppUrl } from './app-protocol.ts';

const DEV = 'http://localhost:5173';

describe('isAppUrl', () => {
  it('accepts the app scheme and, in development, the dev server origin', () => {
    expect(isAppUrl('kaiwa://app/index.html', undefined)).toBe(true);
    expect(isAppUrl('kaiwa://app', undefined)).toBe(true);
    expect(isAppUrl('http://localhost:5173/', DEV)).toBe(true);
    expect(isAppUrl('http://localhost:5173/settings?x=1', DEV)).toBe(true);
    expect(isAppUrl('http://localhost:5173/', `${DEV}/`)).toBe(true);
  });

  it('refuses look-alike hosts, other ports, userinfo tricks and other schemes', () => {
    expect(isAppUrl('http://localhost:5173.evil.example/', DEV)).toBe(false);
    expect(isAppUrl('http://localhost:51730/', DEV)).toBe(false);
    expect(isAppUrl('http://localhost:5173@evil.example/', DEV)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', DEV)).toBe(false);
    expect(isAppUrl('kaiwa://app.evil.example/index.html', DEV)).toBe(false);
    expect(isAppUrl('kaiwa://appx/index.html', undefined)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', DEV)).toBe(false);
    expect(isAppUrl('not a url', DEV)).toBe(false);
  });

  it('accepts no dev server URL when none is given', () => {
    expect(isAppUrl('http://localhost:5173/', undefined)).toBe(false);
  });
});
