import type { ProviderAdapter, ProviderConfig } from '@switchyard/core';

/** Everything Switchyard knows about one vendor type; `registry.ts` lists one per line. */
export interface VendorRegistration {
  /** Provider type in config (`openai`, `anthropic`, `groq`, …). */
  type: string;
  displayName: string;
  create(provider: ProviderConfig): ProviderAdapter;
  defaultBaseUrl?: string;
  /** The key variable whose presence enables this vendor without other configuration. */
  apiKeyEnv?: string;
  /** Further accepted key variables (e.g. GOOGLE_API_KEY next to GEMINI_API_KEY). */
  alternateApiKeyEnvs?: readonly string[];
  /** Variable overriding the base URL. */
  baseUrlEnv?: string;
  /**
   * Price-catalog vendor whose entries price this vendor's models. `vendorPrefixed`: model
   * names are `<vendor>/<model>` (OpenRouter) and are priced from that vendor's entries.
   */
  catalog?: { provider: string; modelPrefix?: string; vendorPrefixed?: boolean };
  /** Models enabled when the provider comes from an env key and config lists none. */
  defaultModels?: readonly string[];
  /**
   * LiteLLM's provider prefix for this vendor (`together_ai`), when LiteLLM serves it natively;
   * a policy export reaches every other vendor through LiteLLM's `openai/` with the base URL.
   */
  litellmProvider?: string;
}
