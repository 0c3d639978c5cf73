import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-preset';

/** OpenRouter: model names are `<vendor>/<model>`; it reports cost in usage when asked. */
export const openRouterPreset: OpenAiCompatiblePreset = {
  type: 'openrouter',
  displayName: 'OpenRouter',
  litellmProvider: 'openrouter',
  defaultBaseUrl: 'https://openrouter.ai/api/v1',
  apiKeyEnv: 'OPENROUTER_API_KEY',
  baseUrlEnv: 'OPENROUTER_BASE_URL',
  extraHeaders: { 'HTTP-Referer': 'https://github.com/switchyard', 'X-Title': 'Switchyard' },
  catalog: { provider: 'openrouter', vendorPrefixed: true },
  defaultModels: ['openai/gpt-5-mini', 'anthropic/claude-haiku-4-5', 'google/gemini-2.5-flash', 'deepseek/deepseek-chat'],
  // OpenRouter returns one choice whatever `n` says.
  quirks: { extraBody: { usage: { include: true } }, maxChoices: 1 },
};
