/**
 * A real environment for jobs integration tests: a fresh Postgres database, a random Redis
 * prefix, an in-process simulator (zero- or low-latency) and the configuration pointing
 * at them. Nothing is mocked.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { configSchema, createLogger, type SwitchyardConfig, type SwitchyardConfigInput } from '@switchyard/core';
import { syncCatalog, type Db } from '@switchyard/db';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@switchyard/db/testing';
import { parseDataset } from '@switchyard/evals';
import { createProviderSet, resolveModels, type Fleet, type ProviderSet, type ResolvedModels } from '@switchyard/providers';
import { startSimulator, type RunningSimulator } from '@switchyard/simulator';
import { reliableFleet, testDatasetDirs } from '@switchyard/simulator/testing';

export { reliableFleet, testDatasetDirs };
import { QueueSet, createBullConnection } from '../src/queues';
import { startJobs, type JobsRuntime, type StartJobsOptions } from '../src/runtime';

export const TEST_CONTROL_TOKEN = 'jobs-test-control-token';

export interface JobsEnvironment {
  database: TestDatabase;
  redis: TestRedis;
  simulator: RunningSimulator;
  config: SwitchyardConfig;
  resolved: ResolvedModels;
  providers: ProviderSet;
  /** Queue handles for the test itself (adding jobs, reading state). */
  queues: QueueSet;
  start(options?: Partial<StartJobsOptions>): Promise<JobsRuntime>;
  /** Environment variables that make a child worker process use this environment. */
  childEnv(): NodeJS.ProcessEnv;
  patchModel(name: string, patch: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export interface JobsEnvironmentOptions {
  fleet?: Fleet;
  zeroLatency?: boolean;
  config?: SwitchyardConfigInput;
}

export async function createJobsEnvironment(options: JobsEnvironmentOptions = {}): Promise<JobsEnvironment> {
  const [database, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
  const fleet = options.fleet ?? reliableFleet();
  const simulator = await startSimulator({
    port: 0,
    fleet,
    zeroLatency: options.zeroLatency ?? true,
    controlToken: TEST_CONTROL_TOKEN,
    datasetDirs: testDatasetDirs(),
    logger: false,
  });
  const config = configSchema.parse({
    ...options.config,
    databaseUrl: database.url,
    redisUrl: redis.url,
    redisPrefix: redis.prefix,
    logLevel: 'warn',
    api: { auth: 'off' },
    simulator: { mode: 'on', port: simulator.port },
  });
  const resolved = resolveModels(config, { fleet });
  const providers = createProviderSet(resolved);
  await syncCatalog(database.db, resolved.providers, resolved.models);
  const connection = createBullConnection(redis.url);
  const queues = new QueueSet(connection, redis.prefix);
  const runtimes: JobsRuntime[] = [];

  return {
    database,
    redis,
    simulator,
    config,
    resolved,
    providers,
    queues,
    async start(overrides = {}) {
      const runtime = await startJobs({
        config,
        db: database.db,
        logger: createLogger('error', 'worker'),
        providers,
        providerConfigs: resolved.providers,
        schedules: false,
        ...overrides,
      });
      runtimes.push(runtime);
      return runtime;
    },
    childEnv() {
      return {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SWITCHYARD_REDIS_PREFIX: redis.prefix,
        SWITCHYARD_API_AUTH: 'off',
        SWITCHYARD_SIMULATOR: 'on',
        SWITCHYARD_SIMULATOR_PORT: String(simulator.port),
        LOG_LEVEL: 'warn',
      };
    },
    async patchModel(name, patch) {
      const response = await fetch(`${simulator.url}/control/models/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_CONTROL_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(patch),
      });
      if (!response.ok) throw new Error(`simulator control: ${response.status} ${await response.text()}`);
    },
    async close() {
      for (const runtime of runtimes) await runtime.close(5_000).catch(() => undefined);
      await queues.close();
      connection.disconnect();
      await providers.close();
      await simulator.close();
      await redis.cleanup();
      await database.drop();
    },
  };
}

/** Register a JSONL file (e.g. a bundled dataset) as a dataset version in the test database. */
export async function registerDatasetFile(db: Db, path: string, name = basename(path).replace(/\.jsonl$/, '')): Promise<{ versionId: string; items: number }> {
  const parsed = await parseDataset(createReadStream(path), { filename: basename(path) });
  const dataset = await db
    .insertInto('datasets')
    .values({ name, source: 'bundled' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('dataset_versions')
    .values({
      id: parsed.versionId,
      dataset_id: dataset.id,
      item_count: parsed.items.length,
      categories: [...new Set(parsed.items.map((item) => item.category))],
      format: parsed.format,
      filename: basename(path),
      report: JSON.stringify(parsed.report),
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
  const rows = parsed.items.map((item, position) => ({
    version_id: parsed.versionId,
    item_id: item.id,
    position,
    input: JSON.stringify(item.input),
    ideal: JSON.stringify(item.ideal),
    grader: item.grader,
    grader_options: JSON.stringify(item.graderOptions),
    category: item.category,
    choices: item.choices ? JSON.stringify(item.choices) : null,
    meta: item.meta ? JSON.stringify(item.meta) : null,
    content_hash: `${parsed.versionId}:${item.id}`,
  }));
  for (let start = 0; start < rows.length; start += 500) {
    await db.insertInto('dataset_items').values(rows.slice(start, start + 500)).onConflict((conflict) => conflict.doNothing()).execute();
  }
  return { versionId: parsed.versionId, items: parsed.items.length };
}

export const bundledDataset = (file: string) => `${testDatasetDirs()[0]}/${file}`;

/** Poll until `check` returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
