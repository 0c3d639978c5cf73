import { SwitchyardError, type ModelCallSettings, type ProviderAdapter } from '@switchyard/core';
import { createAdapter } from './registry';
import type { ResolvedModel, ResolvedModels } from './resolve-models';

export interface ModelBinding {
  adapter: ProviderAdapter;
  settings: ModelCallSettings;
  model: ResolvedModel;
}

/** One adapter (one keep-alive pool) per enabled provider, and every model bound to its adapter. */
export interface ProviderSet {
  readonly providers: ReadonlyMap<string, ProviderAdapter>;
  readonly models: readonly ResolvedModel[];
  /** The binding of a model id; throws `model_not_found` for unknown or disabled models. */
  get(modelId: string): ModelBinding;
  /** Like `get`, but undefined instead of throwing. */
  find(modelId: string): ModelBinding | undefined;
  close(): Promise<void>;
}

export function createProviderSet(resolved: ResolvedModels): ProviderSet {
  const adapters = new Map<string, ProviderAdapter>();
  for (const provider of resolved.providers) if (provider.enabled) adapters.set(provider.id, createAdapter(provider));
  const bindings = new Map<string, ModelBinding>();
  for (const model of resolved.models) {
    const adapter = adapters.get(model.providerId);
    if (!adapter || !model.enabled) continue;
    bindings.set(model.id, {
      adapter,
      model,
      settings: {
        id: model.id,
        upstreamName: model.upstreamName,
        price: model.price,
        ...(model.maxOutputTokens === undefined ? {} : { maxOutputTokens: model.maxOutputTokens }),
      },
    });
  }
  return {
    providers: adapters,
    models: resolved.models,
    find: (modelId) => bindings.get(modelId),
    get(modelId) {
      const binding = bindings.get(modelId);
      if (!binding) throw new SwitchyardError('model_not_found', `model "${modelId}" is not configured or not enabled`, { param: 'model', retryable: false });
      return binding;
    },
    async close() {
      await Promise.allSettled([...adapters.values()].map((adapter) => adapter.close()));
    },
  };
}
