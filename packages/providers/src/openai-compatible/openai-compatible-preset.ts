/** What distinguishes one OpenAI-compatible vendor from another: a base URL, auth and a few quirks. */
export interface OpenAiCompatibleQuirks {
  /** Vendor accepts `stream_options.include_usage` (default true). */
  streamUsage?: boolean;
  /** How the vendor spells "a tool must be called" (Mistral says `any`). */
  toolChoiceRequired?: 'required' | 'any';
  /**
   * The most choices (`n`) the vendor returns per call (default: 128, OpenAI's bound, or 1 when
   * `n` is an unsupported field). 1 where the API ignores `n`: the router then keeps requests
   * with `n` > 1 away from the vendor's models.
   */
  maxChoices?: number;
  /** Request fields the vendor rejects; removed before sending. */
  unsupportedFields?: readonly string[];
  /** Fields merged into every request body (e.g. OpenRouter's `usage: { include: true }`). */
  extraBody?: Readonly<Record<string, unknown>>;
}

export interface OpenAiCompatiblePreset {
  /** Provider type in config, e.g. `groq`. */
  type: string;
  displayName: string;
  /** Undefined for the generic preset, which needs `baseUrl` in config. */
  defaultBaseUrl?: string;
  /** Environment variable whose presence enables the provider. */
  apiKeyEnv?: string;
  /** Environment variable that overrides the base URL. */
  baseUrlEnv?: string;
  /** Header carrying the key; `authorization` sends `Bearer <key>`. */
  authHeader?: 'authorization' | 'api-key';
  extraHeaders?: Readonly<Record<string, string>>;
  /** Price-catalog vendor whose models this preset serves, with an optional name prefix. */
  catalog?: { provider: string; modelPrefix?: string; vendorPrefixed?: boolean };
  /** Models enabled when the key is in the environment and config lists none. */
  defaultModels?: readonly string[];
  quirks?: OpenAiCompatibleQuirks;
  /** LiteLLM's provider prefix, when LiteLLM serves this vendor natively (see `VendorRegistration`). */
  litellmProvider?: string;
}
