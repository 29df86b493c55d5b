import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../electron/contract/index.ts';
import '../styles/markdown.css';

interface Props {
  conversationId: string | null;
  messages: Message[];
  renderMessage: (m: Message) => ReactNode;
  /** A message to bring into view (a search hit), wherever it is in the conversation. */
  focusId?: string | null;
  /** Changes with every request to bring `focusId` into view (the same hit twice scrolls twice). */
  focusSeq?: number;
  /** Guess for a row not measured yet (px). */
  estimateSize?: number;
}

/**
 * The scrolling list of a conversation's messages, virtualised: only the rows near the viewport are
 * in the DOM (a 10,000-message conversation holds a few dozen), each measured as it renders and as
 * it grows. It opens at the newest message and follows the bottom while the reader is there —
 * including an answer growing while it streams — and stops following once they scroll up.
 */
export function MessageList(props: Props) {
  // A fresh virtualiser per conversation: measurements and scroll position belong to one of them.
  return <VirtualMessages key={props.conversationId ?? ''} {...props} />;
}

const END_THRESHOLD = 48;

/**
 * Within END_THRESHOLD of the end, from the virtualiser's own numbers: reading scrollHeight here
 * would force a layout on every row resize while an answer streams.
 */
function isNearEnd(v: Virtualizer<HTMLDivElement, Element>): boolean {
  const viewport = v.scrollRect?.height ?? 0;
  return v.getTotalSize() - viewport - (v.scrollOffset ?? 0) <= END_THRESHOLD;
}

function VirtualMessages({ messages, renderMessage, focusId = null, focusSeq = 0, estimateSize = 160 }: Props) {
  const { t } = useTranslation();
  const labels = useMemo(() => ({ list: t('chat.messages'), jump: t('markdown.jumpToLatest') }), [t]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [atEnd, setAtEnd] = useState(true);
  // Decided one frame later: React's scroll handler runs before the virtualiser has read the new
  // offset, and a row that grows changes the total size after onChange has fired.
  const endCheck = useRef(0);
  const checkEnd = () => {
    if (endCheck.current) return;
    endCheck.current = requestAnimationFrame(() => {
      endCheck.current = 0;
      setAtEnd(isNearEnd(virtualizerRef.current!));
    });
  };
  const virtualizerRef = useRef<Virtualizer<HTMLDivElement, Element> | null>(null);
  useLayoutEffect(() => () => cancelAnimationFrame(endCheck.current), []);
  // The rows the last render drew, and a way to draw again when the virtualiser wants others.
  const drawn = useRef({ start: -1, end: -1 });
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  // Stable between renders: a new key function makes the virtualiser re-measure every row (O(n)),
  // and this list re-renders on every frame in which a streaming row grows.
  const getItemKey = useCallback((i: number) => messages[i]!.id, [messages]);
  const estimate = useCallback(() => estimateSize, [estimateSize]);
  // The compiler cannot memoise around the virtualiser's mutable instance; this component does not rely on it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: estimate,
    getItemKey,
    // Chat semantics: stay pinned to the end while the last row grows, follow appended rows only
    // when the reader was already at the end.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: END_THRESHOLD,
    overscan: 4,
    paddingStart: 16,
    // The space under the last message is part of that row (see .message-row.last), not padding
    // of the virtualiser: while the last row grows, the end the virtualiser scrolls to is then
    // always within the element's scroll range, so following the end never writes a position
    // the browser clamps (which it would retry with a forced layout on every frame).
    paddingEnd: 0,
    onChange: (instance) => {
      checkEnd();
      // The library's own test (below) compares a range it does not recompute when a row is
      // re-measured, so a row that shrinks while the reader is scrolled up could leave the rows
      // that should come into view undrawn: ask for the range and draw again if it moved.
      const items = instance.getVirtualItems();
      if ((items[0]?.index ?? -1) !== drawn.current.start || (items.at(-1)?.index ?? -1) !== drawn.current.end) redraw();
    },
    // Re-render this list only when the range of rendered rows changes, not on every measurement:
    // a streaming answer grows the last row every frame, and the rows are in normal flow, so a
    // resize alone changes nothing this component renders (the paddings stand for rows outside the
    // range, whose sizes do not change while they are not rendered). No container is attached
    // (`containerRef`), so the option writes no styles of its own.
    directDomUpdates: true,
  });

  virtualizerRef.current = virtualizer;

  useLayoutEffect(() => {
    virtualizer.scrollToEnd();
  }, [virtualizer]);

  // Sending a message brings you back to the end even if you were reading older ones. Only messages
  // added after the previous last one count: older messages put in front (a long conversation's
  // rest, loaded after its newest) leave the view where the reader is.
  const seen = useRef({ last: messages.at(-1)?.id, length: messages.length });
  useLayoutEffect(() => {
    const prev = seen.current;
    seen.current = { last: messages.at(-1)?.id, length: messages.length };
    if (prev.last === seen.current.last || messages.length <= prev.length) return;
    let at = messages.length - 1;
    while (at >= 0 && messages[at]!.id !== prev.last) at--;
    // Where the previous last message is gone (another branch is shown), the added count is the rest.
    const added = at >= 0 ? messages.slice(at + 1) : messages.slice(prev.length);
    if (added.some((m) => m.role === 'user')) virtualizer.scrollToEnd();
  }, [messages, virtualizer]);

  // A search hit may be thousands of rows up, far outside the rendered window, so its row cannot
  // scroll itself into view: the virtualiser goes to its index (once per request; it re-aims while
  // the rows on the way are measured). The path can arrive after the focus (a hit on another branch).
  const focused = useRef(0);
  useLayoutEffect(() => {
    if (!focusId || focused.current === focusSeq) return;
    const index = messages.findIndex((m) => m.id === focusId);
    if (index < 0) return;
    focused.current = focusSeq;
    virtualizer.scrollToIndex(index, { align: 'center' });
  }, [focusId, focusSeq, messages, virtualizer]);

  const items = virtualizer.getVirtualItems();
  // The rendered rows are in normal flow between two paddings that stand for the rows before and
  // after them. A streaming answer is the last row: it grows with the content and the padding
  // after it stays 0, so measuring it changes nothing in the DOM and costs no second layout per
  // frame (absolutely placed rows inside a sized box would resize the box on every frame).
  const first = items[0];
  const last = items[items.length - 1];
  useLayoutEffect(() => {
    drawn.current = { start: first?.index ?? -1, end: last?.index ?? -1 };
  });
  const padTop = first ? first.start : 0;
  const padBottom = last ? Math.max(0, virtualizer.getTotalSize() - last.end) : 0;
  return (
    <div className="message-list">
      <div className="messages" ref={scrollRef} role="log" aria-label={labels.list} tabIndex={0} onScroll={checkEnd}>
        <div style={{ paddingTop: padTop, paddingBottom: padBottom }}>
          {items.map((v) => (
            <div key={v.key} data-index={v.index} ref={virtualizer.measureElement} className={v.index === messages.length - 1 ? 'message-row last' : 'message-row'}>
              {renderMessage(messages[v.index]!)}
            </div>
          ))}
        </div>
      </div>
      {!atEnd && (
        <button type="button" className="jump-latest" onClick={() => virtualizer.scrollToEnd()}>
          {labels.jump}
        </button>
      )}
    </div>
  );
}
