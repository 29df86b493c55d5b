// Replaces renderer/src/markdown/index.ts for the app's MessageBody in the bench build only (see
// build-page.ts): the same exports, with a StreamingMarkdown that renders the app's own LiveDocView
// and, next to it, a probe that reports, in the same commit, how much of the stream the DOM now
// holds (probe.ts times chunk → paint from it). The app itself carries no such hook.
import { useLayoutEffect, useMemo, useSyncExternalStore } from 'react';
import { LiveDoc, LiveDocView } from '../../renderer/src/markdown/index.ts';
import type { LiveMessage } from '../../renderer/src/stores/live.ts';
import { reportLiveCommit } from './probe.ts';

export * from '../../renderer/src/markdown/index.ts';

type Field = 'content' | 'reasoning';

/** Re-renders with the doc; its layout effect runs in the commit that put the doc's text in the DOM. */
function CommitProbe({ doc, live, field }: { doc: LiveDoc; live: LiveMessage; field: Field }) {
  useSyncExternalStore(doc.subscribe, doc.getVersion);
  const caughtUp = doc.caughtUp;
  useLayoutEffect(() => {
    if (caughtUp) reportLiveCommit(live, field, doc.consumed);
  });
  return null;
}

export function StreamingMarkdown({ live, field, final }: { live: LiveMessage; field: Field; final?: string | undefined }) {
  const doc = useMemo(() => new LiveDoc(live, field), [live, field]);
  return (
    <>
      <LiveDocView doc={doc} final={final} />
      <CommitProbe doc={doc} live={live} field={field} />
    </>
  );
}
