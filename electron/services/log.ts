// One logger for all services. Every line passes through `redact` before it is written anywhere,
// so a key that reaches an error message or a header dump cannot reach the log file.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const secrets = new Set<string>();
/** One case-insensitive pattern for every registered form, longest first; rebuilt when the set changes. */
let secretPattern: RegExp | null = null;

/**
 * A secret as it can show up in text: raw, URL-encoded (both `%20` and `+` for spaces), JSON-escaped
 * (with `\/` and `\uXXXX` variants), hex, and base64 (standard and URL-safe) at each of the three
 * alignments it can have inside a longer encoded string (`Basic base64(user:key)`), keeping only the
 * characters that depend on the secret alone. Matching ignores case, so upper- and lower-cased
 * echoes go too. Every length counts: a provider may hand out a 7-character key, and a key that
 * short is still a key — only the base64 fragments need a few characters to mean anything.
 */
function secretForms(value: string): string[] {
  const raw = Buffer.from(value, 'utf8');
  const json = JSON.stringify(value).slice(1, -1);
  const forms = new Set([
    value,
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    json,
    json.replace(/\//g, '\\/'),
    json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    raw.toString('hex'),
  ]);
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad), raw]).toString('base64').replace(/=+$/, '');
    const core = b64.slice(Math.ceil((pad * 4) / 3) + 1, b64.length - 2);
    if (core.length >= 6) forms.add(core).add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  forms.delete('');
  return [...forms];
}

/** The vault registers every secret it holds (keys, secret header values), so its occurrences in any of those forms are removed too. */
export function registerSecret(value: string): void {
  if (value.length === 0) return;
  for (const f of secretForms(value)) secrets.add(f);
  secretPattern = null;
}
export function forgetSecret(value: string): void {
  for (const f of secretForms(value)) secrets.delete(f);
  secretPattern = null;
}

function knownSecrets(): RegExp | null {
  if (!secrets.size) return null;
  if (!secretPattern) {
    const alternatives = [...secrets].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    secretPattern = new RegExp(alternatives.join('|'), 'gi');
  }
  return secretPattern;
}

const KEY_SHAPED = [
  /(authorization["']?\s*[:=]\s*["']?)(bearer\s+)?[^\s"',}]+/gi,
  /\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\bms-[0-9a-f]{8}-[0-9a-f-]{20,}/gi,
  /("?(?:api[_-]?key|token|secret|password)"?\s*[:=]\s*"?)[^\s",}]{6,}/gi,
];

export function redact(text: string): string {
  const known = knownSecrets();
  let out = known ? text.replace(known, '[REDACTED]') : text;
  for (const re of KEY_SHAPED) {
    out = out.replace(re, (_m, prefix?: string) => (typeof prefix === 'string' ? `${prefix}[REDACTED]` : '[REDACTED]'));
  }
  return out;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
}

function format(extra: unknown): string {
  if (extra === undefined) return '';
  if (extra instanceof Error) return ` ${extra.name}: ${extra.message}`;
  try {
    return ' ' + JSON.stringify(extra);
  } catch {
    return ' ' + String(extra);
  }
}

export function createLogger(opts: { dir?: string; stderr?: boolean; level?: LogLevel }): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(opts.level ?? 'info');
  let file: string | undefined;
  if (opts.dir) {
    try {
      mkdirSync(opts.dir, { recursive: true });
      file = join(opts.dir, 'kaiwa.log');
    } catch {
      file = undefined;
    }
  }
  const write = (level: LogLevel, msg: string, extra: unknown) => {
    if (order.indexOf(level) < min) return;
    const line = redact(`${new Date().toISOString()} ${level.toUpperCase()} ${msg}${format(extra)}`) + '\n';
    if (opts.stderr) process.stderr.write(line);
    if (file) {
      try {
        appendFileSync(file, line, { mode: 0o600 });
      } catch {
        // A full disk must not take the app down with it; the line is lost, nothing else.
      }
    }
  };
  return {
    debug: (m, e) => write('debug', m, e),
    info: (m, e) => write('info', m, e),
    warn: (m, e) => write('warn', m, e),
    error: (m, e) => write('error', m, e),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
