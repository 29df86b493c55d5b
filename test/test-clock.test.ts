import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { fileClock, testClockFromEnv } from './test-clock.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaiwa-clock-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds the offset from the file to the real time, re-reading it at most every 100 ms', () => {
  const file = join(dir, 'offset');
  let real = 1_000_000;
  writeFileSync(file, '5000');
  const clock = fileClock(file, () => real);
  expect(clock.now()).toBe(1_005_000);
  writeFileSync(file, '-1000\n');
  real += 50;
  expect(clock.now()).toBe(1_005_050); // not re-read yet
  real += 50;
  expect(clock.now()).toBe(999_100);
  writeFileSync(file, 'garbage');
  real += 100;
  expect(clock.now()).toBe(real);
  rmSync(file);
  real += 100;
  expect(clock.now()).toBe(real);
});

it('is only used when KAIWA_TEST_CLOCK_FILE is set', () => {
  expect(testClockFromEnv({})).toBeNull();
  expect(testClockFromEnv({ KAIWA_TEST_CLOCK_FILE: join(dir, 'none') })).not.toBeNull();
});
