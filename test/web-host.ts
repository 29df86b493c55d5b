// Browser mode as the e2e suite, the screenshot scripts and the bench start it: the product's host
// (electron/web/main.ts) with what only tests may change, read from the environment here because a
// spawned host cannot take options — a clock the test can move (KAIWA_TEST_CLOCK_FILE, see
// ./test-clock.ts) and shorter or loopback-permitting tool limits (KAIWA_TEST_FETCH_*). The product
// itself reads none of these switches.
import { runAsMain, runWebHost } from '../electron/web/main.ts';
import { testClockFromEnv } from './test-clock.ts';
import { toolOptionsFromEnv } from './tool-switches.ts';

runAsMain(() =>
  runWebHost(process.argv.slice(2), {
    ...(testClockFromEnv(process.env) ? { clock: testClockFromEnv(process.env)! } : {}),
    tools: toolOptionsFromEnv(process.env),
  }),
);
