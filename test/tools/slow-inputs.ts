// Inputs that froze the app when built-in tools ran on the main thread, shared by the calculator,
// worker and tool-loop tests.

/**
 * 265 characters of exact arithmetic near the old 65,536-bit limit: every `*99997/99996` step
 * reduces two ~63,000-bit numbers by a GCD (0.4 s each), 15 s in all.
 */
export const SLOW_EXPRESSION = `(99999^3800)/(99998^3800)${'*99997/99996'.repeat(20)}`;

/** The old limit, for tests that need an expression to stay slow inside a worker. */
export const OLD_MAX_BITS = 65_536;
