/**
 * Test harness: a real simulator (zero latency, control endpoint) on 127.0.0.1, real Postgres
 * and Redis (own database and key prefix), and the router on a real socket.
 */
import { configSchema, createLogger, type Capabilities, type SwitchyardConfig, type SwitchyardConfigInput } from '@switchyard/core';
import { publishAndAnnounce } from '@switchyard/db';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@switchyard/db/testing';
import { policyHash, type PolicyDocumentInput } from '@switchyard/policy';

type ClassifierInput = NonNullable<PolicyDocumentInput['classifier']>;
import { createProviderSet, fleetModels, fleetSchema, type FleetInput, type ProviderSet } from '@switchyard/providers';
import { startSimulator, type ModelPatch, type RunningSimulator } from '@switchyard/simulator';
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import { createRouter, type SwitchyardRouter } from '../src/index';

export const CONTROL_TOKEN = 'router-test-control';

const model = (name: string, input: number, output: number, extra: Record<string, unknown> = {}, format: 'openai' | 'anthropic' | 'gemini' = 'openai') => ({
  name,
  format,
  price: { inputPerMTok: input, outputPerMTok: output },
  contextWindow: 128_000,
  latency: { ttftMedianMs: 1, ttftSpread: 0, tokensPerSecond: 10_000 },
  reliability: { errorRates: { '500': 0, '503': 0, '429': 0, '529': 0 }, retryAfterSeconds: 1 },
  skills: { general: 0.8 },
  ...extra,
});

export const testFleet: FleetInput = {
  models: [
    model('alpha', 1, 2),
    model('beta', 0.5, 1),
    model('gamma', 3, 6, { capabilities: { vision: true } }),
  ],
};

export const ALPHA = 'sim-openai/alpha';
export const BETA = 'sim-openai/beta';
export const GAMMA = 'sim-openai/gamma';

export interface Harness {
  url: string;
  router: SwitchyardRouter;
  simulator: RunningSimulator;
  database: TestDatabase;
  redis: TestRedis;
  config: SwitchyardConfig;
  providerSet: ProviderSet;
  /** Patch a simulated model (faults, latency). */
  patch(modelName: string, patch: ModelPatch): Promise<void>;
  resetFleet(): Promise<void>;
  /** Publish a policy routing `auto`/general by these weights (fallback order = listed order), optionally with a classifier. */
  publish(weights: Record<string, number>, extraRoutes?: Record<string, Record<string, number>>, classifier?: ClassifierInput): Promise<string>;
  /** `publish`, then wait until the router routes by it. */
  publishAndWait(weights: Record<string, number>, extraRoutes?: Record<string, Record<string, number>>, classifier?: ClassifierInput): Promise<string>;
  close(): Promise<void>;
}

function categoryPolicy(weights: Record<string, number>) {
  return {
    models: Object.entries(weights).map(([id, weight]) => ({
      model: id,
      weight,
      expected: { quality: 0.8, costPerRequestUsd: 0.001, ttftP50Ms: 100, ttftP95Ms: 200, latencyP50Ms: 300, latencyP95Ms: 600 },
    })),
    fallbackOrder: Object.keys(weights),
  };
}

function routePolicy(weights: Record<string, number>) {
  return {
    objective: { quality: 1, cost: 0.3, latency: 0.1 },
    constraints: {},
    candidates: Object.keys(weights),
    categories: { general: categoryPolicy(weights) },
    why: 'test policy',
  };
}

/** The harness takes the test fleet plus these (named `sim-<format>/<name>`). */
export interface ExtraModel {
  name: string;
  format: 'openai' | 'anthropic' | 'gemini';
  inputPerMTok: number;
  outputPerMTok: number;
  capabilities?: Partial<Capabilities>;
}

export interface HarnessOptions {
  auth?: 'on' | 'off';
  router?: SwitchyardConfigInput['router'];
  firstTokenMs?: number;
  extraModels?: ExtraModel[];
}

/**
 * The harness of a test file: started before its tests (ahead of the file's own `beforeAll`,
 * which may use it) and closed after them. Read it as a `Harness`; before it started, any read throws.
 */
