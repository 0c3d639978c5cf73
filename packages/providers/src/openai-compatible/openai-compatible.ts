import type { OpenAiCompatiblePreset } from './openai-compatible-preset';

/** Any OpenAI-compatible endpoint: config must give `baseUrl` (and `apiKey` if it needs one). */
export const openAiCompatiblePreset: OpenAiCompatiblePreset = {
  type: 'openai-compatible',
  displayName: 'OpenAI-compatible',
};
