// How long the main thread's event loop was held, measured the way a user meets it: a timer that
// should fire every 10 ms, and the longest wait between two firings.
export function watchEventLoop(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const t = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(t);
      return Math.max(longest, performance.now() - last);
    },
  };
}
