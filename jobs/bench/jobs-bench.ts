/**
 * `npm run bench:jobs`: eval throughput (items called, graded and stored per second)
 * against the zero-latency simulator with worker concurrency 1, 2 and 4, and
 * outcome-ingest throughput (decision records per second from the Redis stream into
 * Postgres). Real Postgres and Redis; writes bench/results/jobs.json.
 *
 * Options: --items N (per model, default 200) --records N (default 100000) --batch N (default 5000)
 * --ingest-only (skip the eval part; the report then has no eval runs)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { configSchema, createLogger, type DecisionRecord } from '@switchyard/core';
import { getEvalRun, syncCatalog } from '@switchyard/db';
import { createTestDatabase, createTestRedis } from '@switchyard/db/testing';
import { createProviderSet, resolveModels } from '@switchyard/providers';
import { DEFAULT_DATASET_DIR, startSimulator } from '@switchyard/simulator';
import { reliableFleet } from '@switchyard/simulator/testing';
import { startEvalRun } from '../src/eval-run';
import { appendDecisions, ingestDecisions } from '../src/outcome-ingest';
import { startJobs } from '../src/runtime';
import { registerDatasetFile } from '../test/harness';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { items: { type: 'string' }, records: { type: 'string' }, batch: { type: 'string' }, 'ingest-only': { type: 'boolean', default: false } } });
const itemsPerModel = Number(values.items ?? 200);
const recordCount = Number(values.records ?? 100_000);
const batchSize = Number(values.batch ?? 5_000);
const MODELS = ['sim-openai/swift-mini', 'sim-openai/numeric-7b', 'sim-openai/allround-m'];

async function evalThroughput() {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const fleet = reliableFleet();
  const simulator = await startSimulator({ port: 0, fleet, zeroLatency: true, datasetDirs: [DEFAULT_DATASET_DIR], logger: false });
  const results: Array<{ concurrency: number; items: number; seconds: number; itemsPerSecond: number; errors: number }> = [];
  try {
    const { versionId } = await registerDatasetFile(database.db, join(DEFAULT_DATASET_DIR, 'gsm8k_test.jsonl'), 'gsm8k');
    for (const concurrency of [1, 2, 4]) {
      const prefix = `${redis.prefix}-c${concurrency}`;
      const config = configSchema.parse({
        databaseUrl: database.url,
        redisUrl: redis.url,
        redisPrefix: prefix,
        logLevel: 'error',
        api: { auth: 'off' },
        simulator: { mode: 'on', port: simulator.port },
      });
      const resolved = resolveModels(config, { fleet });
      await syncCatalog(database.db, resolved.providers, resolved.models);
      const providers = createProviderSet(resolved);
      const runtime = await startJobs({
        config,
        db: database.db,
        logger: createLogger('error', 'bench'),
        providers,
        providerConfigs: resolved.providers,
        kinds: ['eval'],
        schedules: false,
        concurrency,
      });
      const started = performance.now();
      const runId = await startEvalRun(runtime.context, { datasetVersionId: versionId, models: MODELS, sample: itemsPerModel, force: true });
      for (;;) {
        const run = await getEvalRun(database.db, runId);
        if (run?.status === 'completed') {
          const seconds = (performance.now() - started) / 1000;
          results.push({ concurrency, items: run.done, seconds: round(seconds), itemsPerSecond: round(run.done / seconds), errors: run.errors });
          console.log(`eval  concurrency ${concurrency}: ${run.done} items in ${seconds.toFixed(2)} s = ${(run.done / seconds).toFixed(1)} items/s`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await runtime.close(5_000);
      await providers.close();
    }
  } finally {
    await simulator.close();
    await redis.cleanup();
    await database.drop();
  }
  return results;
}

function decision(at: string): DecisionRecord {
  return {
    requestId: randomUUID(),
    at,
    route: 'auto',
    category: 'math',
    categorySource: 'classifier',
    chosenModel: 'sim-openai/numeric-7b',
    servedModel: 'sim-openai/numeric-7b',
    candidates: [
      { model: 'sim-openai/numeric-7b', weight: 0.7 },
      { model: 'sim-openai/allround-m', weight: 0.3 },
    ],
    attempts: [{ model: 'sim-openai/numeric-7b', ok: true, status: 200, latencyMs: 412 }],
    fallbacks: 0,
    policyHash: 'f'.repeat(64),
    status: 200,
    errorCode: null,
    stream: true,
    ttftMs: 180,
    latencyMs: 412,
    promptTokens: 220,
    completionTokens: 90,
    costUsd: 0.0000982,
    costEstimated: false,
    apiKeyId: null,
    features: { indices: [12, 873, 4410, 9001], length: 220 },
    content: null,
  };
}

async function ingestThroughput() {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  try {
    const at = new Date().toISOString();
    const records = Array.from({ length: recordCount }, () => decision(at));
    await appendDecisions(redis.redis, redis.prefix, records);
    const started = performance.now();
    const result = await ingestDecisions({ db: database.db, redis: redis.redis, prefix: redis.prefix }, { batchSize, consumer: 'bench', maxDurationMs: 600_000 });
    const seconds = (performance.now() - started) / 1000;
    const count = await database.db.selectFrom('route_decisions').select(({ fn }) => fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    if (Number(count.count) !== recordCount || result.inserted !== recordCount) throw new Error(`ingested ${result.inserted}, table has ${count.count}, expected ${recordCount}`);
    console.log(`ingest: ${result.inserted} records in ${seconds.toFixed(2)} s = ${Math.round(result.inserted / seconds)} records/s (batch ${batchSize})`);
    return { records: result.inserted, batchSize, batches: result.batches, seconds: round(seconds), recordsPerSecond: Math.round(result.inserted / seconds), targetRecordsPerSecond: 20_000 };
  } finally {
    await redis.cleanup();
    await database.drop();
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

async function main(): Promise<void> {
  const evalResults = values['ingest-only'] ? [] : await evalThroughput();
  const ingest = await ingestThroughput();
  const report = {
    bench: 'jobs',
    at: new Date().toISOString(),
    // Load average at the end: other processes on the machine slow every number here.
    machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg().map((value) => Math.round(value * 100) / 100) },
    eval: { simulator: 'zero-latency, in-process', models: MODELS, itemsPerModel, runs: evalResults },
    ingest,
  };
  const out = join(root, 'bench/results/jobs.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${out}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
