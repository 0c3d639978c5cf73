import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '@switchyard/core';
import { loadPriceCatalog } from '../catalog';
import { createAdapter, envProviderPresets, getVendor } from '../registry';
import { resolveModels } from '../resolve-models';
import { fireworksPreset } from './fireworks-preset';

describe('fireworks preset', () => {
  it('is registered with its base URL and key variable', () => {
    expect(getVendor('fireworks')).toMatchObject({ type: 'fireworks', defaultBaseUrl: fireworksPreset.defaultBaseUrl });
    expect(fireworksPreset.defaultBaseUrl).toBe('https://api.fireworks.ai/inference/v1');
    expect(envProviderPresets.filter((preset) => preset.type === 'fireworks').map((preset) => preset.apiKeyEnv)).toEqual(['FIREWORKS_API_KEY']);
  });

  it('creates an adapter without a configured base URL', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'fireworks', type: 'fireworks', apiKey: 'k' }));
    expect(adapter).toMatchObject({ id: 'fireworks', type: 'fireworks' });
    await adapter.close();
  });

  it('has default models priced by the catalog, or none when models must come from config', () => {
    const models = resolveModels(
      { providers: [providerConfigSchema.parse({ id: 'fireworks', type: 'fireworks' })], models: [], simulator: { mode: 'off', port: 0 } } as never,
      { catalog: loadPriceCatalog() },
    ).models;
    expect(models.map((model) => model.upstreamName)).toEqual([...(fireworksPreset.defaultModels ?? [])]);
    for (const model of models) expect(model.priceSource).toBe('catalog');
  });
});
