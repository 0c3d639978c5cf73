/**
 * Configuration: parsed once at start-up from the environment and an optional
 * `switchyard.config.json`, then passed into every factory. Nothing reads `process.env`
 * after this. A bad setting fails fast with one line naming the setting and its variable.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { capabilitiesSchema, categorySchema, modelIdSchema, priceSchema } from './domain';
import { SwitchyardError } from './errors';

const urlString = z.string().refine((value) => {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid URL');

const providerIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'provider ids are lower-case, without "/" (e.g. "openai")');

export const timeoutsSchema = z.object({
  connectMs: z.number().int().positive().default(5_000),
  firstTokenMs: z.number().int().positive().default(30_000),
  totalMs: z.number().int().positive().default(120_000),
});

export const providerConfigSchema = z.object({
  id: providerIdSchema,
  /** Adapter type: `openai`, `anthropic`, `gemini`, an OpenAI-compatible preset, or `openai-compatible`. */
  type: z.string().min(1),
  baseUrl: urlString.optional(),
  /** Literal key, or `env:NAME` to read it from the environment at start-up. */
  apiKey: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  timeouts: timeoutsSchema.prefault({}),
  /** Upper bound of concurrent upstream connections in the keep-alive pool. */
  maxConnections: z.number().int().positive().default(128),
  /** Jobs' requests per minute to this provider (probes and evals), BullMQ rate limiter. */
  jobRequestsPerMinute: z.number().int().positive().default(600),
  enabled: z.boolean().default(true),
});
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

export const modelConfigSchema = z.object({
  id: modelIdSchema,
  /** The vendor's model name, when it differs from the part after the provider id. */
  upstreamName: z.string().optional(),
  displayName: z.string().optional(),
  /** Overrides the price catalog. */
  price: priceSchema.optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  capabilities: capabilitiesSchema.prefault({}),
  enabled: z.boolean().default(true),
});
export type ModelConfig = z.infer<typeof modelConfigSchema>;

export const objectiveSchema = z.object({
  /** Weight of expected quality in [0,1]. */
  quality: z.number().nonnegative().default(1),
  /** λ_cost: utility lost per (cost / reference cost); see packages/optimizer. */
  cost: z.number().nonnegative().default(0.3),
  /** λ_latency: utility lost per (p50 latency / reference latency). */
  latency: z.number().nonnegative().default(0.1),
});
export type Objective = z.infer<typeof objectiveSchema>;

export const constraintsSchema = z.object({
  maxCostPerRequestUsd: z.number().positive().optional(),
  maxCostPerMTok: z.number().positive().optional(),
  maxTtftMs: z.number().positive().optional(),
  minQuality: z.number().min(0).max(1).optional(),
  /**
   * Average spend per 1,000 requests (USD): the optimizer routes the best mix of models whose
   * expected cost stays within it. An expectation over the routing mix, not a per-request cap
   * (that is `maxCostPerRequestUsd`).
   */
  budgetPer1kUsd: z.number().positive().optional(),
});
export type Constraints = z.infer<typeof constraintsSchema>;

export const routeNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'route names are lower-case words like "cheap"');

export const routeConfigSchema = z.object({
  /** `auto` is the default route; others are addressed as `auto:<name>`. */
  name: routeNameSchema,
  description: z.string().optional(),
  /** Candidate model ids; empty means every enabled model. */
  candidates: z.array(modelIdSchema).default([]),
  objective: objectiveSchema.prefault({}),
  constraints: constraintsSchema.prefault({}),
});
export type RouteConfig = z.infer<typeof routeConfigSchema>;

export const defaultRoutes: RouteConfig[] = [
  {
    name: 'auto',
    description: 'Balanced: best quality for the money, latency matters a little',
    candidates: [],
    objective: { quality: 1, cost: 0.3, latency: 0.1 },
    constraints: {},
  },
  {
    name: 'cheap',
    description: 'Lowest cost that keeps acceptable quality',
    candidates: [],
    objective: { quality: 1, cost: 5, latency: 0.05 },
    constraints: { minQuality: 0.3 },
  },
  {
    name: 'quality',
    description: 'Highest quality, cost barely matters',
    candidates: [],
    objective: { quality: 1, cost: 0.02, latency: 0.02 },
    constraints: {},
  },
  {
    name: 'fast',
    description: 'Lowest latency with reasonable quality',
    candidates: [],
    objective: { quality: 1, cost: 0.1, latency: 1 },
    constraints: { maxTtftMs: 1500 },
  },
];

