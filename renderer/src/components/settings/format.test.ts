import { describe, expect, it } from 'vitest';
import { formatPrice, formatTokens, previewRequestUrl, usableKeys, vaultText } from './format.ts';

describe('settings display helpers', () => {
  it('token counts read like the providers write them', () => {
    expect(formatTokens(131072)).toBe('128K');
    expect(formatTokens(262144)).toBe('256K');
    expect(formatTokens(128000)).toBe('128K');
    expect(formatTokens(161000)).toBe('161K');
    expect(formatTokens(163840)).toBe('160K');
    expect(formatTokens(64000)).toBe('64K');
    expect(formatTokens(66536)).toBe('66.5K');
    expect(formatTokens(512)).toBe('512');
  });

  it('prices drop trailing zeros', () => {
    expect(formatPrice(1.35)).toBe('$1.35');
    expect(formatPrice(4)).toBe('$4');
    expect(formatPrice(0.08)).toBe('$0.08');
  });

  it('the request URL preview matches what main requests, and rejects non-http URLs', () => {
    expect(previewRequestUrl(' https://api.example.com/compatible-mode/v1/ ')).toBe('https://api.example.com/compatible-mode/v1/chat/completions');
    expect(previewRequestUrl('http://localhost:11434/v1')).toBe('http://localhost:11434/v1/chat/completions');
    expect(previewRequestUrl('file:///etc/passwd')).toBeNull();
    expect(previewRequestUrl('localhost:11434')).toBeNull();
    expect(previewRequestUrl('')).toBeNull();
  });

  it('says plainly which key protection applies', () => {
    expect(vaultText('file', true, 'web')).toBe('browserFile');
    expect(vaultText('file (no OS encryption available)', true, 'desktop')).toBe('noOsEncryption');
    expect(vaultText('basic_text', true, 'desktop')).toBe('basicText');
    expect(vaultText('unknown', true, 'desktop')).toBe('weakOther');
    expect(vaultText('gnome_libsecret', false, 'desktop')).toBe('os');
    expect(vaultText('keychain', false, 'desktop')).toBe('os');
  });
});

describe('usable keys', () => {
  it('a key saved for another address or sealed by the other mode does not count; a key that failed with 401 still rotates', () => {
    const keys = [
      { id: 'a', detached: true as const },
      { id: 'b', failure: { code: 'sealed_by_desktop' } },
      { id: 'c', failure: { code: 'undecryptable' } },
      { id: 'd', failure: { code: 'auth_invalid_key' } },
      { id: 'e' },
    ];
    expect(usableKeys(keys).map((k) => k.id)).toEqual(['d', 'e']);
  });
});
