import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-preset';

/** Mistral: `tool_choice: "any"` instead of "required"; no `stream_options` (usage comes anyway). */
export const mistralPreset: OpenAiCompatiblePreset = {
  type: 'mistral',
  displayName: 'Mistral',
  litellmProvider: 'mistral',
  defaultBaseUrl: 'https://api.mistral.ai/v1',
  apiKeyEnv: 'MISTRAL_API_KEY',
  baseUrlEnv: 'MISTRAL_BASE_URL',
  catalog: { provider: 'mistral' },
  defaultModels: ['mistral-medium-3', 'mistral-small-2603', 'codestral-2508'],
  quirks: { toolChoiceRequired: 'any', streamUsage: false, unsupportedFields: ['stream_options', 'user', 'logit_bias'] },
};
