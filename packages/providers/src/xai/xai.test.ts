import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '@switchyard/core';
import { loadPriceCatalog } from '../catalog';
import { createAdapter, envProviderPresets, getVendor } from '../registry';
import { resolveModels } from '../resolve-models';
import { xAiPreset } from './xai-preset';

describe('xai preset', () => {
  it('is registered with its base URL and key variable', () => {
    expect(getVendor('xai')).toMatchObject({ type: 'xai', defaultBaseUrl: xAiPreset.defaultBaseUrl });
    expect(xAiPreset.defaultBaseUrl).toBe('https://api.x.ai/v1');
    expect(envProviderPresets.filter((preset) => preset.type === 'xai').map((preset) => preset.apiKeyEnv)).toEqual(['XAI_API_KEY']);
  });

  it('creates an adapter without a configured base URL', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'xai', type: 'xai', apiKey: 'k' }));
    expect(adapter).toMatchObject({ id: 'xai', type: 'xai' });
    await adapter.close();
  });

  it('has default models priced by the catalog, or none when models must come from config', () => {
    const models = resolveModels(
      { providers: [providerConfigSchema.parse({ id: 'xai', type: 'xai' })], models: [], simulator: { mode: 'off', port: 0 } } as never,
      { catalog: loadPriceCatalog() },
    ).models;
    expect(models.map((model) => model.upstreamName)).toEqual([...(xAiPreset.defaultModels ?? [])]);
    for (const model of models) expect(model.priceSource).toBe('catalog');
  });
});
