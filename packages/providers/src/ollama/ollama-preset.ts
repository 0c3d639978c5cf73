import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-preset';

/** A local Ollama; its OpenAI endpoint ignores keys. Models: from config (free, price 0 by default). */
export const ollamaPreset: OpenAiCompatiblePreset = {
  type: 'ollama',
  displayName: 'Ollama',
  defaultBaseUrl: 'http://127.0.0.1:11434/v1',
  baseUrlEnv: 'OLLAMA_BASE_URL',
  // Ollama's OpenAI-compatible endpoint ignores `n`.
  quirks: { maxChoices: 1 },
};
