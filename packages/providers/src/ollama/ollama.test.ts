import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '@switchyard/core';
import { loadPriceCatalog } from '../catalog';
import { createAdapter, envProviderPresets, getVendor } from '../registry';
import { resolveModels } from '../resolve-models';
import { ollamaPreset } from './ollama-preset';

describe('ollama preset', () => {
  it('is registered with its base URL', () => {
    expect(getVendor('ollama')).toMatchObject({ type: 'ollama', defaultBaseUrl: ollamaPreset.defaultBaseUrl });
    expect(ollamaPreset.defaultBaseUrl).toBe('http://127.0.0.1:11434/v1');
    expect(envProviderPresets.filter((preset) => preset.type === 'ollama').map((preset) => preset.apiKeyEnv)).toEqual([]);
  });

  it('creates an adapter without a configured base URL', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'ollama', type: 'ollama', apiKey: 'k' }));
    expect(adapter).toMatchObject({ id: 'ollama', type: 'ollama' });
    await adapter.close();
  });

  it('has default models priced by the catalog, or none when models must come from config', () => {
    const models = resolveModels(
      { providers: [providerConfigSchema.parse({ id: 'ollama', type: 'ollama' })], models: [], simulator: { mode: 'off', port: 0 } } as never,
      { catalog: loadPriceCatalog() },
    ).models;
    expect(models.map((model) => model.upstreamName)).toEqual([...(ollamaPreset.defaultModels ?? [])]);
    for (const model of models) expect(model.priceSource).toBe('catalog');
  });
});
