import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys, type LiveEvent } from '@switchyard/core';
import { getEvalRun, listEvalResults } from '@switchyard/db';
import { wilsonInterval } from '@switchyard/evals';
import { skillFor } from '@switchyard/providers';
import { evalRunJobId, queueNames } from '../src/queues';
import { startEvalRun, type EvalRunSummary } from '../src/eval-run';
import type { JobsRuntime } from '../src/runtime';
import { bundledDataset, createJobsEnvironment, registerDatasetFile, TEST_CONTROL_TOKEN, waitFor, type JobsEnvironment } from './harness';

const MODELS = ['sim-openai/swift-mini', 'sim-openai/numeric-7b', 'sim-openai/allround-m', 'sim-anthropic/titan-ultra', 'sim-anthropic/coder-pro'];

let env: JobsEnvironment;
let runtime: JobsRuntime;
let versionId: string;

beforeAll(async () => {
  env = await createJobsEnvironment();
  ({ versionId } = await registerDatasetFile(env.database.db, bundledDataset('gsm8k_test.jsonl'), 'gsm8k'));
  runtime = await env.start({ kinds: ['eval'], concurrency: 8 });
}, 60_000);
afterAll(async () => {
  await env?.close();
}, 60_000);

async function completed(runId: string) {
  return waitFor(async () => {
    const run = await getEvalRun(env.database.db, runId);
    return run?.status === 'completed' ? run : undefined;
  }, 90_000);
}

