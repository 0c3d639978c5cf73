import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-preset';

export const deepSeekPreset: OpenAiCompatiblePreset = {
  type: 'deepseek',
  displayName: 'DeepSeek',
  litellmProvider: 'deepseek',
  defaultBaseUrl: 'https://api.deepseek.com/v1',
  apiKeyEnv: 'DEEPSEEK_API_KEY',
  baseUrlEnv: 'DEEPSEEK_BASE_URL',
  catalog: { provider: 'deepseek' },
  defaultModels: ['deepseek-chat', 'deepseek-reasoner'],
  // DeepSeek's chat API has no `n`: one choice per call.
  quirks: { maxChoices: 1 },
};
