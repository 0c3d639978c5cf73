import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '@switchyard/core';
import { loadPriceCatalog } from '../catalog';
import { createAdapter, envProviderPresets, getVendor } from '../registry';
import { resolveModels } from '../resolve-models';
import { openAiPreset } from './openai-preset';

describe('openai preset', () => {
  it('is registered with its base URL and key variable', () => {
    expect(getVendor('openai')).toMatchObject({ type: 'openai', defaultBaseUrl: openAiPreset.defaultBaseUrl });
    expect(openAiPreset.defaultBaseUrl).toBe('https://api.openai.com/v1');
    expect(envProviderPresets.filter((preset) => preset.type === 'openai').map((preset) => preset.apiKeyEnv)).toEqual(['OPENAI_API_KEY']);
  });

  it('creates an adapter without a configured base URL', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'openai', type: 'openai', apiKey: 'k' }));
    expect(adapter).toMatchObject({ id: 'openai', type: 'openai' });
    await adapter.close();
  });

  it('has default models priced by the catalog, or none when models must come from config', () => {
    const models = resolveModels(
      { providers: [providerConfigSchema.parse({ id: 'openai', type: 'openai' })], models: [], simulator: { mode: 'off', port: 0 } } as never,
      { catalog: loadPriceCatalog() },
    ).models;
    expect(models.map((model) => model.upstreamName)).toEqual([...(openAiPreset.defaultModels ?? [])]);
    for (const model of models) expect(model.priceSource).toBe('catalog');
  });
});
