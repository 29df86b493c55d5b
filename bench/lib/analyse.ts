// Turns what the page probe recorded for one streamed answer into the figures (T1, T2).
// Pure: bench/lib/analyse.test.ts feeds it hand-made records.
import type { StreamResult } from './page-types.ts';
import { frameTimes, percentile } from './stats.ts';

export interface Dist {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

function dist(xs: number[]): Dist | null {
  if (xs.length === 0) return null;
  return { p50: percentile(xs, 50), p95: percentile(xs, 95), max: Math.max(...xs), n: xs.length };
}

export interface StreamFigures {
  /** T1 per chunk: every content chunk, from the host receiving it to the paint that showed it. */
  t1Chunk: Dist | null;
  /** T1 per delta: the last chunk of each delta event (the most recent text it carried). */
  t1Delta: Dist | null;
  /** Host receive → the page's WebSocket handler, per delta (transport + main-thread queueing). */
  hostToPage: Dist | null;
  /** T2: frame times (whole vsync periods) from the first delta to the final paint. */
  frame: Dist | null;
  /** Long animation frames (> 50 ms) in the same window, and their total blocking time. */
  longFrames: number;
  longFramesBlockingMs: number;
  /** T2: host receiving the last chunk → the paint that showed it. Null if never painted. */
  backlogMs: number | null;
  /** Share of the answer's characters committed to the DOM (1 when it finished). */
  progress: number;
  finished: boolean;
}

/**
 * `pageOffset` is the page clock minus the host clock (ms), measured by the bench; page times are
 * moved onto the host clock before they are compared with the host's receive stamps.
 */
export function analyseStream(r: StreamResult, finalSeq: number, pageOffset = 0): StreamFigures {
  const perChunk: number[] = [];
  const perDelta: number[] = [];
  const transport: number[] = [];
  let finalAt: number | null = null;
  for (const d of r.deltas) {
    for (let k = 0; k < d.seq.length; k++) if (d.seq[k] === finalSeq) finalAt = d.at[k]!;
    transport.push(d.ws - pageOffset - d.at[d.at.length - 1]!);
    if (d.painted === undefined) continue;
    const painted = d.painted - pageOffset;
    let last: number | null = null;
    for (let k = 0; k < d.seq.length; k++) {
      const s = d.seq[k]!;
      // Chunk 0 is the role chunk and chunks after finalSeq carry no text: nothing to paint.
      if (s < 1 || s > finalSeq) continue;
      perChunk.push(painted - d.at[k]!);
      last = painted - d.at[k]!;
    }
    if (last !== null) perDelta.push(last);
  }
  const first = r.deltas[0];
  const end = r.finalPainted ?? r.endPainted;
  let frames: number[] = [];
  let longFrames = 0;
  let blocking = 0;
  if (first) {
    const from = first.ws - r.timeOrigin;
    // A capped run never painted its end: everything recorded counts.
    const to = end !== null ? end - r.timeOrigin : Infinity;
    frames = frameTimes(r.frames.filter((t) => t >= from && t <= to));
    for (const l of r.loaf) {
      if (l.start + l.duration < from || l.start > to || l.duration <= 50) continue;
      longFrames++;
      blocking += l.blocking;
    }
  }
  return {
    t1Chunk: dist(perChunk),
    t1Delta: dist(perDelta),
    hostToPage: dist(transport),
    frame: dist(frames),
    longFrames,
    longFramesBlockingMs: blocking,
    backlogMs: r.finalPainted !== null && finalAt !== null ? r.finalPainted - pageOffset - finalAt : null,
    progress: r.totalChars > 0 ? Math.min(1, r.committedChars / r.totalChars) : 0,
    finished: r.finalPainted !== null,
  };
}
