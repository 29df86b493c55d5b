// Small pure helpers for untrusted text: which link targets may be opened, and HTML entities that
// marked leaves in text (it expects its HTML output to be parsed by a browser, which ours never is).

const OPENABLE = new Set(['http:', 'https:', 'mailto:']);

/**
 * The URL a link may open, normalised (so the confirmation shows exactly what will be opened, with
 * punycode for look-alike hosts), or null: relative links, javascript:, data:, vbscript:, file: and
 * every other scheme are inert.
 */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:"); URL does too.
  let u: URL;
  try {
    u = new URL(href.trim());
  } catch {
    return null;
  }
  if (!OPENABLE.has(u.protocol)) return null;
  if (u.protocol !== 'mailto:' && !u.hostname) return null;
  if (u.href.length > 2048) return null;
  return u.href;
}

export interface LinkTarget {
  /** Where the link really goes: the host name as it will be looked up (punycode), or the mail recipient. */
  host: string;
  port: string;
  /** A user name (and password) before "@" in the address: text that can pose as a host. */
  user: string;
  /** The host has international labels (shown as punycode, "xn--"). */
  idn: boolean;
  mail: boolean;
}

/** What the link dialog names before the full URL: the real host, and the parts that can disguise it. */
export function linkTarget(url: string): LinkTarget | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol === 'mailto:') return { host: u.pathname, port: '', user: '', idn: false, mail: true };
  // As in the URL (percent-encoded): decoding could bring back the look-alike characters.
  const user = u.username + (u.password ? ':…' : '');
  return { host: u.hostname, port: u.port, user, idn: u.hostname.split('.').some((l) => l.startsWith('xn--')), mail: false };
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«',
  raquo: '»', middot: '·', bull: '•', times: '×', divide: '÷', deg: '°', plusmn: '±', micro: 'µ',
  para: '¶', sect: '§', euro: '€', pound: '£', yen: '¥', cent: '¢', larr: '←', rarr: '→', uarr: '↑',
  darr: '↓', harr: '↔', rArr: '⇒', lArr: '⇐', hArr: '⇔', le: '≤', ge: '≥', ne: '≠', asymp: '≈',
  infin: '∞', minus: '−', sup2: '²', sup3: '³', frac12: '½', frac14: '¼', frac34: '¾', check: '✓',
};

/** Decodes HTML character references in text (named ones from a common subset; others stay as written). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    return NAMED[ref] ?? whole;
  });
}
