// The markdown renderer as one self-contained module: a one-shot API for final text and a streaming
// API for live answers, both on the same block renderer (so a benchmark can compare them, or swap in
// a naive baseline, without touching the rest of the app).
export { LiveDocView, MarkdownView, StreamingMarkdown } from './MarkdownView.tsx';
export { BlockScanner, scanAll, type Block } from './scanner.ts';
export { LiveDoc } from './live-doc.ts';
