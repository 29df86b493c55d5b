// Replaces renderer/src/components/MessageBody.tsx in the bench build only (see build-page.ts):
// the same props, and per page one of three renderers for the streamed answer (issue 6):
//  - kaiwa: the app's own MessageBody, untouched;
//  - naive: the whole message re-rendered with react-markdown on every delta (naive.tsx);
//  - floor: nothing while streaming; when the bench says so after the stream has ended, the final
//    text rendered once by Kaiwa's own renderer.
import { useLayoutEffect, useState, useSyncExternalStore } from 'react';
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

export function MessageBody(props: Props) {
  if (mode === 'naive') return <NaiveBody {...props} />;
  if (mode === 'floor') return <FloorBody {...props} />;
  return <KaiwaBody {...props} />;
}
