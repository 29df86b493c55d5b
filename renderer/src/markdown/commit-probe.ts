// Bench only (issue 6): `npm run bench` builds its own page (bench/page) that sets this to learn when
// streamed text has reached the DOM, so it can time chunk → paint. Nothing in the app sets it: in
// the app it costs one null check per streaming commit.
import type { LiveMessage } from '../stores/live.ts';

/** `chars` characters of `live`'s `field` are in the DOM as of this commit. */
export type CommitProbe = (live: LiveMessage, field: 'content' | 'reasoning', chars: number) => void;

export let commitProbe: CommitProbe | null = null;

export function setCommitProbe(p: CommitProbe | null): void {
  commitProbe = p;
}
