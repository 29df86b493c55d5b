// Contract handlers for quota.*: each one line into the quota service.
import type { quotaCalls } from '../../contract/quota.ts';
import type { DomainHandlers } from '../rpc.ts';
import type { QuotaService } from './service.ts';

export function quotaHandlers(quota: QuotaService): DomainHandlers<typeof quotaCalls> {
  return {
    'quota.get': ({ providerId, modelId }) => quota.view(providerId, modelId),
    'quota.getSettings': () => quota.getSettings(),
    'quota.updateSettings': (patch) => quota.updateSettings(patch),
  };
}
