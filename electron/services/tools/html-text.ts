// Readable text from an HTML page, for the fetch tool. Nothing is executed or even parsed as a DOM:
// scripts, styles and other non-text elements are cut out with their content, every remaining tag
// is dropped (block-level ones leave a line break), entities are decoded and whitespace collapsed.
// The result is plain text for the model (and shown as text in the UI), never HTML.

/**
 * Elements whose content is not page text (code, styling, embedded documents, vector art; the title
 * is returned on its own). Only elements that are always closed: an unclosed one runs to the end.
 */
const DROP_WITH_CONTENT = ['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'canvas', 'title'];

const BLOCK =
  /^(p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|thead|tbody|tfoot|section|article|header|footer|nav|aside|main|pre|blockquote|figure|figcaption|form|fieldset|address|details|summary|caption|title|body|html)$/;

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009',
  copy: '©', reg: '®', trade: '™', hellip: '…', mdash: '—', ndash: '–', minus: '−', lsquo: '‘', rsquo: '’', sbquo: '‚',
  ldquo: '“', rdquo: '”', bdquo: '„', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', middot: '·', bull: '•', deg: '°',
  plusmn: '±', times: '×', divide: '÷', frac12: '½', frac14: '¼', frac34: '¾', sup1: '¹', sup2: '²', sup3: '³', micro: 'µ',
  para: '¶', sect: '§', euro: '€', yen: '¥', pound: '£', cent: '¢', curren: '¤', iexcl: '¡', iquest: '¿', dagger: '†',
  Dagger: '‡', permil: '‰', prime: '′', Prime: '″', larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔', le: '≤', ge: '≥',
  ne: '≠', asymp: '≈', infin: '∞', shy: '', zwj: '\u200d', zwnj: '\u200c', lrm: '', rlm: '',
  Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä', Aring: 'Å', AElig: 'Æ', Ccedil: 'Ç', Egrave: 'È', Eacute: 'É',
  Ecirc: 'Ê', Euml: 'Ë', Igrave: 'Ì', Iacute: 'Í', Icirc: 'Î', Iuml: 'Ï', Ntilde: 'Ñ', Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô',
  Otilde: 'Õ', Ouml: 'Ö', Oslash: 'Ø', Ugrave: 'Ù', Uacute: 'Ú', Ucirc: 'Û', Uuml: 'Ü', Yacute: 'Ý', szlig: 'ß',
  agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ', ccedil: 'ç', egrave: 'è', eacute: 'é',
  ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í', icirc: 'î', iuml: 'ï', ntilde: 'ñ', ograve: 'ò', oacute: 'ó', ocirc: 'ô',
  otilde: 'õ', ouml: 'ö', oslash: 'ø', ugrave: 'ù', uacute: 'ú', ucirc: 'û', uuml: 'ü', yacute: 'ý', yuml: 'ÿ',
};

function codePoint(n: number): string {
  // NUL, surrogates and values past Unicode become U+FFFD, as browsers do.
  if (!Number.isFinite(n) || n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(n);
}

export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,8}|#\d{1,8}|[A-Za-z][A-Za-z0-9]{1,31});?/g, (whole, body: string) => {
    if (body[0] === '#') return codePoint(body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10));
    const v = NAMED[body];
    return v === undefined ? whole : v;
  });
}

/** Removes `<name …>…</name>` (case-insensitive); an element that is never closed runs to the end. */
function dropElement(html: string, name: string): string {
  const lower = html.toLowerCase();
  const open = new RegExp(`<${name}(?=[\\s/>])`, 'g');
  const parts: string[] = [];
  let from = 0;
  for (let m = open.exec(lower); m; m = open.exec(lower)) {
    if (m.index < from) continue;
    parts.push(html.slice(from, m.index));
    const close = lower.indexOf(`</${name}`, m.index + name.length + 1);
    if (close < 0) {
      from = html.length;
      break;
    }
    const end = lower.indexOf('>', close);
    from = end < 0 ? html.length : end + 1;
    open.lastIndex = from;
  }
  parts.push(html.slice(from));
  return parts.join(' ');
}

export interface PageText {
  title: string;
  text: string;
  truncated: boolean;
}

/** Whitespace as a browser shows it: runs are one space, blocks are lines. */
function collapse(s: string): string {
  return s
    .replace(/[ \t\f\v\r\u00a0]+/g, ' ')
    .replace(/ ?\n[\n ]*/g, '\n')
    .trim();
}

/** Cuts at `max` characters, preferring the last line or sentence break before it. */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  let cut = text.lastIndexOf('\n', max);
  if (cut < max * 0.8) cut = Math.max(text.lastIndexOf('. ', max), text.lastIndexOf('。', max));
  if (cut < max * 0.8) cut = max;
  // Never split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return { text: `${text.slice(0, cut).trimEnd()}\n…`, truncated: true };
}

export function htmlToText(html: string, maxChars = 20_000): PageText {
  let s = html.replace(/<!--[\s\S]*?(-->|$)/g, ' ').replace(/<!\[CDATA\[[\s\S]*?(\]\]>|$)/g, ' ');
  const titleMatch = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(s);
  const title = titleMatch ? collapse(decodeEntities(titleMatch[1]!.replace(/<[^>]*>/g, ''))) : '';
  for (const name of DROP_WITH_CONTENT) s = dropElement(s, name);
  // <pre> keeps its whitespace (code keeps its lines and indentation): set aside, put back at the end.
  const pres: string[] = [];
  s = s.replace(/[\ue000\ue001]/g, '').replace(/<pre\b[^>]*>([\s\S]*?)<\/pre\s*>/gi, (_m, body: string) => {
    pres.push(decodeEntities(body.replace(/<[^>]*>/g, '')).replace(/^\r?\n/, '').trimEnd());
    return `<div>\ue000${pres.length - 1}\ue001</div>`;
  });
  // In HTML source a line break is just a space; lines come from the elements.
  s = s.replace(/\s+/g, ' ');
  s = s.replace(/<(\/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*>/g, (_m, slash: string, tag: string) => {
    const t = tag.toLowerCase();
    if (t === 'li' && !slash) return '\n- ';
    if (t === 'td' || t === 'th') return slash ? '' : ' | ';
    return BLOCK.test(t) ? '\n' : '';
  });
  // Declarations and stray `<…>` that are not tags (<!doctype>, <?xml?>) go too; a lone `<` in text stays.
  s = s.replace(/<[!?][^>]*>/g, ' ');
  const text = collapse(decodeEntities(s)).replace(/\ue000(\d+)\ue001/g, (_m, i: string) => pres[Number(i)] ?? '');
  return { title: title.slice(0, 300), ...truncate(text, maxChars) };
}