export function harnessForFile(options: HarnessOptions = {}): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(options);
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  }, 60_000);
  return new Proxy({} as Harness, {
    get: (_target, key) => {
      if (!started) throw new Error('the harness starts in beforeAll: read it inside a hook or a test');
      return Reflect.get(started, key, started) as unknown;
    },
  });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const extra = (options.extraModels ?? []).map((entry) =>
    model(entry.name, entry.inputPerMTok, entry.outputPerMTok, entry.capabilities ? { capabilities: entry.capabilities } : {}, entry.format),
  );
  const fleet = fleetSchema.parse({ models: [...testFleet.models, ...extra] });
  const simulator = await startSimulator({ host: '127.0.0.1', port: 0, fleet, controlToken: CONTROL_TOKEN, zeroLatency: true, logger: false });
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const config = configSchema.parse({
    host: '127.0.0.1',
    redisPrefix: redis.prefix,
    logLevel: 'silent',
    api: { auth: 'off' },
    simulator: { mode: 'on', port: simulator.port },
    router: {
      port: 0,
      auth: options.auth ?? 'off',
      requestBudgetMs: 10_000,
      policyCheckIntervalMs: 60_000,
      circuitBreaker: { failureThreshold: 50, coolDownMs: 500 },
      ...options.router,
    },
    routes: [
      { name: 'auto', candidates: [] },
      { name: 'cheap', candidates: [BETA, ALPHA], constraints: { maxCostPerMTok: 1 } },
    ],
  } satisfies SwitchyardConfigInput);
  const resolved = fleetModels(fleet, simulator.port, '127.0.0.1');
  const firstTokenMs = options.firstTokenMs ?? 5_000;
  for (const provider of resolved.providers) provider.timeouts = { connectMs: 1_000, firstTokenMs, totalMs: 10_000 };
  const providerSet = createProviderSet(resolved);
  const logger = createLogger('silent');
  const router = createRouter(config, { db: database.db, redis: redis.redis, providerSet, logger, defaultMetrics: false });
  const url = await router.start();

  const control = async (path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${simulator.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CONTROL_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`simulator control ${path}: ${response.status} ${await response.text()}`);
  };

  let parent: string | null = null;
  const publish = async (weights: Record<string, number>, extraRoutes: Record<string, Record<string, number>> = {}, classifier?: ClassifierInput): Promise<string> => {
    const routes: Record<string, unknown> = { auto: routePolicy(weights) };
    for (const [name, routeWeights] of Object.entries(extraRoutes)) routes[name] = routePolicy(routeWeights);
    const document: PolicyDocumentInput = {
      schemaVersion: 1,
      parentHash: parent,
      createdAt: new Date().toISOString(),
      generator: { algorithm: 'manual', settings: {} },
      routes: routes as PolicyDocumentInput['routes'],
      ...(classifier ? { classifier } : {}),
    };
    const hash = policyHash(document);
    await publishAndAnnounce(database.db, redis.redis, redis.prefix, {
      hash,
      schemaVersion: 1,
      parentHash: parent,
      document: document as unknown as Record<string, unknown>,
      createdBy: 'test',
    });
    parent = hash;
    return hash;
  };
  return {
    url,
    router,
    simulator,
    database,
    redis,
    config,
    providerSet,
    patch: (modelName, patch) => control(`/control/models/${modelName}`, patch),
    resetFleet: () => control('/control/reset', {}),
    publish,
    async publishAndWait(weights, extraRoutes, classifier) {
      const hash = await publish(weights, extraRoutes, classifier);
      await waitFor(() => router.table.policyHash === hash);
      return hash;
    },
    async close() {
      await router.stop();
      await providerSet.close();
      await simulator.close();
      await redis.cleanup();
      await database.drop();
    },
  };
}

/** The official SDK against the harness's router, without retries. */
export function openAiClient(harness: Harness, apiKey = 'unused-auth-off'): OpenAI {
  return new OpenAI({ baseURL: `${harness.url}/v1`, apiKey, maxRetries: 0, timeout: 10_000 });
}

/** Wait until `check` holds (polling), or fail after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met in time');
}
