// In-page probe for `npm run bench` (bench/run.ts drives it through window.__bench).
//
// "Painted": a renderer reports each commit of streamed text (Kaiwa through the bench build's own
// StreamingMarkdown, markdown.tsx; the naive and floor bodies directly). A commit made inside an animation frame (Kaiwa
// renders in requestAnimationFrame) is painted by that frame's rendering steps, so a message posted
// from the commit runs right after the paint; a commit made outside a frame (the naive renderer
// renders in the WebSocket task) is painted by the next frame, so the message is posted from the
// next requestAnimationFrame callback. Times for T1 are epoch ms (performance.timeOrigin + now()),
// the same clock the host stamps chunks with.
import { kaiwa } from '../../renderer/src/bridge/index.ts';
import { useChat } from '../../renderer/src/stores/chat.ts';
import type { LiveMessage } from '../../renderer/src/stores/live.ts';
import { liveFor } from '../../renderer/src/stores/streams.ts';
import type { BenchApi, DeltaRecord, LoafEntry, StreamResult } from '../lib/page-types.ts';
import { mode } from './mode.ts';

const epoch = () => performance.timeOrigin + performance.now();
const raf = window.requestAnimationFrame.bind(window);

// Where a commit happens decides when it is painted. Kaiwa's streaming view commits inside the
// animation frame in which LiveDoc feeds the new text (its rAF callback → React's microtask), so
// until the stream's end event arrives its commits are painted by the same frame; the end event
// (Kaiwa closing its blocks) and the naive and floor bodies commit in a WebSocket task, painted by
// the next frame. (Wrapping requestAnimationFrame to find out would itself cost a microtask per
// callback on the page being measured.)
const channel = new MessageChannel();
const afterPaint: (() => void)[] = [];
channel.port1.onmessage = () => afterPaint.shift()?.();
/** Calls `fn` once the current DOM state has been painted. */
function whenPainted(fn: () => void, committedInFrame: boolean): void {
  const post = () => {
    afterPaint.push(fn);
    channel.port2.postMessage(0);
  };
  if (committedInFrame) post();
  else raf(post);
}

interface StreamRun {
  finalSeq: number;
  totalChars: number;
  messageId: string | null;
  live: LiveMessage | null;
  deltas: DeltaRecord[];
  chars: number;
  committedChars: number;
  committedIdx: number;
  paintedIdx: number;
  finalPainted: number | null;
  endAt: number | null;
  endPainted: number | null;
  frames: number[];
  loaf: LoafEntry[];
  recording: boolean;
  startedAt: number;
  waiters: (() => void)[];
}

let run: StreamRun | null = null;
let opening: Promise<{ visibleMs: number; paintedMs: number }> | null = null;
const keyLatencies: number[] = [];
let keyDownAt: number | null = null;

function wake(r: StreamRun): void {
  for (const w of r.waiters.splice(0)) w();
}

function commit(chars: number, inFrame: boolean): void {
  const r = run;
  if (!r || chars <= r.committedChars) return;
  r.committedChars = chars;
  const t = epoch();
  while (r.committedIdx < r.deltas.length && r.deltas[r.committedIdx]!.chars <= chars) r.deltas[r.committedIdx++]!.committed = t;
  const upTo = r.committedIdx;
  whenPainted(() => {
    const p = epoch();
    while (r.paintedIdx < upTo) {
      const d = r.deltas[r.paintedIdx++]!;
      d.painted = p;
      if (r.finalPainted === null && d.seq.includes(r.finalSeq)) r.finalPainted = p;
    }
    wake(r);
  }, inFrame);
}

/** For the naive and floor bodies: `chars` characters of `messageId`'s answer are in the DOM. */
export function reportCommit(messageId: string, chars: number, inFrame = false): void {
  if (run && run.messageId === messageId) commit(chars, inFrame);
}

/** For Kaiwa's renderer (markdown.tsx): `chars` characters of `live`'s `field` are in the DOM as of this commit. */
export function reportLiveCommit(live: LiveMessage, field: 'content' | 'reasoning', chars: number): void {
  if (field === 'content' && run && live === run.live) commit(chars, run.endAt === null);
}

kaiwa.on('stream.delta', (d) => {
  const r = run;
  if (!r) return;
  if (r.messageId === null) {
    r.messageId = d.messageId;
    r.live = liveFor(d.messageId);
  }
  if (d.messageId !== r.messageId) return;
  r.chars += d.content?.length ?? 0;
  // Added by the bench's host around the product (bench/lib/bench-host.ts); not part of the contract.
  const bench = (d as { bench?: { seq: number[]; at: number[] } }).bench;
  if (bench) r.deltas.push({ seq: bench.seq, at: bench.at, ws: epoch(), chars: r.chars });
});

kaiwa.on('stream.end', ({ message }) => {
  const r = run;
  if (!r || message.id !== r.messageId) return;
  r.endAt = epoch();
  // The app renders the final message when this task ends; the next frame paints it.
  whenPainted(() => {
    r.endPainted = epoch();
    wake(r);
  }, false);
});

function frameLoop(r: StreamRun): void {
  raf((t) => {
    if (!r.recording) return;
    r.frames.push(t);
    frameLoop(r);
  });
}

