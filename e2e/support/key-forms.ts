// The test suite's own idea of how a key can be written down (independent of log.ts's redaction).
/** Every way the key could be written down: raw, base64 (any alignment, url-safe too), hex. */
export function keyForms(key: string): string[] {
  const raw = Buffer.from(key, 'utf8');
  const forms = new Set<string>([key, raw.toString('hex'), raw.toString('hex').toUpperCase()]);
  for (let offset = 0; offset < 3; offset++) {
    // Base64 of the key embedded after `offset` other bytes: keep only the characters that depend on the key alone.
    const b64 = Buffer.concat([Buffer.alloc(offset, 0x41), raw]).toString('base64').replace(/=+$/, '');
    const core = b64.slice(Math.ceil((offset * 4) / 3) + 1, b64.length - 2);
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}
