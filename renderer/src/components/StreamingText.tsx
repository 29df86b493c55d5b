import type { LiveMessage } from '../stores/live.ts';
import { StreamingMarkdown } from '../markdown/index.ts';

/** A streaming answer as markdown (kept for callers of the earlier plain-text component). */
export function StreamingText({ live, field }: { live: LiveMessage; field: 'content' | 'reasoning' }) {
  return <StreamingMarkdown live={live} field={field} />;
}
