// Safe start. An answer that crashes the page (or a view that fails to render) would otherwise be
// shown again by every start, since a start reopens the newest conversation. So before a
// conversation is shown — opened, or changed by an answer streaming in — its id is written to
// localStorage, and removed once it has been on screen for a moment. A start that finds the marker
// knows the previous one died showing that conversation and does not open it by itself.
//
// A page that is unloaded normally (a reload, closing the window) has not crashed: unless a
// boundary caught an error, the marker goes with it — if the conversation had been painted, or its
// messages had not even arrived (a reload while it loads). A crashed or killed page runs no unload
// handler; one reloaded after its messages arrived but before they were painted was stuck drawing
// them (a page busy for seconds handles the reload only when it is done), and keeps the marker.
//
// In the renderer so it holds on the desktop (where main reloads a crashed page) and in browser mode
// alike; localStorage survives a crash, a reload and a restart (the origin is the same each time).

const KEY = 'kaiwa.opening';
/** How long a conversation must have been on screen to count as shown safely. */
export const SHOWN_AFTER_MS = 1000;

/** The conversation whose messages this page received, and the one it painted, since it last started opening one. */
let arrivedId: string | null = null;
let paintedId: string | null = null;
/** A boundary caught a rendering error while the marker's conversation was shown. */
let failedId: string | null = null;
/**
 * This page has itself opened or streamed into a conversation. A page that never did (browser
 * mode's first load, which only moves the token out of the address and leaves at once) must not
 * clear a marker an earlier, crashed page left behind.
 */
let tookPart = false;

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

function write(id: string | null): void {
  try {
    if (id === null) store()?.removeItem(KEY);
    else if (read() !== id) store()?.setItem(KEY, JSON.stringify({ id }));
  } catch {
    // full or disabled storage: the start after a crash will just not be a safe one
  }
}

/** The conversation a previous start was showing when it died, if any (read once at start). */
export function leftBehind(): string | null {
  return read();
}

/** About to open `id`: a crash or failed load from here on leaves the marker. */
export function opening(id: string): void {
  tookPart = true;
  arrivedId = null;
  paintedId = null;
  failedId = null;
  write(id);
}

/** An answer is streaming into `id`, already on screen: a crash while it draws leaves the marker. */
export function streaming(id: string): void {
  tookPart = true;
  write(id);
}

/** The messages of `id` are here and about to be drawn. */
export function arrived(id: string): void {
  arrivedId = id;
}

/** `id` is on screen (a frame has been drawn with it). */
export function painted(id: string): void {
  paintedId = id;
}

/** `id` has stayed on screen, or is gone: the next start may open it again. */
export function shown(id: string): void {
  if (read() === id) write(null);
}

/** A boundary caught an error while `id` was shown: the next start must not reopen it by itself. */
export function failed(id: string): void {
  failedId = id;
  write(id);
}

if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => {
    if (!tookPart) return;
    const id = read();
    if (id !== null && (id === paintedId || id !== arrivedId) && id !== failedId) write(null);
  });
}
