// The bench page: the real app (renderer/src/main.tsx) with a probe that timestamps what reaches
// the screen, and MessageBody swapped (at build time, bench/lib/build-page.ts) for one that picks
// Kaiwa's renderer, the naive baseline or the floor. Built only by `npm run bench`, into
// out/bench-renderer; the app's own build never contains any of this.
import './mode.ts';
import './probe.ts';
import '../../renderer/src/main.tsx';
