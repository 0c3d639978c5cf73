import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '@switchyard/core';
import { loadPriceCatalog } from '../catalog';
import { createAdapter, envProviderPresets, getVendor } from '../registry';
import { resolveModels } from '../resolve-models';
import { togetherPreset } from './together-preset';

describe('together preset', () => {
  it('is registered with its base URL and key variable', () => {
    expect(getVendor('together')).toMatchObject({ type: 'together', defaultBaseUrl: togetherPreset.defaultBaseUrl });
    expect(togetherPreset.defaultBaseUrl).toBe('https://api.together.xyz/v1');
    expect(envProviderPresets.filter((preset) => preset.type === 'together').map((preset) => preset.apiKeyEnv)).toEqual(['TOGETHER_API_KEY']);
  });

  it('creates an adapter without a configured base URL', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'together', type: 'together', apiKey: 'k' }));
    expect(adapter).toMatchObject({ id: 'together', type: 'together' });
    await adapter.close();
  });

  it('has default models priced by the catalog, or none when models must come from config', () => {
    const models = resolveModels(
      { providers: [providerConfigSchema.parse({ id: 'together', type: 'together' })], models: [], simulator: { mode: 'off', port: 0 } } as never,
      { catalog: loadPriceCatalog() },
    ).models;
    expect(models.map((model) => model.upstreamName)).toEqual([...(togetherPreset.defaultModels ?? [])]);
    for (const model of models) expect(model.priceSource).toBe('catalog');
  });
});
