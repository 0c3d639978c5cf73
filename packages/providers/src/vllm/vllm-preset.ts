import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-preset';

/** A self-hosted vLLM server; no key needed unless started with --api-key. Models: from config. */
export const vllmPreset: OpenAiCompatiblePreset = {
  type: 'vllm',
  displayName: 'vLLM',
  defaultBaseUrl: 'http://127.0.0.1:8000/v1',
  baseUrlEnv: 'VLLM_BASE_URL',
};