const everyMs = z.number().int().min(1000);

export const schedulesSchema = z.object({
  latencyProbe: z
    .object({
      everyMs: everyMs.default(60_000),
      /** Model ids to probe; empty means every enabled model. */
      models: z.array(modelIdSchema).default([]),
      dailyBudgetUsd: z.number().nonnegative().default(0.5),
    })
    .prefault({}),
  catalogSync: z.object({ everyMs: everyMs.default(6 * 3600_000) }).prefault({}),
  outcomeIngest: z.object({ everyMs: everyMs.default(2_000), batchSize: z.number().int().positive().default(5_000) }).prefault({}),
  optimize: z.object({ everyMs: everyMs.default(60_000) }).prefault({}),
  /** Scheduled eval runs: dataset name × models. */
  evals: z
    .array(
      z.object({
        dataset: z.string().min(1),
        models: z.array(modelIdSchema).default([]),
        everyMs: everyMs.default(24 * 3600_000),
        sample: z.number().int().positive().optional(),
      }),
    )
    .default([]),
});
export type Schedules = z.infer<typeof schedulesSchema>;

export const optimizerConfigSchema = z.object({
  algorithm: z.enum(['thompson', 'contextual']).default('thompson'),
  /** Evidence half-life; older outcomes count for less so degradations are noticed. */
  halfLifeHours: z.number().positive().default(24),
  /** Minimum weight of every eligible model, so each keeps being measured. */
  explorationFloor: z.number().min(0).max(0.2).default(0.02),
  /** How many live samples an offline eval result is worth as a prior. */
  evalPriorSamples: z.number().positive().default(50),
  /** Publish only when some weight moved by more than this (L1 per route/category)… */
  publishThreshold: z.number().min(0).default(0.05),
  /** …and the move raises some route/category's expected utility (quality units) by at least this. */
  publishMinGain: z.number().min(0).default(0.005),
  monteCarloSamples: z.number().int().positive().default(2000),
  /** Opt-in: share of live responses graded by an LLM judge. */
  judgeSampleRate: z.number().min(0).max(1).default(0),
  judgeModel: modelIdSchema.optional(),
});
export type OptimizerConfig = z.infer<typeof optimizerConfigSchema>;

