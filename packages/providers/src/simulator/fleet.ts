/**
 * The simulated provider fleet: models described as data (format, price, latency,
 * reliability, skill per task category). The simulator app serves them; `resolveModels`
 * registers them as providers when no real provider is configured.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { capabilitiesSchema, categorySchema, priceSchema, providerConfigSchema, type ProviderConfig } from '@switchyard/core';

export const simulatorFormats = ['openai', 'anthropic', 'gemini'] as const;
export const simulatorFormatSchema = z.enum(simulatorFormats);
export type SimulatorFormat = z.infer<typeof simulatorFormatSchema>;

const rate = z.number().min(0).max(1);

export const latencyModelSchema = z.object({
  /** Median time to first token, ms (lognormal). */
  ttftMedianMs: z.number().nonnegative(),
  /** σ of the lognormal TTFT: 0 = constant, 0.5 = p90 ≈ 1.9 × median. */
  ttftSpread: z.number().min(0).max(3).default(0.35),
  /** Streaming speed after the first token. */
  tokensPerSecond: z.number().positive(),
});
export type LatencyModel = z.infer<typeof latencyModelSchema>;

export const reliabilityModelSchema = z.object({
  /** Probability per request of each error status. */
  errorRates: z
    .object({ '500': rate.default(0), '503': rate.default(0), '429': rate.default(0), '529': rate.default(0) })
    .prefault({}),
  /** Sent with 429s. */
  retryAfterSeconds: z.number().nonnegative().default(1),
  /** Probability the model never answers (the client's timeout fires). */
  timeoutRate: rate.default(0),
  /** Probability a stream is cut off midway. */
  cutRate: rate.default(0),
});
export type ReliabilityModel = z.infer<typeof reliabilityModelSchema>;

export const fleetModelSchema = z.object({
  /** The upstream model name, as clients send it. */
  name: z.string().regex(/^[a-z0-9][a-z0-9._/-]*$/, 'lower-case model names, e.g. "swift-mini" or "openai/gpt-5-mini"'),
  displayName: z.string().optional(),
  description: z.string().optional(),
  format: simulatorFormatSchema,
  price: priceSchema,
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive().default(8192),
  latency: latencyModelSchema,
  reliability: reliabilityModelSchema.prefault({}),
  /** P(correct) per task category; `general` is the fallback for unlisted categories. */
  skills: z.record(categorySchema, rate).refine((skills) => skills.general !== undefined, 'skills.general is required'),
  /** Multiplies the length of free-form answers. */
  verbosity: z.number().positive().default(1),
  capabilities: capabilitiesSchema.prefault({}),
});
export type FleetModel = z.infer<typeof fleetModelSchema>;

export const fleetSchema = z
  .object({
    schemaVersion: z.literal(1).default(1),
    models: z.array(fleetModelSchema).min(1),
  })
  .refine((fleet) => new Set(fleet.models.map((model) => model.name)).size === fleet.models.length, 'model names must be unique');
export type Fleet = z.infer<typeof fleetSchema>;
export type FleetInput = z.input<typeof fleetSchema>;

export const DEFAULT_FLEET_PATH = new URL('./default-fleet.json', import.meta.url);

/** Parse a fleet file (default: the bundled 8-model fleet). */
export function loadFleet(path?: string | URL): Fleet {
  return fleetSchema.parse(JSON.parse(readFileSync(path ?? DEFAULT_FLEET_PATH, 'utf8')) as unknown);
}

/** Provider id and path prefix under which the simulator serves each wire format. */
export const simulatorProviders: Record<SimulatorFormat, { id: string; type: string; path: string }> = {
  openai: { id: 'sim-openai', type: 'openai-compatible', path: '/openai/v1' },
  anthropic: { id: 'sim-anthropic', type: 'anthropic', path: '/anthropic' },
  gemini: { id: 'sim-gemini', type: 'gemini', path: '/gemini' },
};

/** Skill of a model for a category, falling back to `general`. */
export function skillFor(model: Pick<FleetModel, 'skills'>, category: string): number {
  return model.skills[category] ?? model.skills.general ?? 0.5;
}

/** Provider configs pointing at a simulator on `http://<host>:<port>`. */
export function simulatorProviderConfigs(port: number, host = '127.0.0.1'): ProviderConfig[] {
  return simulatorFormats.map((format) => {
    const provider = simulatorProviders[format];
    return providerConfigSchema.parse({
      id: provider.id,
      type: provider.type,
      baseUrl: `http://${host}:${port}${provider.path}`,
      apiKey: 'switchyard-simulator',
      jobRequestsPerMinute: 60_000,
      timeouts: { connectMs: 2_000, firstTokenMs: 30_000, totalMs: 120_000 },
    });
  });
}
