import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '@switchyard/core';
import { loadPriceCatalog } from '../catalog';
import { createAdapter, envProviderPresets, getVendor } from '../registry';
import { resolveModels } from '../resolve-models';
import { openRouterPreset } from './openrouter-preset';

describe('openrouter preset', () => {
  it('is registered with its base URL and key variable', () => {
    expect(getVendor('openrouter')).toMatchObject({ type: 'openrouter', defaultBaseUrl: openRouterPreset.defaultBaseUrl });
    expect(openRouterPreset.defaultBaseUrl).toBe('https://openrouter.ai/api/v1');
    expect(envProviderPresets.filter((preset) => preset.type === 'openrouter').map((preset) => preset.apiKeyEnv)).toEqual(['OPENROUTER_API_KEY']);
  });

  it('creates an adapter without a configured base URL', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'openrouter', type: 'openrouter', apiKey: 'k' }));
    expect(adapter).toMatchObject({ id: 'openrouter', type: 'openrouter' });
    await adapter.close();
  });

  it('has default models priced by the catalog, or none when models must come from config', () => {
    const models = resolveModels(
      { providers: [providerConfigSchema.parse({ id: 'openrouter', type: 'openrouter' })], models: [], simulator: { mode: 'off', port: 0 } } as never,
      { catalog: loadPriceCatalog() },
    ).models;
    expect(models.map((model) => model.upstreamName)).toEqual([...(openRouterPreset.defaultModels ?? [])]);
    for (const model of models) expect(model.priceSource).toBe('catalog');
  });
});