new PerformanceObserver((list) => {
  const r = run;
  if (!r?.recording) return;
  for (const e of list.getEntries()) {
    const loaf = e as PerformanceEntry & { blockingDuration?: number };
    r.loaf.push({ start: e.startTime, duration: e.duration, blocking: loaf.blockingDuration ?? 0 });
  }
}).observe({ type: 'long-animation-frame', buffered: false });

// T6: keystroke → paint, for keys typed into the composer.
document.addEventListener(
  'keydown',
  (e) => {
    if (e.target instanceof HTMLTextAreaElement) keyDownAt = e.timeStamp;
  },
  true,
);
document.addEventListener(
  'input',
  (e) => {
    const t0 = keyDownAt;
    keyDownAt = null;
    if (t0 === null || !(e.target instanceof HTMLTextAreaElement)) return;
    whenPainted(() => keyLatencies.push(performance.now() - t0), false);
  },
  true,
);

let floorOpen = false;
const floorListeners = new Set<() => void>();
export const floorGate = {
  subscribe(l: () => void): () => void {
    floorListeners.add(l);
    return () => floorListeners.delete(l);
  },
  get: (): boolean => floorOpen,
};

function until(r: StreamRun, cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (cond()) resolve();
      else r.waiters.push(check);
    };
    check();
  });
}

const api: BenchApi = {
  mode,
  /** Starts watching the next stream: it ends with chunk `finalSeq` and has `totalChars` characters. */
  arm(finalSeq: number, totalChars: number): void {
    const r: StreamRun = {
      finalSeq,
      totalChars,
      messageId: null,
      live: null,
      deltas: [],
      chars: 0,
      committedChars: 0,
      committedIdx: 0,
      paintedIdx: 0,
      finalPainted: null,
      endAt: null,
      endPainted: null,
      frames: [],
      loaf: [],
      recording: true,
      startedAt: performance.now(),
      waiters: [],
    };
    run = r;
    frameLoop(r);
  },
  /** Resolves when the chunk with the final sequence number is painted and the stream's end too (floor: the end only). */
  whenEnded(): Promise<void> {
    const r = run!;
    return until(r, () => r.endPainted !== null && (mode === 'floor' || r.finalPainted !== null));
  },
  /** Floor: render the final text now (once), resolve with ms from here to its paint. */
  renderFloor(): Promise<number> {
    const r = run!;
    const t0 = epoch();
    floorOpen = true;
    for (const l of floorListeners) l();
    return until(r, () => r.finalPainted !== null).then(() => r.finalPainted! - t0);
  },
  /** Stops recording frames and returns what was measured (the page stays as it is). */
  result(): StreamResult {
    const r = run!;
    r.recording = false;
    return {
      mode,
      messageId: r.messageId,
      deltas: r.deltas,
      committedChars: r.committedChars,
      totalChars: r.totalChars,
      finalPainted: r.finalPainted,
      endAt: r.endAt,
      endPainted: r.endPainted,
      timeOrigin: performance.timeOrigin,
      frames: r.frames,
      loaf: r.loaf,
    };
  },
  /** How far a stream got (for the naive cap) without stopping it. */
  progress(): { committedChars: number; totalChars: number; deltas: number; painted: number } {
    const r = run!;
    return { committedChars: r.committedChars, totalChars: r.totalChars, deltas: r.deltas.length, painted: r.paintedIdx };
  },
  keyLatencies(): number[] {
    return keyLatencies.splice(0);
  },
  /**
   * T4: watch for the next click and for the message with id `messageId` becoming visible in the
   * message list. `openResult` then resolves with ms from the click to the frame in which it was
   * first visible (IntersectionObserver computes that in the frame's rendering steps) and to the
   * paint of that frame.
   */
  armOpen(messageId: string): void {
    opening = new Promise((resolve) => {
      let clickAt: number | null = null;
      const onClick = (e: Event) => {
        clickAt = e.timeStamp;
        document.removeEventListener('click', onClick, true);
      };
      document.addEventListener('click', onClick, true);
      const sel = `[data-message-id="${CSS.escape(messageId)}"]`;
      const watch = (el: Element) => {
        const io = new IntersectionObserver((entries) => {
          const hit = entries.find((x) => x.isIntersecting);
          if (!hit || clickAt === null) return;
          io.disconnect();
          const visibleMs = hit.time - clickAt;
          // IntersectionObserver reports in a task after the frame that computed it: painted by now.
          resolve({ visibleMs, paintedMs: performance.now() - clickAt! });
        });
        io.observe(el);
      };
      const mo = new MutationObserver(() => {
        const el = document.querySelector(sel);
        if (el && clickAt !== null) {
          mo.disconnect();
          watch(el);
        }
      });
      mo.observe(document.body, { childList: true, subtree: true });
    });
  },
  openResult(): Promise<{ visibleMs: number; paintedMs: number }> {
    return opening!;
  },
  /** How many messages of the open conversation the app holds (older ones load after the first paint). */
  messagesLoaded(): number {
    return useChat.getState().messages.length;
  },
  domSize(): { elements: number; nodes: number } {
    let nodes = 0;
    const w = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    while (w.nextNode()) nodes++;
    return { elements: document.getElementsByTagName('*').length, nodes };
  },
  /** One frame later, after paint (for the bench's waits). */
  nextPaint(): Promise<void> {
    return new Promise((resolve) => whenPainted(resolve, false));
  },
};

window.__bench = api;