describe('eval-run', { timeout: 120_000 }, () => {
  it('evaluates 200 items × 5 models; each accuracy is consistent with the simulated skill', async () => {
    const subscriber = env.redis.redis.duplicate();
    const events: LiveEvent[] = [];
    await subscriber.subscribe(redisKeys(env.redis.prefix).eventsChannel);
    subscriber.on('message', (_channel, message: string) => events.push(JSON.parse(message) as LiveEvent));

    const runId = await startEvalRun(runtime.context, { datasetVersionId: versionId, models: MODELS });
    const run = await completed(runId);
    expect(run.total).toBe(1000);
    expect(run.done).toBe(1000);
    expect(run.errors).toBe(0);

    const summary = run.summary as unknown as EvalRunSummary;
    for (const model of MODELS) {
      const overall = summary.groups.find((group) => group.modelId === model && group.category === null);
      expect(overall?.n).toBe(200);
      const fleetModel = env.resolved.models.find((entry) => entry.id === model);
      expect(fleetModel).toBeDefined();
      const skill = skillFor(env.simulator.state.get(fleetModel!.upstreamName)!, 'math');
      const successes = Math.round((overall?.mean ?? 0) * 200);
      const interval = wilsonInterval(successes, 200, 0.99);
      expect(interval.low, `${model}: accuracy ${overall?.mean} vs skill ${skill}`).toBeLessThanOrEqual(skill);
      expect(interval.high, `${model}: accuracy ${overall?.mean} vs skill ${skill}`).toBeGreaterThanOrEqual(skill);
    }
    // Exactly one result per (item, model).
    const counts = await env.database.db
      .selectFrom('eval_results')
      .select(({ fn }) => [fn.countAll<number>().as('rows'), fn.count<number>('item_id').distinct().as('items')])
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(Number(counts.rows)).toBe(1000);
    expect(Number(counts.items)).toBe(200);

    // Progress went through the job and the live channel, ending at done = total.
    const parent = await env.queues.get(queueNames.evalRun).getJob(evalRunJobId(runId));
    expect(parent?.progress).toMatchObject({ done: 1000, total: 1000, errors: 0 });
    await waitFor(async () => events.filter((event) => event.type === 'eval-result' && event.runId === runId).length === MODELS.length, 5_000);
    const progress = events.filter((event): event is Extract<LiveEvent, { type: 'eval-progress' }> => event.type === 'eval-progress' && event.runId === runId);
    expect(progress.some((event) => event.done < event.total)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: 1000, total: 1000, status: 'completed', etaMs: null });
    expect(events.filter((event) => event.type === 'eval-result' && event.runId === runId)).toHaveLength(MODELS.length);
    await subscriber.quit();
  });

  it('reuses stored results for the same dataset version, model, item and settings unless forced', async () => {
    const models = ['sim-openai/swift-mini', 'sim-anthropic/coder-pro'];
    const first = await completed(await startEvalRun(runtime.context, { datasetVersionId: versionId, models, sample: 20, settings: { maxTokens: 300 } }));
    expect(first.done).toBe(40);
    const firstResults = await listEvalResults(env.database.db, first.id, { limit: 100 });
    expect(firstResults.every((row) => row.reused_from === null)).toBe(true);

    const again = await completed(await startEvalRun(runtime.context, { dataset: 'gsm8k', models, sample: 20, settings: { maxTokens: 300 } }));
    const reused = await listEvalResults(env.database.db, again.id, { limit: 100 });
    expect(reused).toHaveLength(40);
    expect(reused.every((row) => row.reused_from !== null)).toBe(true);
    expect(new Set(reused.map((row) => row.item_id))).toEqual(new Set(firstResults.map((row) => row.item_id)));
    expect(again.spend_usd).toBe(0);

    const forced = await completed(await startEvalRun(runtime.context, { datasetVersionId: versionId, models, sample: 20, settings: { maxTokens: 300 }, force: true }));
    const fresh = await listEvalResults(env.database.db, forced.id, { limit: 100 });
    expect(fresh).toHaveLength(40);
    expect(fresh.every((row) => row.reused_from === null)).toBe(true);
    expect(forced.spend_usd).toBeGreaterThan(0);
  });

  it('refuses unknown datasets and models with a clear error', async () => {
    await expect(startEvalRun(runtime.context, { dataset: 'no-such-dataset', models: MODELS })).rejects.toThrow(/does not exist/);
    await expect(startEvalRun(runtime.context, { datasetVersionId: versionId, models: ['sim-openai/nope'] })).rejects.toThrow(/unknown model/);
    await expect(startEvalRun(runtime.context, { datasetVersionId: versionId, models: [] })).rejects.toThrow(/at least one model/);
  });

  it('records an auth failure once, marks the model misconfigured and does not retry', async () => {
    const { createProviderSet } = await import('@switchyard/providers');
    const broken = createProviderSet({
      providers: env.resolved.providers.map((provider) => (provider.id === 'sim-openai' ? { ...provider, headers: { 'x-sim-fault': '401' } } : provider)),
      models: env.resolved.models,
    });
    const brokenRuntime = await env.start({ kinds: ['eval'], providers: broken, prefix: `${env.redis.prefix}-auth` });
    try {
      const runId = await startEvalRun(brokenRuntime.context, { datasetVersionId: versionId, models: ['sim-openai/allround-m'], sample: 3, force: true });
      const run = await waitFor(async () => {
        const row = await getEvalRun(env.database.db, runId);
        return row?.status === 'completed' ? row : undefined;
      }, 30_000);
      expect(run.errors).toBe(3);
      const results = await listEvalResults(env.database.db, runId);
      expect(results.map((row) => row.error_code)).toEqual(['auth', 'auth', 'auth']);
      const model = await env.database.db.selectFrom('models').selectAll().where('id', '=', 'sim-openai/allround-m').executeTakeFirstOrThrow();
      expect(model.status).toBe('misconfigured');
      const failed = await brokenRuntime.context.queues.get('eval-item-sim-openai').getFailed();
      expect(failed).toHaveLength(3);
      expect(failed.every((job) => job.attemptsMade === 1 && /misconfigured/.test(job.failedReason))).toBe(true);
    } finally {
      await brokenRuntime.close(5_000);
      await broken.close();
      await env.database.db.updateTable('models').set({ status: 'ok', status_detail: null }).execute();
    }
  });

  it('waits out 429s with the provider\'s retry-after instead of recording errors', async () => {
    await env.patchModel('swift-mini', { errorRates: { '429': 0.4 }, retryAfterSeconds: 1 });
    try {
      const runId = await startEvalRun(runtime.context, { datasetVersionId: versionId, models: ['sim-openai/swift-mini'], sample: 12, force: true });
      const run = await completed(runId);
      expect(run.done).toBe(12);
      expect(run.errors).toBe(0);
    } finally {
      await fetch(`${env.simulator.url}/control/reset`, { method: 'POST', headers: { authorization: `Bearer ${TEST_CONTROL_TOKEN}` } });
    }
  });
});
