// The renderer is served from a privileged custom scheme (kaiwa://app/…) instead of file://, as
// Electron's security checklist recommends: it has a real origin, file:// stays unreachable, and
// every response carries the CSP header.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CSP } from '../shared/csp.ts';

export const APP_SCHEME = 'kaiwa';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/**
 * Compares parsed origins, never string prefixes: `http://localhost:5173.evil.example/` starts with
 * `http://localhost:5173` but is another host. `kaiwa:` is not a scheme Node's URL knows, so its
 * origin is "null"; scheme and host are compared instead.
 */
export function isAppUrl(url: string, devUrl: string | undefined): boolean {
  const u = URL.parse(url);
  if (!u || u.username || u.password) return false;
  if (u.protocol === `${APP_SCHEME}:`) return u.host === 'app';
  const dev = devUrl ? URL.parse(devUrl) : null;
  return !!dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && u.origin === dev.origin;
}

/** Maps kaiwa://app/<path> to a file under `root`; anything else is 404. */
export async function serveAppRequest(request: Request, rootDir: string): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== 'app') return new Response('Not found', { status: 404 });
  const root = resolve(rootDir);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return new Response('Bad request', { status: 400 });
  }
  if (path === '/' || path === '') path = '/index.html';
  const file = normalize(join(root, path));
  if (!file.startsWith(root + sep)) return new Response('Not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
