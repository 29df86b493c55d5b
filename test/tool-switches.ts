// Tool limits a spawned test host takes from its environment (it cannot be passed options):
// loopback fetches for the fake pages on 127.0.0.1, and shorter time limits.
import type { ToolHostOptions } from '../electron/services/tools/host.ts';

export function toolOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): ToolHostOptions {
  const num = (k: string) => {
    const v = Number(env[k]);
    return Number.isFinite(v) && v > 0 ? v : undefined;
  };
  const fetchTimeout = num('KAIWA_TEST_FETCH_TIMEOUT_MS');
  const confirm = num('KAIWA_TEST_TOOL_CONFIRM_TIMEOUT_MS');
  return {
    fetch: { ...(env['KAIWA_TEST_FETCH_ALLOW_LOOPBACK'] === '1' ? { allowLoopback: true } : {}), ...(fetchTimeout ? { timeoutMs: fetchTimeout } : {}) },
    ...(confirm ? { confirmTimeoutMs: confirm } : {}),
  };
}
