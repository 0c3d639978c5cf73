import type { VendorRegistration } from '../vendor';
import { ANTHROPIC_DEFAULT_BASE_URL, createAnthropicAdapter } from './anthropic-adapter';

export const anthropicVendor: VendorRegistration = {
  type: 'anthropic',
  displayName: 'Anthropic',
  litellmProvider: 'anthropic',
  create: createAnthropicAdapter,
  defaultBaseUrl: ANTHROPIC_DEFAULT_BASE_URL,
  apiKeyEnv: 'ANTHROPIC_API_KEY',
  baseUrlEnv: 'ANTHROPIC_BASE_URL',
  catalog: { provider: 'anthropic' },
  defaultModels: ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-4-1'],
};
