// Tool confirmations waiting for the user (fetch_url). Main asks with `tools.confirmRequest` and
// waits; the answer goes back with `tools.confirm`. `tools.confirmSettled` (answered here or in
// another window, timed out, stopped) removes a request, so the dialog never outlives it.
import { create } from 'zustand';
import type { ToolConfirmRequest } from '../../../electron/contract/index.ts';
import { call, on } from '../bridge/index.ts';

export interface PendingConfirm extends ToolConfirmRequest {
  /** performance.now() when main will count it as "no". */
  deadline: number;
}

interface ToolConfirmState {
  pending: PendingConfirm[];
  /** The last answer could not be delivered (connection lost…): shown in the dialog. */
  failed: boolean;
  init(): Promise<void>;
  answer(requestId: string, allow: boolean): Promise<void>;
}

let subscribed = false;

const withDeadline = (r: ToolConfirmRequest): PendingConfirm => ({ ...r, deadline: performance.now() + r.timeoutMs });

export const useToolConfirm = create<ToolConfirmState>((set, get) => ({
  pending: [],
  failed: false,

  async init() {
    if (!subscribed) {
      subscribed = true;
      on('tools.confirmRequest', (r) => {
        if (!get().pending.some((p) => p.requestId === r.requestId)) set({ pending: [...get().pending, withDeadline(r)] });
      });
      on('tools.confirmSettled', ({ requestId }) => set({ pending: get().pending.filter((p) => p.requestId !== requestId) }));
    }
    // After a reload: what main is still waiting for.
    const open = await call('tools.pending', {});
    const known = new Set(get().pending.map((p) => p.requestId));
    set({ pending: [...get().pending, ...open.filter((r) => !known.has(r.requestId)).map(withDeadline)] });
  },

  async answer(requestId, allow) {
    set({ failed: false });
    try {
      await call('tools.confirm', { requestId, allow });
      // Settled arrives as an event too; removing it here keeps the dialog from lingering meanwhile.
      set({ pending: get().pending.filter((p) => p.requestId !== requestId) });
    } catch {
      set({ failed: true });
    }
  },
}));
