// What the bench page's probe (bench/page/probe.ts) hands back to bench/run.ts. Types only, shared
// by the page build and the Node side.

export interface DeltaRecord {
  /** Upstream chunk sequence numbers in this delta, and when the host received each (epoch ms). */
  seq: number[];
  at: number[];
  /** When the page's WebSocket handler saw it (epoch ms, page clock). */
  ws: number;
  /** Content characters of the message up to and including this delta. */
  chars: number;
  /** When a renderer committed it to the DOM, and when that commit was painted (epoch ms, page clock). */
  committed?: number;
  painted?: number;
}

export interface LoafEntry {
  /** performance.now() time base. */
  start: number;
  duration: number;
  blocking: number;
}

export interface StreamResult {
  mode: string;
  messageId: string | null;
  deltas: DeltaRecord[];
  committedChars: number;
  totalChars: number;
  /** Epoch ms (page clock) when the chunk with the final sequence number was painted. */
  finalPainted: number | null;
  endAt: number | null;
  endPainted: number | null;
  /** performance.timeOrigin of the page: frames and LoAF entries are relative to it. */
  timeOrigin: number;
  /** requestAnimationFrame timestamps while the stream ran (performance.now() time base). */
  frames: number[];
  loaf: LoafEntry[];
}

/** `window.__bench`: what bench/run.ts calls in the page (implemented by bench/page/probe.ts). */
export interface BenchApi {
  mode: string;
  /** Starts watching the next stream: it ends with chunk `finalSeq` and has `totalChars` characters. */
  arm(finalSeq: number, totalChars: number): void;
  /** Resolves when the chunk with the final sequence number is painted, and the stream's end (floor: the end only). */
  whenEnded(): Promise<void>;
  /** Floor: render the final text now (once); resolves with ms from the call to its paint. */
  renderFloor(): Promise<number>;
  /** Stops recording frames and returns what was measured. */
  result(): StreamResult;
  /** How far a stream got, without stopping it. */
  progress(): { committedChars: number; totalChars: number; deltas: number; painted: number };
  /** Keystroke → paint times (ms) since the last call. */
  keyLatencies(): number[];
  /** T4: watch for the next click and for message `messageId` becoming visible. */
  armOpen(messageId: string): void;
  openResult(): Promise<{ visibleMs: number; paintedMs: number }>;
  messagesLoaded(): number;
  domSize(): { elements: number; nodes: number };
  /** Resolves after the next paint. */
  nextPaint(): Promise<void>;
}

declare global {
  interface Window {
    __bench?: BenchApi;
  }
}
