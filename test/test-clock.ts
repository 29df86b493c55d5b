// A clock tests can move, for quota resets at 00:00 UTC+8 and the usage page's "today".
//
// Test-only, and reachable only one way: the test host (test/web-host.ts) hands it to browser mode when
// the environment variable KAIWA_TEST_CLOCK_FILE names a file. The Electron app never reads that
// variable, and no contract call can change the clock. The file holds one number: an offset in
// milliseconds added to the real time (so time keeps flowing and latencies stay real). The e2e
// suite writes `target - Date.now()` into it to jump to, say, 23:59:30 in Asia/Shanghai. The file
// is re-read at most every 100 ms; a missing or unreadable file means offset 0.
import { readFileSync } from 'node:fs';
import type { Clock } from '../electron/services/platform.ts';

export const TEST_CLOCK_ENV = 'KAIWA_TEST_CLOCK_FILE';
const REREAD_MS = 100;

export function fileClock(path: string, realNow: () => number = Date.now, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): Clock {
  let offset = 0;
  let readAt = -Infinity;
  return {
    now() {
      const real = realNow();
      if (real - readAt >= REREAD_MS || real < readAt) {
        readAt = real;
        try {
          const n = Number(read(path).trim());
          offset = Number.isFinite(n) ? n : 0;
        } catch {
          offset = 0;
        }
      }
      return real + offset;
    },
  };
}

export function testClockFromEnv(env: Readonly<Record<string, string | undefined>>): Clock | null {
  const path = env[TEST_CLOCK_ENV];
  return path ? fileClock(path) : null;
}
