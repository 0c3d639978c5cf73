import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-preset';

/** Fireworks: API model names are `accounts/fireworks/models/<model>`. */
export const fireworksPreset: OpenAiCompatiblePreset = {
  type: 'fireworks',
  displayName: 'Fireworks AI',
  litellmProvider: 'fireworks_ai',
  defaultBaseUrl: 'https://api.fireworks.ai/inference/v1',
  apiKeyEnv: 'FIREWORKS_API_KEY',
  baseUrlEnv: 'FIREWORKS_BASE_URL',
  catalog: { provider: 'fireworks', modelPrefix: 'accounts/fireworks/models/' },
  defaultModels: ['accounts/fireworks/models/llama4-maverick-instruct-basic'],
};
