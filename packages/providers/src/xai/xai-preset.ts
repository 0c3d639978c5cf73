import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-preset';

export const xAiPreset: OpenAiCompatiblePreset = {
  type: 'xai',
  displayName: 'xAI',
  litellmProvider: 'xai',
  defaultBaseUrl: 'https://api.x.ai/v1',
  apiKeyEnv: 'XAI_API_KEY',
  baseUrlEnv: 'XAI_BASE_URL',
  catalog: { provider: 'x-ai' },
  defaultModels: ['grok-4-1-fast-non-reasoning', 'grok-3-mini', 'grok-code-fast-1'],
};
