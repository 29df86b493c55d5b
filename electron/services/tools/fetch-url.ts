// The fetch tool's HTTP side: one GET with every limit a model-chosen URL needs. node:http(s) rather
// than fetch() because the connect-time address check (url-policy.ts `guardedLookup`) needs the
// `lookup` hook, and redirects must be followed by hand so each hop is checked again.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { DEFAULT_COMPUTE_LIMITS, htmlToTextInWorker, type ComputeLimits } from './compute.ts';
import { ToolError } from './errors.ts';
import { truncate } from './html-text.ts';
import { checkUrl, guardedLookup, type UrlPolicy } from './url-policy.ts';

export interface FetchLimits extends UrlPolicy {
  /** Whole fetch, redirects included. */
  timeoutMs: number;
  /** Bytes of body read (after decompression); the rest is not downloaded. */
  maxBytes: number;
  maxRedirects: number;
  /** Characters of text handed to the model. */
  maxChars: number;
  userAgent: string;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  allowLoopback: false,
  timeoutMs: 10_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  maxChars: 20_000,
  userAgent: 'Kaiwa (fetch tool)',
};

export interface FetchedPage {
  url: string;
  status: number;
  contentType: string;
  title?: string;
  text: string;
  /** The body was longer than maxBytes, or the text longer than maxChars. */
  truncated: boolean;
}

/**
 * Asked before a redirect to another host is followed: the user allowed one site, not wherever it
 * sends them. Resolves to go on; throws a ToolError (denied, unanswered, stopped) to stop.
 */
export type RedirectConfirm = (to: URL, from: URL) => Promise<void>;

export interface FetchOptions {
  compute?: ComputeLimits;
  /** Without it a redirect to another host is not followed. */
  confirmRedirect?: RedirectConfirm;
}

/** Same host: the user's permission carries over (http → https, another path, another port). */
const sameHost = (a: URL, b: URL) => a.hostname.replace(/\.$/, '') === b.hostname.replace(/\.$/, '');

const TEXTUAL = /^(text\/|application\/(json|xml|xhtml\+xml|javascript|ld\+json|rss\+xml|atom\+xml)|application\/[\w.+-]+\+(json|xml))/i;

function get(url: URL, limits: FetchLimits, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'GET',
        lookup: guardedLookup(limits) as never,
        signal,
        headers: {
          'User-Agent': limits.userAgent,
          Accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.8,*/*;q=0.1',
          'Accept-Encoding': 'gzip, deflate, br',
          'Accept-Language': 'en;q=0.8, *;q=0.5',
        },
      },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}

function decoded(res: IncomingMessage): Readable {
  switch ((res.headers['content-encoding'] ?? '').toLowerCase().trim()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(createGunzip());
    case 'deflate':
      return res.pipe(createInflate());
    case 'br':
      return res.pipe(createBrotliDecompress());
    default:
      return res;
  }
}

/** Reads at most `max` bytes (decompressed: a small compressed bomb stops at the same limit). */
async function readCapped(res: IncomingMessage, max: number): Promise<{ body: Buffer; truncated: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  const stream = decoded(res);
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      if (size + b.length > max) {
        parts.push(b.subarray(0, max - size));
        size = max;
        return { body: Buffer.concat(parts), truncated: true };
      }
      parts.push(b);
      size += b.length;
    }
    return { body: Buffer.concat(parts), truncated: false };
  } finally {
    res.destroy();
    stream.destroy();
  }
}

/** The charset from Content-Type, else from a <meta> in the first 2 KB, else UTF-8. */
function charsetOf(contentType: string, head: Buffer): string {
  const fromHeader = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  const fromMeta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head.subarray(0, 2048).toString('latin1'))?.[1];
  for (const c of [fromHeader, fromMeta]) {
    if (!c) continue;
    try {
      new TextDecoder(c);
      return c;
    } catch {
      /* unknown label: try the next */
    }
  }
  return 'utf-8';
}

