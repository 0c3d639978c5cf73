import { describe, expect, it } from 'vitest';
import { loadConfig, providerConfigSchema } from '@switchyard/core';
import { createAdapter, envProviderPresets, providerTypes, vendors } from './registry';

describe('registry', () => {
  it('lists every vendor once', () => {
    expect([...providerTypes].sort()).toEqual(
      ['anthropic', 'deepseek', 'fireworks', 'gemini', 'groq', 'mistral', 'ollama', 'openai', 'openai-compatible', 'openrouter', 'together', 'vllm', 'xai'].sort(),
    );
    expect(new Set(providerTypes).size).toBe(vendors.length);
  });

  it('offers env presets with key and base-URL variables', () => {
    expect(envProviderPresets).toContainEqual({ type: 'openai', apiKeyEnv: 'OPENAI_API_KEY', baseUrlEnv: 'OPENAI_BASE_URL' });
    expect(envProviderPresets).toContainEqual({ type: 'anthropic', apiKeyEnv: 'ANTHROPIC_API_KEY', baseUrlEnv: 'ANTHROPIC_BASE_URL' });
    expect(envProviderPresets).toContainEqual({ type: 'gemini', apiKeyEnv: 'GEMINI_API_KEY', baseUrlEnv: 'GEMINI_BASE_URL' });
    expect(envProviderPresets).toContainEqual({ type: 'gemini', apiKeyEnv: 'GOOGLE_API_KEY', baseUrlEnv: 'GEMINI_BASE_URL' });
  });

  it('plugs into loadConfig: unknown types fail, GOOGLE_API_KEY enables Gemini once', () => {
    const options = { knownProviderTypes: providerTypes, envProviderPresets, cwd: '/nonexistent-dir' };
    const config = loadConfig({ ...options, env: { SWITCHYARD_API_AUTH: 'off', GOOGLE_API_KEY: 'g', GEMINI_API_KEY: 'h' } });
    expect(config.providers).toEqual([expect.objectContaining({ id: 'gemini', type: 'gemini', apiKey: 'h' })]);
    expect(() => createAdapter(providerConfigSchema.parse({ id: 'x', type: 'nope' }))).toThrow(expect.objectContaining({ code: 'config' }));
  });

  it('creates one adapter per provider with the provider id', async () => {
    for (const type of providerTypes) {
      const adapter = createAdapter(providerConfigSchema.parse({ id: `p-${type}`, type, baseUrl: 'http://127.0.0.1:9/v1' }));
      expect(adapter).toMatchObject({ id: `p-${type}`, type });
      await adapter.close();
    }
  });
});
