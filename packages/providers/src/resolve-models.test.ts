import { describe, expect, it } from 'vitest';
import { configSchema, type SwitchyardConfigInput } from '@switchyard/core';
import { createProviderSet } from './provider-set';
import { resolveModels, usesSimulator } from './resolve-models';

const config = (input: SwitchyardConfigInput) => configSchema.parse({ api: { auth: 'off' }, ...input });

describe('resolveModels', () => {
  it('serves the simulated fleet when no provider is configured', () => {
    const resolved = resolveModels(config({ simulator: { port: 7777 } }));
    expect(resolved.providers.map((provider) => [provider.id, provider.type, provider.baseUrl])).toEqual([
      ['sim-openai', 'openai-compatible', 'http://127.0.0.1:7777/openai/v1'],
      ['sim-anthropic', 'anthropic', 'http://127.0.0.1:7777/anthropic'],
      ['sim-gemini', 'gemini', 'http://127.0.0.1:7777/gemini'],
    ]);
    expect(resolved.models).toHaveLength(8);
    expect(resolved.models.find((model) => model.id === 'sim-anthropic/titan-ultra')).toMatchObject({
      providerId: 'sim-anthropic',
      upstreamName: 'titan-ultra',
      price: { inputPerMTok: 12, outputPerMTok: 60 },
      priceSource: 'fleet',
      contextWindow: 1_000_000,
      enabled: true,
    });
  });

  it('serves nothing simulated when the simulator is off, and both when it is on', () => {
    expect(resolveModels(config({ simulator: { mode: 'off' } }))).toEqual({ providers: [], models: [] });
    const both = config({ simulator: { mode: 'on' }, providers: [{ id: 'openai', type: 'openai', apiKey: 'k' }] });
    expect(usesSimulator(both)).toBe(true);
    expect(resolveModels(both).providers.map((provider) => provider.id)).toEqual(['openai', 'sim-openai', 'sim-anthropic', 'sim-gemini']);
  });

  it('prices configured models from config first, then the catalog; unknown local models are free', () => {
    const resolved = resolveModels(
      config({
        providers: [
          { id: 'openai', type: 'openai', apiKey: 'k' },
          { id: 'fw', type: 'fireworks', apiKey: 'k' },
          { id: 'local', type: 'ollama' },
        ],
        models: [
          { id: 'openai/gpt-5-mini' },
          { id: 'openai/custom', upstreamName: 'gpt-4o', displayName: 'Custom', price: { inputPerMTok: 9, outputPerMTok: 9 } },
          { id: 'fw/llama', upstreamName: 'accounts/fireworks/models/llama4-maverick-instruct-basic' },
          { id: 'local/llama3.2', capabilities: { tools: false } },
        ],
      }),
    );
    const byId = new Map(resolved.models.map((model) => [model.id, model]));
    expect(byId.get('openai/gpt-5-mini')).toMatchObject({ priceSource: 'catalog', price: { inputPerMTok: 0.25, outputPerMTok: 2 }, displayName: 'GPT-5 mini', contextWindow: 400000 });
    expect(byId.get('openai/custom')).toMatchObject({ priceSource: 'config', price: { inputPerMTok: 9 }, upstreamName: 'gpt-4o', displayName: 'Custom' });
    expect(byId.get('fw/llama')).toMatchObject({ priceSource: 'catalog', price: { inputPerMTok: 0.22, outputPerMTok: 0.88 } });
    expect(byId.get('local/llama3.2')).toMatchObject({ priceSource: 'config', price: { inputPerMTok: 0, outputPerMTok: 0 }, capabilities: { tools: false } });
    expect(resolved.models.some((model) => model.providerId.startsWith('sim-'))).toBe(false);
  });

  it('disables models of disabled providers', () => {
    const resolved = resolveModels(config({ providers: [{ id: 'anthropic', type: 'anthropic', apiKey: 'k', enabled: false }], simulator: { mode: 'off' } }));
    expect(resolved.models.length).toBeGreaterThan(0);
    expect(resolved.models.every((model) => !model.enabled)).toBe(true);
  });
});

describe('ProviderSet', () => {
  it('binds every enabled model to one adapter per provider', async () => {
    const set = createProviderSet(resolveModels(config({})));
    expect(set.providers.size).toBe(3);
    const binding = set.get('sim-gemini/blitz-flash');
    expect(binding.adapter).toBe(set.get('sim-gemini/polyglot-pro').adapter);
    expect(binding.settings).toEqual({ id: 'sim-gemini/blitz-flash', upstreamName: 'blitz-flash', price: { inputPerMTok: 0.15, outputPerMTok: 0.6 }, maxOutputTokens: 8192 });
    expect(set.find('sim-gemini/nope')).toBeUndefined();
    expect(() => set.get('sim-gemini/nope')).toThrow(expect.objectContaining({ code: 'model_not_found' }));
    await set.close();
  });
});
