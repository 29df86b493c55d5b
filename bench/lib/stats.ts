// Small statistics helpers for the benchmark. Pure functions, unit-tested (stats.test.ts).

/**
 * The p-th percentile (0–100) with linear interpolation between the closest ranks (the usual
 * "type 7" definition, as numpy and spreadsheets compute it). NaN for no samples.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile: p=${p}`);
  const s = [...samples].sort((a, b) => a - b);
  const h = ((s.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo]! + (s[hi]! - s[lo]!) * (h - lo);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/**
 * Least-squares slope of log(y) against log(x): how a cost grows with size (1 = linear, 2 =
 * quadratic). Needs at least two distinct x and positive values.
 */
export function logLogSlope(points: readonly { x: number; y: number }[]): number {
  const ps = points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y));
  if (ps.length < 2) return NaN;
  const lx = ps.map((p) => Math.log(p.x));
  const ly = ps.map((p) => Math.log(p.y));
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

export const VSYNC_MS = 1000 / 60;

/**
 * Frame times from successive requestAnimationFrame timestamps. Chromium's rAF timestamps are the
 * frames' begin times, whole vsync periods apart but coarsened to 0.1 ms, so an on-time frame reads
 * 16.6–16.8 ms; each interval is rounded to whole periods (a frame that took 2 periods is 33.3 ms).
 */
export function frameTimes(rafTimestamps: readonly number[], period = VSYNC_MS): number[] {
  const out: number[] = [];
  for (let i = 1; i < rafTimestamps.length; i++) {
    const d = rafTimestamps[i]! - rafTimestamps[i - 1]!;
    out.push(Math.max(1, Math.round(d / period)) * period);
  }
  return out;
}

/** Round for display: 3 significant figures, integers kept whole. */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (Math.abs(x) >= 10 ** digits) return Math.round(x);
  const m = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(x))));
  return Math.round(x * m) / m;
}

/** a / b, or null when either side is missing. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}