function networkError(err: unknown, url: URL): ToolError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'KAIWA_BLOCKED_ADDRESS') return new ToolError('blocked_url', e.message);
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new ToolError('network', `${url.hostname} could not be resolved.`);
  if (e.code === 'ECONNREFUSED') return new ToolError('network', `${url.host} refused the connection.`);
  if (e.code?.startsWith('ERR_TLS') || e.code?.includes('CERT')) return new ToolError('network', `The TLS certificate of ${url.hostname} was not accepted (${e.code}).`);
  return new ToolError('network', `Fetching ${url.href} failed: ${e.message ?? String(err)}`);
}

/** The page's text from a 2xx answer: HTML is reduced to text on the worker thread. */
async function pageOf(res: IncomingMessage, url: URL, limits: FetchLimits, options: FetchOptions, signal: AbortSignal): Promise<FetchedPage> {
  const status = res.statusCode ?? 0;
  const contentType = String(res.headers['content-type'] ?? '').toLowerCase();
  if (status < 200 || status >= 300) {
    res.destroy();
    throw new ToolError('http_error', `${url.href} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}.`);
  }
  if (contentType && !TEXTUAL.test(contentType)) {
    res.destroy();
    throw new ToolError('unsupported_content', `${url.href} is ${contentType.split(';')[0]}, not text.`);
  }
  const body = await readCapped(res, limits.maxBytes);
  const text = new TextDecoder(charsetOf(contentType, body.body)).decode(body.body);
  const isHtml = /html|xml/.test(contentType) || (!contentType && /^\s*</.test(text));
  if (isHtml) {
    const page = await htmlToTextInWorker(text, limits.maxChars, options.compute ?? DEFAULT_COMPUTE_LIMITS, signal);
    return { url: url.href, status, contentType, ...(page.title ? { title: page.title } : {}), text: page.text, truncated: page.truncated || body.truncated };
  }
  const cut = truncate(text.trim(), limits.maxChars);
  return { url: url.href, status, contentType, text: cut.text, truncated: cut.truncated || body.truncated };
}

/**
 * GETs `raw` and returns its text. Throws ToolError: blocked_url, http_error, unsupported_content,
 * network, timeout, or cancelled when `signal` (Stop) aborts it. `timeoutMs` is the time on the
 * network: it starts again after the user answered a redirect confirmation.
 */
export async function fetchPage(raw: unknown, limits: FetchLimits, signal: AbortSignal, options: FetchOptions = {}): Promise<FetchedPage> {
  let url = checkUrl(raw, limits);
  let timer = new AbortController();
  let t = setTimeout(() => timer.abort(), limits.timeoutMs);
  const failed = (err: unknown): ToolError => {
    if (err instanceof ToolError) return err;
    if (signal.aborted) return new ToolError('cancelled', 'Stopped by the user.');
    if (timer.signal.aborted) return new ToolError('timeout', `No complete answer from ${url.host} within ${Math.round(limits.timeoutMs / 1000)} s.`);
    return networkError(err, url);
  };
  try {
    for (let hop = 0; ; hop++) {
      const both = AbortSignal.any([signal, timer.signal]);
      let res: IncomingMessage;
      try {
        res = await get(url, limits, both);
      } catch (err) {
        throw failed(err);
      }
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (!(status >= 300 && status < 400 && location)) {
        try {
          return await pageOf(res, url, limits, options, both);
        } catch (err) {
          throw failed(err);
        }
      }
      res.destroy();
      if (hop >= limits.maxRedirects) throw new ToolError('http_error', `More than ${limits.maxRedirects} redirects.`);
      // Each hop is checked like the first URL (scheme, literal address; DNS at connect time).
      const next = checkUrl(new URL(location, url).href, limits);
      if (!sameHost(next, url)) {
        if (!options.confirmRedirect) throw new ToolError('blocked_url', `${url.host} redirected to another host (${next.host}); that redirect was not followed.`);
        clearTimeout(t);
        await options.confirmRedirect(next, url);
        timer = new AbortController();
        t = setTimeout(() => timer.abort(), limits.timeoutMs);
      }
      url = next;
    }
  } finally {
    clearTimeout(t);
  }
}
