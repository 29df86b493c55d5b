// Contract handlers for usage.*: each one line into the usage service.
import type { usageCalls } from '../../contract/usage.ts';
import type { DomainHandlers } from '../rpc.ts';
import type { UsageService } from './service.ts';

export function usageHandlers(usage: UsageService): DomainHandlers<typeof usageCalls> {
  return {
    'usage.summary': ({ range, timeZone }) => usage.summary(range, timeZone),
    'usage.exportCsv': ({ range, timeZone }) => usage.exportCsv(range, timeZone),
  };
}
