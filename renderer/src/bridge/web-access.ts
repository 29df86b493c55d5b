// Browser mode: how the page comes to hold the host's per-run token, and what it shows without one.
//
// `npm run web` prints `http://127.0.0.1:PORT/#token=…`. A fragment is never sent to any server, so
// the token reaches no log and no other port. On the load that carries it, the page copies it to
// sessionStorage (per origin, port included — a reload works, another port cannot read it) and at
// once replaces itself with the same address without the fragment. A full replace rather than
// history.replaceState: Chromium keeps the fragment in the document's navigation timing entry
// (`performance.getEntriesByType('navigation')[0].name`), which replaceState does not change, so
// only a new document drops it; location.replace also leaves no history entry holding it.
// Nothing else of the app runs on that first load.
const KEY = 'kaiwa.token';
/** What `startWebHost` generates (24 random bytes, base64url); anything else is not a token. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * - `ok`: a token is held (the socket may still refuse it → `refused`);
 * - `leaving`: this load only moves the token from the fragment to storage;
 * - `missing`: opened without the link (a bookmark, a tab restored in a new session);
 * - `refused`: the host did not accept the stored token (it was restarted: a new link).
 */
export type WebAccess = 'ok' | 'leaving' | 'missing' | 'refused';

let state: WebAccess = 'ok';
const listeners = new Set<() => void>();

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be switched off for the site; the page then works only for this load.
    return null;
  }
}

let held: string | null = null;

/**
 * Reads the token once: from the fragment (then leaves for the clean address) or from storage.
 * A link pasted into a tab already showing this address only changes the fragment — no new
 * document — so that is watched for too.
 */
export function takeWebToken(): string | null {
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(location.hash.slice(1)).has('token')) location.reload();
  });
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromLink !== null) {
    if (TOKEN_SHAPE.test(fromLink)) {
      storage()?.setItem(KEY, fromLink);
      held = fromLink;
    }
    if (storage()?.getItem(KEY) === fromLink) {
      state = 'leaving';
      location.replace(location.pathname + location.search);
      return null;
    }
    // No storage: keep the token for this load only, and still drop it from the address bar.
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = held ?? storage()?.getItem(KEY) ?? null;
  state = token ? 'ok' : 'missing';
  return token;
}

/** The host closed the socket as unauthorized: the stored token is from an earlier run. */
export function tokenRefused(): void {
  storage()?.removeItem(KEY);
  held = null;
  state = 'refused';
  for (const l of listeners) l();
}

export function webAccess(): WebAccess {
  return state;
}

export function onWebAccess(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
