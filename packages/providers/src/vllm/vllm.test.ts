import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '@switchyard/core';
import { loadPriceCatalog } from '../catalog';
import { createAdapter, envProviderPresets, getVendor } from '../registry';
import { resolveModels } from '../resolve-models';
import { vllmPreset } from './vllm-preset';

describe('vllm preset', () => {
  it('is registered with its base URL', () => {
    expect(getVendor('vllm')).toMatchObject({ type: 'vllm', defaultBaseUrl: vllmPreset.defaultBaseUrl });
    expect(vllmPreset.defaultBaseUrl).toBe('http://127.0.0.1:8000/v1');
    expect(envProviderPresets.filter((preset) => preset.type === 'vllm').map((preset) => preset.apiKeyEnv)).toEqual([]);
  });

  it('creates an adapter without a configured base URL', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'vllm', type: 'vllm', apiKey: 'k' }));
    expect(adapter).toMatchObject({ id: 'vllm', type: 'vllm' });
    await adapter.close();
  });

  it('has default models priced by the catalog, or none when models must come from config', () => {
    const models = resolveModels(
      { providers: [providerConfigSchema.parse({ id: 'vllm', type: 'vllm' })], models: [], simulator: { mode: 'off', port: 0 } } as never,
      { catalog: loadPriceCatalog() },
    ).models;
    expect(models.map((model) => model.upstreamName)).toEqual([...(vllmPreset.defaultModels ?? [])]);
    for (const model of models) expect(model.priceSource).toBe('catalog');
  });
});
