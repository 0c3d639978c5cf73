import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '@switchyard/core';
import { loadPriceCatalog } from '../catalog';
import { createAdapter, envProviderPresets, getVendor } from '../registry';
import { resolveModels } from '../resolve-models';
import { mistralPreset } from './mistral-preset';

describe('mistral preset', () => {
  it('is registered with its base URL and key variable', () => {
    expect(getVendor('mistral')).toMatchObject({ type: 'mistral', defaultBaseUrl: mistralPreset.defaultBaseUrl });
    expect(mistralPreset.defaultBaseUrl).toBe('https://api.mistral.ai/v1');
    expect(envProviderPresets.filter((preset) => preset.type === 'mistral').map((preset) => preset.apiKeyEnv)).toEqual(['MISTRAL_API_KEY']);
  });

  it('creates an adapter without a configured base URL', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'mistral', type: 'mistral', apiKey: 'k' }));
    expect(adapter).toMatchObject({ id: 'mistral', type: 'mistral' });
    await adapter.close();
  });

  it('has default models priced by the catalog, or none when models must come from config', () => {
    const models = resolveModels(
      { providers: [providerConfigSchema.parse({ id: 'mistral', type: 'mistral' })], models: [], simulator: { mode: 'off', port: 0 } } as never,
      { catalog: loadPriceCatalog() },
    ).models;
    expect(models.map((model) => model.upstreamName)).toEqual([...(mistralPreset.defaultModels ?? [])]);
    for (const model of models) expect(model.priceSource).toBe('catalog');
  });
});
