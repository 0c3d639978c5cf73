import type { VendorRegistration } from '../vendor';
import { GEMINI_DEFAULT_BASE_URL, createGeminiAdapter } from './gemini-adapter';

export const geminiVendor: VendorRegistration = {
  type: 'gemini',
  displayName: 'Google Gemini',
  litellmProvider: 'gemini',
  create: createGeminiAdapter,
  defaultBaseUrl: GEMINI_DEFAULT_BASE_URL,
  apiKeyEnv: 'GEMINI_API_KEY',
  alternateApiKeyEnvs: ['GOOGLE_API_KEY'],
  baseUrlEnv: 'GEMINI_BASE_URL',
  catalog: { provider: 'google' },
  defaultModels: ['gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.5-pro'],
};
