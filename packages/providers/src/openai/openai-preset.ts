import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-preset';

export const openAiPreset: OpenAiCompatiblePreset = {
  type: 'openai',
  displayName: 'OpenAI',
  litellmProvider: 'openai',
  defaultBaseUrl: 'https://api.openai.com/v1',
  apiKeyEnv: 'OPENAI_API_KEY',
  baseUrlEnv: 'OPENAI_BASE_URL',
  catalog: { provider: 'openai' },
  defaultModels: ['gpt-5-mini', 'gpt-5-nano', 'gpt-4.1-mini', 'gpt-5'],
};
