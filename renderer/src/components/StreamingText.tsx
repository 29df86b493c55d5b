import { useEffect, useRef } from 'react';
import type { LiveMessage } from '../stores/live.ts';

/**
 * Plain text of a streaming answer, appended straight to a DOM text node: each frame's delta costs
 * only its own length, whatever the length of the message.
 */
export function StreamingText({ live, field }: { live: LiveMessage; field: 'content' | 'reasoning' }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const node = document.createTextNode(live[field]);
    el.replaceChildren(node);
    return live.subscribe((c) => {
      if (c.reset) node.data = live[field];
      else if (c[field]) node.appendData(c[field]);
    });
  }, [live, field]);
  return <div ref={ref} className="plain-text" />;
}
