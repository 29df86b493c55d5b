// analyseStream turns what the page probe recorded into T1 and T2. Fed hand-made records whose
// answers are known: a wrong offset, a chunk counted twice or a frame outside the stream would
// change the figures the README quotes.
import { describe, expect, it } from 'vitest';
import { analyseStream } from './analyse.ts';
import type { DeltaRecord, StreamResult } from './page-types.ts';

const ORIGIN = 1_700_000_000_000;

function result(deltas: DeltaRecord[], extra: Partial<StreamResult> = {}): StreamResult {
  return {
    mode: 'kaiwa',
    messageId: 'm1',
    deltas,
    committedChars: 12,
    totalChars: 12,
    finalPainted: null,
    endAt: null,
    endPainted: null,
    timeOrigin: ORIGIN,
    frames: [],
    loaf: [],
    ...extra,
  };
}

describe('analyseStream', () => {
  it('measures every text chunk and the newest chunk of each delta from host receipt to paint, on the host clock', () => {
    // Page clock runs 5 ms ahead of the host's. Chunk 0 is the role chunk (no text), 4 is the last.
    const off = 5;
    const deltas: DeltaRecord[] = [
      { seq: [0, 1, 2], at: [ORIGIN + 100, ORIGIN + 101, ORIGIN + 110], ws: ORIGIN + 112 + off, chars: 8, painted: ORIGIN + 120 + off },
      { seq: [3, 4, 5], at: [ORIGIN + 130, ORIGIN + 140, ORIGIN + 141], ws: ORIGIN + 142 + off, chars: 12, painted: ORIGIN + 150 + off },
    ];
    const f = analyseStream(result(deltas, { finalPainted: ORIGIN + 150 + off }), 4, off);
    // Per chunk: 19, 10 (delta 1); 20, 10 (delta 2; chunk 5 is after the final one: usage only).
    expect(f.t1Chunk).toMatchObject({ n: 4, max: 20 });
    expect(f.t1Chunk!.p50).toBeCloseTo(14.5, 10);
    // Per delta, its newest text chunk: 10 and 10.
    expect(f.t1Delta).toMatchObject({ n: 2, p50: 10, max: 10 });
    // Host receipt of the delta's last chunk → the page's WebSocket handler: 2 and 1 ms.
    expect(f.hostToPage).toMatchObject({ n: 2, max: 2 });
    // Final chunk (4) received at +140, painted at +150 on the host clock.
    expect(f.backlogMs).toBe(10);
    expect(f.finished).toBe(true);
    expect(f.progress).toBe(1);
  });

  it('counts frames and long animation frames only between the first delta and the final paint', () => {
    const deltas: DeltaRecord[] = [{ seq: [1], at: [ORIGIN + 1000], ws: ORIGIN + 1001, chars: 4, painted: ORIGIN + 1010 }];
    const frames = [900, 1000, 1016.7, 1033.3, 1083.3, 1100, 1300];
    const loaf = [
      { start: 950, duration: 80, blocking: 30 }, // ends inside the stream: counts
      { start: 1040, duration: 45, blocking: 0 }, // not long
      { start: 1050, duration: 60, blocking: 10 },
      { start: 1200, duration: 70, blocking: 20 }, // after the final paint
    ];
    const f = analyseStream(result(deltas, { frames, loaf, finalPainted: ORIGIN + 1100 }), 1);
    // rAF timestamps within [1001, 1100]: 1016.7, 1033.3, 1083.3, 1100 → 1, 3 and 1 vsync periods.
    expect(f.frame!.n).toBe(3);
    expect(f.frame!.max).toBeCloseTo(50, 6);
    expect(f.longFrames).toBe(2);
    expect(f.longFramesBlockingMs).toBe(40);
  });

  it('a capped run reports how far it got and no backlog', () => {
    const deltas: DeltaRecord[] = [
      { seq: [1], at: [ORIGIN + 10], ws: ORIGIN + 11, chars: 3, painted: ORIGIN + 500 },
      { seq: [2], at: [ORIGIN + 20], ws: ORIGIN + 21, chars: 6 },
    ];
    const f = analyseStream(result(deltas, { committedChars: 3, totalChars: 12 }), 4);
    expect(f.finished).toBe(false);
    expect(f.backlogMs).toBeNull();
    expect(f.progress).toBe(0.25);
    expect(f.t1Chunk).toMatchObject({ n: 1, max: 490 });
  });
});
