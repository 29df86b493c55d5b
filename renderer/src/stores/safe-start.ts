// Safe start. An answer that crashes the page (or a view that fails to render) would otherwise be
// shown again by every start, since a start reopens the newest conversation. So before a
// conversation is shown — opened, or changed by an answer streaming in — its id is written to
// localStorage, and removed once it has been on screen for a moment. A start that finds the marker
// knows the previous one died showing that conversation and does not open it by itself.
//
// In the renderer so it holds on the desktop (where main reloads a crashed page) and in browser mode
// alike; localStorage survives a crash, a reload and a restart (the origin is the same each time).

const KEY = 'kaiwa.opening';
/** How long a conversation must have been on screen to count as shown safely. */
export const SHOWN_AFTER_MS = 1000;

function store(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled: no safe start, everything else works
  }
}

function read(): string | null {
  try {
    const v: unknown = JSON.parse(store()?.getItem(KEY) ?? 'null');
    return v && typeof v === 'object' && 'id' in v && typeof v.id === 'string' ? v.id : null;
  } catch {
    return null;
  }
}

/** The conversation a previous start was showing when it died, if any (read once at start). */
export function leftBehind(): string | null {
  return read();
}

/** About to show `id` (or show it changed): a crash from here on leaves the marker. */
export function showing(id: string): void {
  try {
    if (read() !== id) store()?.setItem(KEY, JSON.stringify({ id }));
  } catch {
    // full or disabled storage: the start after a crash will just not be a safe one
  }
}

/** `id` was shown (or is gone): the next start may open it again. */
export function shown(id: string): void {
  try {
    if (read() === id) store()?.removeItem(KEY);
  } catch {
    // as above
  }
}
