// Contract handlers for tools.*: each one line into the confirmations of the tool host.
import type { toolsCalls } from '../../contract/tools.ts';
import type { DomainHandlers } from '../rpc.ts';
import type { ToolHost } from './host.ts';

export function toolsHandlers(tools: ToolHost): DomainHandlers<typeof toolsCalls> {
  return {
    'tools.confirm': ({ requestId, allow }) => ({ ok: true as const, accepted: tools.confirmations.answer(requestId, allow) }),
    'tools.pending': () => tools.confirmations.pending(),
  };
}
