/**
 * "A key in the environment enables the provider": with only OPENAI_API_KEY (and friends)
 * set, config gains the provider, its default models come priced from the catalog, and
 * calls work — here against the simulator, via each preset's base-URL variable.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costUsd, loadConfig } from '@switchyard/core';
import { createProviderSet, envProviderPresets, loadPriceCatalog, providerTypes, resolveModels, type FleetModel } from '@switchyard/providers';
import type { RunningSimulator } from './simulator';
import { reliableFleet, startTestSimulator } from './test-support';

let simulator: RunningSimulator;
const cwd = mkdtempSync(join(tmpdir(), 'switchyard-env-'));

beforeAll(async () => {
  const fleet = reliableFleet();
  const like = (name: string, template: string): FleetModel => ({ ...(fleet.models.find((model) => model.name === template) as FleetModel), name });
  // Real vendor model names, so the catalog's default models resolve against the simulator.
  fleet.models.push(like('gpt-5-mini', 'allround-m'), like('openai/gpt-5-mini', 'allround-m'), like('claude-haiku-4-5', 'coder-pro'), like('gemini-2.5-flash', 'blitz-flash'));
  simulator = await startTestSimulator({ fleet });
});
afterAll(() => simulator.close());

const load = (env: Record<string, string>) => loadConfig({ env: { SWITCHYARD_API_AUTH: 'off', ...env }, knownProviderTypes: providerTypes, envProviderPresets, cwd });

describe('providers enabled by environment keys', () => {
  it('enables OpenAI, Anthropic, Gemini and OpenRouter from their keys alone and serves their default models', async () => {
    const config = load({
      OPENAI_API_KEY: 'sk-openai',
      OPENAI_BASE_URL: `${simulator.url}/openai/v1`,
      ANTHROPIC_API_KEY: 'sk-ant',
      ANTHROPIC_BASE_URL: `${simulator.url}/anthropic`,
      GEMINI_API_KEY: 'gm-key',
      GEMINI_BASE_URL: `${simulator.url}/gemini`,
      OPENROUTER_API_KEY: 'sk-or',
      OPENROUTER_BASE_URL: `${simulator.url}/openai/v1`,
    });
    expect(config.providers.map((provider) => provider.type)).toEqual(['openai', 'anthropic', 'gemini', 'openrouter']);
    expect(config.providers[0]).toMatchObject({ id: 'openai', apiKey: 'sk-openai', baseUrl: `${simulator.url}/openai/v1` });

    const resolved = resolveModels(config);
    expect(resolved.providers.map((provider) => provider.id)).not.toContain('sim-openai');
    const catalog = loadPriceCatalog();
    const ids = ['openai/gpt-5-mini', 'anthropic/claude-haiku-4-5', 'gemini/gemini-2.5-flash', 'openrouter/openai/gpt-5-mini'];
    const set = createProviderSet(resolved);
    try {
      for (const id of ids) {
        const binding = set.get(id);
        expect(binding.model.priceSource).toBe('catalog');
        const vendor = id.startsWith('gemini') ? 'google' : id.startsWith('anthropic') ? 'anthropic' : 'openai';
        expect(binding.model.price).toEqual(catalog.find(vendor, binding.model.upstreamName.replace(/^openai\//, ''))?.price);
        const response = await binding.adapter.chat({ model: id, messages: [{ role: 'user', content: 'Say hello' }] }, { model: binding.settings });
        expect(response.choices[0]?.message.content?.length).toBeGreaterThan(0);
        const usage = response.usage;
        expect(usage.cost).toBeCloseTo(costUsd(binding.model.price, { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, cachedTokens: usage.prompt_tokens_details?.cached_tokens }), 12);
      }
    } finally {
      await set.close();
    }
  });

  it('without any key, the simulated fleet is the provider set', () => {
    const config = load({});
    expect(config.providers).toEqual([]);
    const resolved = resolveModels(config);
    expect(resolved.providers.map((provider) => provider.id)).toEqual(['sim-openai', 'sim-anthropic', 'sim-gemini']);
    expect(resolved.models).toHaveLength(8);
    expect(resolved.models.every((model) => model.priceSource === 'fleet')).toBe(true);
  });

  it('a preset enabled by its key gets catalog default models, and vendor 404s come back typed', async () => {
    const config = load({ GROQ_API_KEY: 'gsk-x', GROQ_BASE_URL: `${simulator.url}/openai/v1` });
    expect(config.providers).toMatchObject([{ id: 'groq', type: 'groq', apiKey: 'gsk-x' }]);
    const resolved = resolveModels(config);
    expect(resolved.models.map((model) => model.id)).toContain('groq/llama-3.3-70b-versatile');
    const set = createProviderSet(resolved);
    try {
      // The simulator has no such model: the vendor's 404 comes back typed.
      const binding = set.get('groq/llama-3.3-70b-versatile');
      await expect(binding.adapter.chat({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }, { model: binding.settings })).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await set.close();
    }
  });
});
