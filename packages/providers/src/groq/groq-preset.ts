import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-preset';

/** Groq: OpenAI-compatible; does not accept `n` > 1 or logprobs, so those are dropped. */
export const groqPreset: OpenAiCompatiblePreset = {
  type: 'groq',
  displayName: 'Groq',
  litellmProvider: 'groq',
  defaultBaseUrl: 'https://api.groq.com/openai/v1',
  apiKeyEnv: 'GROQ_API_KEY',
  baseUrlEnv: 'GROQ_BASE_URL',
  catalog: { provider: 'groq' },
  defaultModels: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant', 'meta-llama/llama-4-scout-17b-16e-instruct'],
  quirks: { unsupportedFields: ['n', 'logprobs', 'top_logprobs', 'logit_bias'] },
};
