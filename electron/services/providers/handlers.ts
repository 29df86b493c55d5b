// Contract handlers for providers.*: each one line into the registry (configuration, keys,
// catalogue) or the probes (the two calls that reach the provider).
import type { CallInput, CallOutput } from '../../contract/index.ts';
import type { providersCalls } from '../../contract/providers.ts';
import { OK, type DomainHandlers } from '../rpc.ts';
import type { ProviderRegistry } from './registry.ts';

/** The calls that reach the provider (providers/probe.ts, bound to the upstream client and the call recorder). */
export interface ProviderProbes {
  fetchModels(id: string): Promise<CallOutput<'providers.fetchModels'>>;
  check(id: string, o: Omit<CallInput<'providers.check'>, 'id'>): Promise<CallOutput<'providers.check'>>;
}

export function providersHandlers(registry: ProviderRegistry, probes: ProviderProbes): DomainHandlers<typeof providersCalls> {
  return {
    'providers.list': () => registry.list(),
    'providers.add': ({ name, baseUrl, headers, publicHeaders }) => registry.addCustom({ name, baseUrl, headers, publicHeaders }),
    'providers.remove': ({ id }) => (registry.removeCustom(id), OK),
    'providers.update': ({ id, ...patch }) => registry.configure(id, patch),
    'providers.setKeys': ({ id, keys, mode }) => registry.setKeys(id, keys, mode),
    'providers.removeKey': ({ id, keyId }) => registry.removeKey(id, keyId),
    'providers.fetchModels': ({ id }) => probes.fetchModels(id),
    'providers.addModel': ({ id, modelId }) => registry.addModel(id, modelId),
    'providers.removeModel': ({ id, modelId }) => registry.removeModel(id, modelId),
    'providers.updateModel': ({ id, modelId, ...patch }) => registry.updateModel(id, modelId, patch),
    'providers.markModelsSeen': ({ id }) => registry.markModelsSeen(id),
    'providers.check': ({ id, modelId, keyId }) => probes.check(id, { modelId, keyId }),
  };
}
