import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-preset';

export const togetherPreset: OpenAiCompatiblePreset = {
  type: 'together',
  displayName: 'Together AI',
  litellmProvider: 'together_ai',
  defaultBaseUrl: 'https://api.together.xyz/v1',
  apiKeyEnv: 'TOGETHER_API_KEY',
  baseUrlEnv: 'TOGETHER_BASE_URL',
  catalog: { provider: 'together' },
  defaultModels: ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8'],
};
