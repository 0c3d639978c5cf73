import type { VendorRegistration } from '../vendor';
import { createOpenAiCompatibleAdapter } from './openai-compatible-adapter';
import type { OpenAiCompatiblePreset } from './openai-compatible-preset';

/** Register an OpenAI-compatible preset: the shared base adapter plus the preset's settings. */
export function compatibleVendor(preset: OpenAiCompatiblePreset): VendorRegistration {
  return {
    type: preset.type,
    displayName: preset.displayName,
    create: (provider) => createOpenAiCompatibleAdapter(provider, preset),
    ...(preset.defaultBaseUrl ? { defaultBaseUrl: preset.defaultBaseUrl } : {}),
    ...(preset.apiKeyEnv ? { apiKeyEnv: preset.apiKeyEnv } : {}),
    ...(preset.baseUrlEnv ? { baseUrlEnv: preset.baseUrlEnv } : {}),
    ...(preset.catalog ? { catalog: preset.catalog } : {}),
    ...(preset.defaultModels ? { defaultModels: preset.defaultModels } : {}),
    ...(preset.litellmProvider ? { litellmProvider: preset.litellmProvider } : {}),
  };
}
