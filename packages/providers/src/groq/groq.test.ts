import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '@switchyard/core';
import { loadPriceCatalog } from '../catalog';
import { createAdapter, envProviderPresets, getVendor } from '../registry';
import { resolveModels } from '../resolve-models';
import { groqPreset } from './groq-preset';

describe('groq preset', () => {
  it('is registered with its base URL and key variable', () => {
    expect(getVendor('groq')).toMatchObject({ type: 'groq', defaultBaseUrl: groqPreset.defaultBaseUrl });
    expect(groqPreset.defaultBaseUrl).toBe('https://api.groq.com/openai/v1');
    expect(envProviderPresets.filter((preset) => preset.type === 'groq').map((preset) => preset.apiKeyEnv)).toEqual(['GROQ_API_KEY']);
  });

  it('creates an adapter without a configured base URL', async () => {
    const adapter = createAdapter(providerConfigSchema.parse({ id: 'groq', type: 'groq', apiKey: 'k' }));
    expect(adapter).toMatchObject({ id: 'groq', type: 'groq' });
    await adapter.close();
  });

  it('has default models priced by the catalog, or none when models must come from config', () => {
    const models = resolveModels(
      { providers: [providerConfigSchema.parse({ id: 'groq', type: 'groq' })], models: [], simulator: { mode: 'off', port: 0 } } as never,
      { catalog: loadPriceCatalog() },
    ).models;
    expect(models.map((model) => model.upstreamName)).toEqual([...(groqPreset.defaultModels ?? [])]);
    for (const model of models) expect(model.priceSource).toBe('catalog');
  });
});
