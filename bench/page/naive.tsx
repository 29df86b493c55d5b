// The naive baseline the bench compares Kaiwa's streaming with, as many chat apps do it: on every delta the whole message so far is
// handed to react-markdown (GFM, math with KaTeX, highlighting), rendered synchronously, no
// batching. Bench build only.
import { useLayoutEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import Markdown from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import rehypeKatex from 'rehype-katex';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import type { Message } from '../../electron/contract/index.ts';
import { liveFor } from '../../renderer/src/stores/streams.ts';
import { reportCommit } from './probe.ts';

const remarkPlugins = [remarkGfm, remarkMath];
const rehypePlugins = [rehypeKatex, rehypeHighlight];

function NaiveMarkdown({ text }: { text: string }) {
  return (
    <div className="md">
      <Markdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins}>
        {text}
      </Markdown>
    </div>
  );
}

export function NaiveBody({ message, field = 'content' }: { message: Message; field?: 'content' | 'reasoning' }) {
  const streaming = message.status === 'streaming';
  const [live] = useState(() => (streaming ? liveFor(message.id) : null));
  const [text, setText] = useState(() => live?.[field] ?? '');
  useLayoutEffect(() => {
    if (!live) return;
    return live.subscribe(() => flushSync(() => setText(live[field])));
  }, [live, field]);
  const shown = streaming && live ? text : message[field];
  useLayoutEffect(() => reportCommit(message.id, shown.length), [message.id, shown]);
  if (message.role === 'user') return <div className="plain-text">{message[field]}</div>;
  return <NaiveMarkdown text={shown} />;
}
