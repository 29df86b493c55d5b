import { useCallback, useState } from 'react';
import { call, errorInfo } from '../../bridge/index.ts';
import { useApp } from '../../stores/app.ts';
import type { CheckState } from './CheckOutcome.tsx';

/** Runs "Check" for a provider (optionally one model or one key) and keeps its outcome. */
export function useCheck(providerId: string): [CheckState, (o?: { modelId?: string; keyId?: string }) => Promise<void>] {
  const [state, setState] = useState<CheckState>(null);
  const run = useCallback(
    async (o: { modelId?: string; keyId?: string } = {}) => {
      setState({ busy: true });
      try {
        const result = await call('providers.check', { id: providerId, ...o });
        setState({ busy: false, result });
      } catch (err) {
        setState({ busy: false, result: { ok: false, modelId: o.modelId ?? '', latencyMs: 0, error: errorInfo(err) } });
      }
      // A check marks a rejected key failed (or clears the mark): show that in the key list.
      await useApp.getState().refreshProviders().catch(() => undefined);
    },
    [providerId],
  );
  return [state, run];
}
