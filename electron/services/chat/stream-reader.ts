// The one reader of an upstream streaming answer, used by chat and by the settings page's check:
// the SSE framing (sse.ts), JSON of each event, the `[DONE]` marker, a plain JSON body sent in
// answer to a stream request, a web page where an API should be, and the idle watchdog (re-armed by
// every network read, so comment keep-alives keep a slow stream alive).
//
// Hot path (per network read): decode → SSE framing → JSON.parse of each event → the caller's
// handler. Nothing here keeps or copies what was read.
import { SseParser } from './sse.ts';
import { isHtmlAnswer } from './wire.ts';

/** How reading ended: 'ok', 'stopped' (aborted by us), 'idle' (watchdog), a non-stream answer, or the network error. */
export type ReadOutcome = 'ok' | 'stopped' | 'idle' | 'not_stream' | 'html' | Error;

export interface StreamHandlers {
  /** One JSON object from the stream (or the whole JSON body). `true`: nothing more is needed. */
  chunk(obj: Record<string, unknown>, event: string): boolean | void;
  /** `data: [DONE]`. `true`: nothing more is needed. */
  done?(): boolean | void;
  /** An event whose data is not JSON; reading goes on. */
  malformed?(): void;
}

export interface ReadOptions {
  idleMs: number;
  /** Aborted by the caller (Stop, shutdown) or by `onIdle`. */
  signal: AbortSignal;
  /** No byte for `idleMs`: the caller aborts the request, which ends the read. */
  onIdle(): void;
}

export async function readUpstream(response: Response, o: ReadOptions, h: StreamHandlers): Promise<ReadOutcome> {
  const body = response.body;
  if (!body) return 'not_stream';
  const ctype = response.headers.get('content-type') ?? '';
  if (isHtmlAnswer(ctype)) {
    await body.cancel().catch(() => {});
    return 'html';
  }
  let enough = false;
  const parser = new SseParser((data, event) => {
    if (enough) return;
    if (data === '[DONE]') {
      if (h.done?.() === true) enough = true;
      return;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(data);
    } catch {
      h.malformed?.();
      return;
    }
    if (obj && typeof obj === 'object' && h.chunk(obj as Record<string, unknown>, event) === true) enough = true;
  });
  const jsonBody = /application\/json/i.test(ctype) && !/event-stream/i.test(ctype);
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const jsonParts: string[] = [];
  let idle = false;
  let watchdog: ReturnType<typeof setTimeout> | null = null;
  const arm = () => {
    if (watchdog) clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      idle = true;
      o.onIdle();
    }, o.idleMs);
  };
  arm();
  try {
    while (!enough) {
      const { done, value } = await reader.read();
      if (done) break;
      arm();
      const text = decoder.decode(value, { stream: true });
      if (jsonBody) jsonParts.push(text);
      else parser.push(text);
    }
    if (enough) return 'ok';
    const tail = decoder.decode();
    if (jsonBody) {
      jsonParts.push(tail);
      // A non-SSE JSON answer to a stream request: a complete chat.completion or an error.
      let obj: unknown;
      try {
        obj = JSON.parse(jsonParts.join(''));
      } catch {
        return 'not_stream';
      }
      if (obj && typeof obj === 'object') h.chunk(obj as Record<string, unknown>, 'message');
    } else {
      if (tail) parser.push(tail);
      parser.end();
    }
    return 'ok';
  } catch (err) {
    if (idle) return 'idle';
    if (o.signal.aborted) return 'stopped';
    return err instanceof Error ? err : new Error(String(err));
  } finally {
    if (watchdog) clearTimeout(watchdog);
    reader.releaseLock();
  }
}
