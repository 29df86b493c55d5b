// The test suite's own idea of how a key can be written down (independent of log.ts's redaction).
/**
 * Every way the key could be written down: raw, upper- and lower-cased, URL-encoded (`%20` and `+`),
 * JSON-escaped, base64 (any alignment, url-safe too), hex. Base64 fragments shorter than six
 * characters are left out: for a short key they would match unrelated text.
 */
export function keyForms(key: string): string[] {
  const raw = Buffer.from(key, 'utf8');
  const json = JSON.stringify(key).slice(1, -1);
  const forms = new Set<string>([
    key,
    key.toUpperCase(),
    key.toLowerCase(),
    encodeURIComponent(key),
    encodeURIComponent(key).replace(/%20/g, '+'),
    json,
    raw.toString('hex'),
    raw.toString('hex').toUpperCase(),
  ]);
  for (let offset = 0; offset < 3; offset++) {
    // Base64 of the key embedded after `offset` other bytes: keep only the characters that depend on the key alone.
    const b64 = Buffer.concat([Buffer.alloc(offset, 0x41), raw]).toString('base64').replace(/=+$/, '');
    const core = b64.slice(Math.ceil((offset * 4) / 3) + 1, b64.length - 2);
    if (core.length < 6) continue;
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}