export const configSchema = z.object({
  host: z.string().default('127.0.0.1'),
  dataDir: z.string().default('.switchyard'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: an embedded PostgreSQL under `<dataDir>/pg`. */
  databaseUrl: urlString.optional(),
  redisUrl: urlString.default('redis://127.0.0.1:6379'),
  /** Key prefix for every Redis key and BullMQ queue, so several installs share one Redis. */
  redisPrefix: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('sy'),
  api: z
    .object({
      port: z.number().int().min(0).max(65535).default(7070),
      /** Admin token for the control plane; unset with auth "off" only for local use. */
      adminToken: z.string().min(16).optional(),
      auth: z.enum(['on', 'off']).default('on'),
      maxUploadBytes: z.number().int().positive().default(100 * 1024 * 1024),
    })
    .prefault({}),
  router: z
    .object({
      port: z.number().int().min(0).max(65535).default(7071),
      /** API keys on /v1/*; "off" only for local use. */
      auth: z.enum(['on', 'off']).default('on'),
      bodyLimitBytes: z.number().int().positive().default(4 * 1024 * 1024),
      /** Record prompt text in decision records and headers (off by default). */
      logContent: z.boolean().default(false),
      /** Total time budget of one request including failovers. */
      requestBudgetMs: z.number().int().positive().default(60_000),
      policyCheckIntervalMs: z.number().int().positive().default(10_000),
      circuitBreaker: z
        .object({
          failureThreshold: z.number().int().positive().default(5),
          coolDownMs: z.number().int().positive().default(15_000),
        })
        .prefault({}),
      decisionStreamMaxLen: z.number().int().positive().default(1_000_000),
    })
    .prefault({}),
  simulator: z
    .object({
      /** `auto`: run it when no real provider is configured. */
      mode: z.enum(['auto', 'on', 'off']).default('auto'),
      port: z.number().int().min(0).max(65535).default(7072),
      fleetFile: z.string().optional(),
      controlToken: z.string().min(8).default('switchyard-simulator'),
      zeroLatency: z.boolean().default(false),
    })
    .prefault({}),
  worker: z
    .object({
      concurrency: z.number().int().positive().default(8),
      shutdownDeadlineMs: z.number().int().positive().default(20_000),
    })
    .prefault({}),
  /** Built-in traffic generator for demos: requests per second to the router, 0 = off. */
  demoTraffic: z.object({ ratePerSecond: z.number().min(0).max(50).default(0) }).prefault({}),
  providers: z.array(providerConfigSchema).default([]),
  models: z.array(modelConfigSchema).default([]),
  routes: z.array(routeConfigSchema).default(defaultRoutes),
  categories: z.array(categorySchema).optional(),
  schedules: schedulesSchema.prefault({}),
  optimizer: optimizerConfigSchema.prefault({}),
});
export type SwitchyardConfig = z.infer<typeof configSchema>;
export type SwitchyardConfigInput = z.input<typeof configSchema>;

/** Which environment variable feeds which setting (for overrides and error messages). */
const envSettings: ReadonlyArray<{ variable: string; path: string[]; kind: 'string' | 'int' | 'bool' }> = [
  { variable: 'DATABASE_URL', path: ['databaseUrl'], kind: 'string' },
  { variable: 'REDIS_URL', path: ['redisUrl'], kind: 'string' },
  { variable: 'SWITCHYARD_REDIS_PREFIX', path: ['redisPrefix'], kind: 'string' },
  { variable: 'SWITCHYARD_HOST', path: ['host'], kind: 'string' },
  { variable: 'SWITCHYARD_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { variable: 'LOG_LEVEL', path: ['logLevel'], kind: 'string' },
  { variable: 'SWITCHYARD_API_PORT', path: ['api', 'port'], kind: 'int' },
  { variable: 'SWITCHYARD_ADMIN_TOKEN', path: ['api', 'adminToken'], kind: 'string' },
  { variable: 'SWITCHYARD_API_AUTH', path: ['api', 'auth'], kind: 'string' },
  { variable: 'SWITCHYARD_ROUTER_PORT', path: ['router', 'port'], kind: 'int' },
  { variable: 'SWITCHYARD_ROUTER_AUTH', path: ['router', 'auth'], kind: 'string' },
  { variable: 'SWITCHYARD_LOG_CONTENT', path: ['router', 'logContent'], kind: 'bool' },
  { variable: 'SWITCHYARD_SIMULATOR', path: ['simulator', 'mode'], kind: 'string' },
  { variable: 'SWITCHYARD_SIMULATOR_PORT', path: ['simulator', 'port'], kind: 'int' },
  { variable: 'SWITCHYARD_SIMULATOR_TOKEN', path: ['simulator', 'controlToken'], kind: 'string' },
  { variable: 'SWITCHYARD_SIMULATOR_FLEET', path: ['simulator', 'fleetFile'], kind: 'string' },
  { variable: 'SWITCHYARD_WORKER_CONCURRENCY', path: ['worker', 'concurrency'], kind: 'int' },
  { variable: 'SWITCHYARD_DEMO_TRAFFIC', path: ['demoTraffic', 'ratePerSecond'], kind: 'int' },
];

/** A provider that switches itself on when its key is in the environment. */
export interface EnvProviderPreset {
  type: string;
  apiKeyEnv: string;
  /** Provider id to use (defaults to the type). */
  id?: string;
  /** Variable that overrides the preset's base URL (e.g. OPENAI_BASE_URL), read at start-up. */
  baseUrlEnv?: string;
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** Path of the config file; defaults to `SWITCHYARD_CONFIG` or `./switchyard.config.json` if present. */
  file?: string;
  /** Adapter types the provider registry knows; an unknown type is a config error. */
  knownProviderTypes?: readonly string[];
  /** Presets enabled by an API key in the environment (e.g. OPENAI_API_KEY). */
  envProviderPresets?: readonly EnvProviderPreset[];
  cwd?: string;
}

export class ConfigError extends SwitchyardError {
  constructor(message: string, cause?: unknown) {
    super('config', message, { cause, retryable: false });
    this.name = 'ConfigError';
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(root)';
}

/** The config file a configuration was loaded from, as far as re-applying its routes cares. */
export interface ConfigFileSource {
  /** The file looked for (`SWITCHYARD_CONFIG`, else `./switchyard.config.json`), absolute. */
  path: string;
  /** Whether it existed (so the configuration holds what it says). */
  exists: boolean;
  /** Whether it declares `routes` (otherwise the routes are the built-in defaults). */
  declaresRoutes: boolean;
}

/**
 * Parse the configuration. Throws `ConfigError` whose message is one line naming the
 * setting (and the environment variable or file that set it).
 */
export function loadConfig(options: LoadConfigOptions = {}): SwitchyardConfig {
  return loadConfigWithSource(options).config;
}

/** `loadConfig`, and which config file it read. */
export function loadConfigWithSource(options: LoadConfigOptions = {}): { config: SwitchyardConfig; source: ConfigFileSource } {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicitFile = options.file ?? env.SWITCHYARD_CONFIG;
  const file = resolve(cwd, explicitFile ?? 'switchyard.config.json');
  let raw: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  const fileExists = existsSync(file);

  if (fileExists) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`config file ${file}: cannot be read (${(error as Error).message})`, error);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new ConfigError(`config file ${file}: must hold a JSON object`);
      }
      raw = parsed as Record<string, unknown>;
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`config file ${file}: malformed JSON (${(error as Error).message})`, error);
    }
  } else if (explicitFile !== undefined) {
    throw new ConfigError(`SWITCHYARD_CONFIG: config file ${file} does not exist`);
  }
  const fileRoutes = raw.routes;

  for (const setting of envSettings) {
    const value = env[setting.variable];
    if (value === undefined || value === '') continue;
    let parsed: unknown = value;
    if (setting.kind === 'int') {
      parsed = /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    } else if (setting.kind === 'bool') {
      parsed = ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
    }
    setPath(raw, setting.path, parsed);
    origin.set(setting.path.join('.'), setting.variable);
  }

  // Providers switched on by a key in the environment, unless configured explicitly.
  const declared = Array.isArray(raw.providers) ? (raw.providers as Array<Record<string, unknown>>) : [];
  const providers = [...declared];
  for (const preset of options.envProviderPresets ?? []) {
    const key = env[preset.apiKeyEnv];
    if (!key) continue;
    const id = preset.id ?? preset.type;
    if (providers.some((provider) => provider.id === id || provider.type === preset.type)) continue;
    const baseUrl = preset.baseUrlEnv ? env[preset.baseUrlEnv] : undefined;
    providers.push({ id, type: preset.type, apiKey: `env:${preset.apiKeyEnv}`, ...(baseUrl ? { baseUrl } : {}) });
  }
  if (providers.length > 0) raw.providers = providers;

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = formatPath(issue?.path ?? []);
    const variable = origin.get((issue?.path ?? []).map(String).join('.'));
    const source = variable ? `${variable} (${path})` : existsSync(file) ? `${path} in ${file}` : path;
    throw new ConfigError(`invalid setting ${source}: ${issue?.message ?? 'invalid'}`, result.error);
  }
  const config = result.data;

  const known = options.knownProviderTypes;
  const providerIds = new Set<string>();
  for (const [index, provider] of config.providers.entries()) {
    if (known && !known.includes(provider.type)) {
      throw new ConfigError(
        `invalid setting providers[${index}].type: unknown provider type "${provider.type}" (known: ${known.join(', ')})`,
      );
    }
    if (providerIds.has(provider.id)) {
      throw new ConfigError(`invalid setting providers[${index}].id: duplicate provider id "${provider.id}"`);
    }
    providerIds.add(provider.id);
    if (provider.apiKey?.startsWith('env:')) {
      const variable = provider.apiKey.slice(4);
      const value = env[variable];
      if (!value) {
        throw new ConfigError(`invalid setting providers[${index}].apiKey: environment variable ${variable} is not set`);
      }
      provider.apiKey = value;
    }
  }
  for (const [index, model] of config.models.entries()) {
    const provider = model.id.slice(0, model.id.indexOf('/'));
    if (!providerIds.has(provider)) {
      throw new ConfigError(`invalid setting models[${index}].id: provider "${provider}" of "${model.id}" is not configured`);
    }
  }
  const routeNames = new Set<string>();
  for (const [index, route] of config.routes.entries()) {
    if (routeNames.has(route.name)) throw new ConfigError(`invalid setting routes[${index}].name: duplicate route "${route.name}"`);
    routeNames.add(route.name);
  }
  if (!routeNames.has('auto')) config.routes.unshift(defaultRoutes[0] as RouteConfig);
  if (config.api.auth === 'on' && !config.api.adminToken) {
    throw new ConfigError('invalid setting api.adminToken: SWITCHYARD_ADMIN_TOKEN is required when SWITCHYARD_API_AUTH is "on" (set it, or SWITCHYARD_API_AUTH=off for local use)');
  }
  return { config, source: { path: file, exists: fileExists, declaresRoutes: Array.isArray(fileRoutes) } };
}
