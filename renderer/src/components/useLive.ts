import { useCallback, useSyncExternalStore } from 'react';
import type { LiveMessage } from '../stores/live.ts';

/**
 * Re-renders when `pick(live)` changes, not on every delta: pick returns a primitive (a flag, a
 * length), so a panel that only cares whether the answer has started renders once for it.
 */
export function useLiveValue<T extends string | number | boolean>(live: LiveMessage | undefined, pick: (l: LiveMessage) => T, fallback: T): T {
  const subscribe = useCallback((notify: () => void) => (live ? live.subscribe(() => notify()) : () => undefined), [live]);
  return useSyncExternalStore(subscribe, () => (live ? pick(live) : fallback));
}
