import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '@switchyard/core';
import { loadPriceCatalog } from '../catalog';
import { createAdapter, envProviderPresets, getVendor } from '../registry';
import { resolveModels } from '../resolve-models';
import { deepSeekPreset } from './deepseek-preset';

describe('deepseek preset', () => {
  it('is registered with its base URL and key variable', () => {
    expect(getVendor('deepseek')).toMatchObject({ type: 'deepseek', defaultBaseUrl: deepSeekPreset.defaultBaseUrl });
    expect(deepSeekPreset.defaultBaseUrl).toBe('https://api.deepseek.com/v1');
    expect(envProviderPresets.filter((preset) => preset.type === 'deepseek').map((preset) => preset.apiKeyEnv)).toEqual(['DEEPSEEK_API_KEY']);
  });

  it('creates an adapter without a configured base URL', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'deepseek', type: 'deepseek', apiKey: 'k' }));
    expect(adapter).toMatchObject({ id: 'deepseek', type: 'deepseek' });
    await adapter.close();
  });

  it('has default models priced by the catalog, or none when models must come from config', () => {
    const models = resolveModels(
      { providers: [providerConfigSchema.parse({ id: 'deepseek', type: 'deepseek' })], models: [], simulator: { mode: 'off', port: 0 } } as never,
      { catalog: loadPriceCatalog() },
    ).models;
    expect(models.map((model) => model.upstreamName)).toEqual([...(deepSeekPreset.defaultModels ?? [])]);
    for (const model of models) expect(model.priceSource).toBe('catalog');
  });
});
