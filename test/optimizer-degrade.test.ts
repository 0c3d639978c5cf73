/**
 * End to end (issues 6 and 7): the simulator, the real router, the jobs and the optimizer.
 * A model that evals rated best on math is degraded through the simulator's control
 * endpoint while traffic flows through the router; the traffic's graded answers come back
 * as feedback, outcome-ingest moves the decisions into Postgres, and within a few optimize
 * cycles the published policy moves weight away from the degraded model.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@switchyard/core';
import { getCurrentPolicy, getEvalRun, listDatasetItems } from '@switchyard/db';
import type { EvalItem } from '@switchyard/evals';
import { parsePolicyDocument } from '@switchyard/policy';
import { createRouter, type SwitchyardRouter } from '@switchyard/router';
import { sendDemoRequest } from '../jobs/src/demo-traffic';
import { rowToEvalItem, startEvalRun } from '../jobs/src/eval-run';
import { processOptimize } from '../jobs/src/optimize';
import { ingestDecisions } from '../jobs/src/outcome-ingest';
import type { JobsRuntime } from '../jobs/src/runtime';
import { bundledDataset, createJobsEnvironment, registerDatasetFile, waitFor, type JobsEnvironment } from '../jobs/test/harness';

const DEGRADED = 'sim-openai/numeric-7b';
const CANDIDATES = [DEGRADED, 'sim-openai/allround-m', 'sim-openai/swift-mini'];

let env: JobsEnvironment;
let runtime: JobsRuntime;
let router: SwitchyardRouter;
let routerRedis: Redis;
let baseUrl: string;
let items: EvalItem[];

beforeAll(async () => {
  env = await createJobsEnvironment({
    config: {
      router: { port: 0, auth: 'off' },
      // Short memory so live evidence outweighs old evals quickly; evals count as 10 samples.
      optimizer: { halfLifeHours: 0.1, evalPriorSamples: 10, publishThreshold: 0.05 },
      routes: [{ name: 'auto', candidates: CANDIDATES, objective: { quality: 1, cost: 0.3, latency: 0.1 } }],
    },
  });
  const { versionId } = await registerDatasetFile(env.database.db, bundledDataset('gsm8k_test.jsonl'), 'gsm8k');
  items = (await listDatasetItems(env.database.db, versionId)).map(rowToEvalItem);
  runtime = await env.start({ kinds: ['eval'] });
  const runId = await startEvalRun(runtime.context, { datasetVersionId: versionId, models: CANDIDATES, sample: 60 });
  await waitFor(async () => (await getEvalRun(env.database.db, runId))?.status === 'completed', 90_000);
}, 150_000);

afterAll(async () => {
  await router?.stop();
  routerRedis?.disconnect();
  await env?.close();
}, 60_000);

function mathWeight(document: unknown, model: string): number {
  const policy = parsePolicyDocument(document);
  return policy.routes.auto?.categories.math?.models.find((entry) => entry.model === model)?.weight ?? 0;
}

async function sendTraffic(count: number): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: 8 }, async () => {
    while (next < count) {
      const item = items[next % items.length] as EvalItem;
      next += 1;
      await sendDemoRequest(baseUrl, item);
    }
  });
  await Promise.all(workers);
}

describe('optimizer follows a degrading model', { timeout: 150_000 }, () => {
  it('moves weight away from a model whose skill drops while traffic flows', async () => {
    const before = await processOptimize(runtime.context);
    expect(before.published).toBe(true);
    const weightBefore = mathWeight((await getCurrentPolicy(env.database.db))?.document, DEGRADED);
    // The evals rate the cheap math specialist best on math.
    expect(weightBefore).toBeGreaterThan(0.4);

    routerRedis = new Redis(env.redis.url, { maxRetriesPerRequest: null });
    router = createRouter(env.config, { db: env.database.db, redis: routerRedis, providerSet: env.providers, logger: createLogger('silent'), defaultMetrics: false });
    baseUrl = await router.start();

    await env.patchModel('numeric-7b', { skills: { math: 0.05 } });

    let weightAfter = weightBefore;
    let publishes = 0;
    for (let cycle = 0; cycle < 5 && weightAfter > weightBefore / 2; cycle += 1) {
      await sendTraffic(60);
      // The router's recorder flushes asynchronously; ingest what has arrived, as the scheduled job does.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await ingestDecisions({ db: env.database.db, redis: env.redis.redis, prefix: env.redis.prefix }, { batchSize: 1000, consumer: 'degrade-test' });
      const result = await processOptimize(runtime.context);
      if (result.published) publishes += 1;
      weightAfter = mathWeight((await getCurrentPolicy(env.database.db))?.document, DEGRADED);
    }

    const feedback = await env.database.db.selectFrom('feedback').select(({ fn }) => fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    expect(Number(feedback.count)).toBeGreaterThan(0);
    expect(publishes).toBeGreaterThan(0);
    expect(weightAfter, `weight of ${DEGRADED} on auto/math: ${weightBefore} → ${weightAfter}`).toBeLessThan(weightBefore / 2);
    const policy = parsePolicyDocument((await getCurrentPolicy(env.database.db))?.document);
    const evidence = policy.routes.auto?.categories.math?.models.find((entry) => entry.model === DEGRADED)?.evidence;
    expect(evidence?.feedbackSamples ?? 0).toBeGreaterThan(0);
  });
});
