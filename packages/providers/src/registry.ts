/**
 * Every vendor Switchyard speaks to, one line each. Adding a vendor = a folder under
 * `src/<vendor>/` plus one line here; nothing else changes.
 */
import { SwitchyardError, type EnvProviderPreset, type ProviderAdapter, type ProviderConfig } from '@switchyard/core';
import { anthropicVendor } from './anthropic/anthropic-vendor';
import { deepSeekPreset } from './deepseek/deepseek-preset';
import { fireworksPreset } from './fireworks/fireworks-preset';
import { geminiVendor } from './gemini/gemini-vendor';
import { groqPreset } from './groq/groq-preset';
import { mistralPreset } from './mistral/mistral-preset';
import { ollamaPreset } from './ollama/ollama-preset';
import { openAiPreset } from './openai/openai-preset';
import { openAiCompatiblePreset } from './openai-compatible/openai-compatible';
import { compatibleVendor } from './openai-compatible/openai-compatible-vendor';
import { openRouterPreset } from './openrouter/openrouter-preset';
import { togetherPreset } from './together/together-preset';
import { vllmPreset } from './vllm/vllm-preset';
import type { VendorRegistration } from './vendor';
import { xAiPreset } from './xai/xai-preset';

export const vendors: readonly VendorRegistration[] = [
  compatibleVendor(openAiPreset),
  anthropicVendor,
  geminiVendor,
  compatibleVendor(openRouterPreset),
  compatibleVendor(groqPreset),
  compatibleVendor(togetherPreset),
  compatibleVendor(deepSeekPreset),
  compatibleVendor(mistralPreset),
  compatibleVendor(fireworksPreset),
  compatibleVendor(xAiPreset),
  compatibleVendor(vllmPreset),
  compatibleVendor(ollamaPreset),
  compatibleVendor(openAiCompatiblePreset),
];

const byType = new Map(vendors.map((vendor) => [vendor.type, vendor]));

/** Provider types the registry knows; pass to core's `loadConfig({ knownProviderTypes })`. */
export const providerTypes: readonly string[] = vendors.map((vendor) => vendor.type);

/** Providers an API key in the environment switches on; pass to `loadConfig({ envProviderPresets })`. */
export const envProviderPresets: readonly EnvProviderPreset[] = vendors.flatMap((vendor) =>
  [vendor.apiKeyEnv, ...(vendor.alternateApiKeyEnvs ?? [])].flatMap((apiKeyEnv) =>
    apiKeyEnv ? [{ type: vendor.type, apiKeyEnv, ...(vendor.baseUrlEnv ? { baseUrlEnv: vendor.baseUrlEnv } : {}) }] : [],
  ),
);

export function getVendor(type: string): VendorRegistration | undefined {
  return byType.get(type);
}

/** One adapter (with its own keep-alive pool) for a configured provider. */
export function createAdapter(provider: ProviderConfig): ProviderAdapter {
  const vendor = byType.get(provider.type);
  if (!vendor) {
    throw new SwitchyardError('config', `unknown provider type "${provider.type}" (known: ${providerTypes.join(', ')})`, {
      retryable: false,
      provider: provider.id,
    });
  }
  return vendor.create(provider);
}

/**
 * Where each catalog model is served, for a policy export (`@switchyard/policy`'s
 * `ExportOptions.deployments`): its vendor's LiteLLM provider (if LiteLLM serves it natively),
 * the vendor's model name, the configured base URL and the adapter's default one. Never a key.
 */
export function exportDeployments(
  providers: ReadonlyArray<{ id: string; type: string; base_url: string | null }>,
  models: ReadonlyArray<{ id: string; provider_id: string; upstream_name: string }>,
): Record<string, { litellmProvider?: string; upstreamName: string; baseUrl?: string; defaultBaseUrl?: string }> {
  const byId = new Map(providers.map((provider) => [provider.id, provider]));
  const deployments: ReturnType<typeof exportDeployments> = {};
  for (const model of models) {
    const provider = byId.get(model.provider_id);
    if (!provider) continue;
    const vendor = byType.get(provider.type);
    const defaultBaseUrl = vendor?.defaultBaseUrl;
    deployments[model.id] = {
      ...(vendor?.litellmProvider === undefined ? {} : { litellmProvider: vendor.litellmProvider }),
      upstreamName: model.upstream_name,
      ...(provider.base_url === null ? {} : { baseUrl: provider.base_url }),
      ...(defaultBaseUrl === undefined ? {} : { defaultBaseUrl }),
    };
  }
  return deployments;
}
