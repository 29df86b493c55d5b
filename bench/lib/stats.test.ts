// The bench's figures are only as honest as these helpers: percentiles, growth slopes and frame
// times are checked against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { frameTimes, logLogSlope, percentile, ratio, round, VSYNC_MS } from './stats.ts';

describe('bench statistics', () => {
  it('percentile interpolates between ranks like numpy (type 7) and leaves its input alone', () => {
    const xs = [40, 10, 30, 20];
    expect(percentile(xs, 50)).toBe(25);
    expect(percentile(xs, 95)).toBeCloseTo(38.5, 10);
    expect(percentile(xs, 0)).toBe(10);
    expect(percentile(xs, 100)).toBe(40);
    expect(xs).toEqual([40, 10, 30, 20]);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(xs, 101)).toThrow(RangeError);
  });

  it('logLogSlope is 1 for linear growth, 2 for quadratic, and ignores unusable points', () => {
    const sizes = [10, 25, 50, 100];
    expect(logLogSlope(sizes.map((x) => ({ x, y: 3 * x })))).toBeCloseTo(1, 10);
    expect(logLogSlope(sizes.map((x) => ({ x, y: 0.5 * x * x })))).toBeCloseTo(2, 10);
    expect(logLogSlope([...sizes.map((x) => ({ x, y: x })), { x: 200, y: 0 }, { x: 300, y: NaN }])).toBeCloseTo(1, 10);
    expect(logLogSlope([{ x: 10, y: 5 }])).toBeNaN();
  });

  it('frameTimes rounds rAF intervals to whole vsync periods, so a dropped frame shows as 33.3 ms', () => {
    const ts = [1000, 1016.7, 1033.3, 1066.7, 1116.6];
    expect(frameTimes(ts)).toEqual([VSYNC_MS, VSYNC_MS, 2 * VSYNC_MS, 3 * VSYNC_MS]);
  });

  it('round keeps three significant figures; ratio is null when a side is missing', () => {
    expect(round(1234.5)).toBe(1235);
    expect(round(16.6666)).toBe(16.7);
    expect(round(0.012345)).toBe(0.0123);
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(10, 0)).toBeNull();
    expect(ratio(null, 4)).toBeNull();
  });
});
