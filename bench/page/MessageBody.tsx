// Replaces renderer/src/components/MessageBody.tsx in the bench build only (see build-page.ts):
// the same props, and per page one of three renderers for the streamed answer:
//  - kaiwa: the app's own MessageBody, untouched;
//  - naive: the whole message re-rendered with react-markdown on every delta (naive.tsx);
//  - floor: nothing while streaming; when the bench says so after the stream has ended, the final
//    text rendered once by Kaiwa's own renderer.
import { useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { liveFor } from '../../renderer/src/stores/streams.ts';
import type { Message } from '../../electron/contract/index.ts';
import { MessageBody as KaiwaBody } from '../../renderer/src/components/MessageBody.tsx';
import { MarkdownView } from '../../renderer/src/markdown/index.ts';
import { mode } from './mode.ts';
import { NaiveBody } from './naive.tsx';
import { floorGate, reportCommit } from './probe.ts';

type Props = { message: Message; field?: 'content' | 'reasoning' };

function FloorText({ message }: { message: Message }) {
  useLayoutEffect(() => reportCommit(message.id, message.content.length), [message]);
  return <MarkdownView text={message.content} />;
}

function FloorBody({ message, field = 'content' }: Props) {
  const open = useSyncExternalStore(floorGate.subscribe, floorGate.get);
  const [streamed] = useState(message.status === 'streaming');
  if (message.role === 'user') return <div className="plain-text">{message[field]}</div>;
  if (!streamed || field !== 'content') return <MarkdownView text={message[field]} />;
  if (message.status === 'streaming' || !open) return null;
  return <FloorText message={message} />;
}

function PlainBody({ message, field = 'content' }: Props) {
  const [live] = useState(() => (message.status === 'streaming' ? liveFor(message.id) : null));
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!live || !el) return;
    // One text node per line: appending to a single node holding the whole answer would re-lay out
    // all of it every frame.
    let node = document.createTextNode('');
    let chars = 0;
    // Lines in boxes of 64, as Kaiwa groups blocks: a frame lays out the last box, not every line.
    let box = document.createElement('div');
    box.className = 'md-chunk';
    el.append(box);
    let lines = 0;
    const append = (text: string) => {
      let i = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', i)) {
        node.appendData(text.slice(i, nl));
        const line = document.createElement('div');
        node = document.createTextNode('');
        line.append(node);
        if (++lines % 64 === 0) {
          box = document.createElement('div');
          box.className = 'md-chunk';
          el.append(box);
        }
        box.append(line);
        i = nl + 1;
      }
      node.appendData(text.slice(i));
      chars += text.length;
    };
    const first = document.createElement('div');
    first.append(node);
    box.append(first);
    append(live[field]);
    let pending: string[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const add = pending.join('');
      pending = [];
      append(add);
      reportCommit(message.id, chars, true);
    };
    const off = live.subscribe((c) => {
      const add = c[field];
      if (!add) return;
      pending.push(add);
      if (!frame) frame = requestAnimationFrame(flush);
    });
    return () => {
      off();
      cancelAnimationFrame(frame);
    };
  }, [live, field, message.id]);
  if (message.role === 'user') return <div className="plain-text">{message[field]}</div>;
  if (!live) return <div className="plain-text">{message[field]}</div>;
  return <div className="plain-text" ref={ref} />;
}

export function MessageBody(props: Props) {
  if (mode === 'plain') return <PlainBody {...props} />;
  if (mode === 'naive') return <NaiveBody {...props} />;
  if (mode === 'floor') return <FloorBody {...props} />;
  return <KaiwaBody {...props} />;
}
