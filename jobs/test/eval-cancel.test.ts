import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { SwitchyardError } from '@switchyard/core';
import { getEvalRun } from '@switchyard/db';
import { cancelEvalRun, computeProgress, processEvalItem, startEvalRun, type EvalItemJobData } from '../src/eval-run';
import { evalItemQueueName, evalRunJobId, queueNames } from '../src/queues';
import type { JobsRuntime } from '../src/runtime';
import { bundledDataset, createJobsEnvironment, registerDatasetFile, waitFor, type JobsEnvironment } from './harness';

const MODEL = 'sim-openai/swift-mini';
/** Answers after about four seconds: its calls are still in flight when the run is cancelled. */
const SLOW_MODEL = 'sim-openai/numeric-7b';
const SLOW_MS = 4_000;
const CONCURRENCY = 4;

let env: JobsEnvironment;
let runtime: JobsRuntime;
let versionId: string;

beforeAll(async () => {
  // Real latencies, so the run is still going when it is cancelled.
  env = await createJobsEnvironment({ zeroLatency: false });
  await env.patchModel('swift-mini', { latency: { ttftMedianMs: 120, ttftSpread: 0.1 } });
  await env.patchModel('numeric-7b', { latency: { ttftMedianMs: SLOW_MS, ttftSpread: 0.01 } });
  ({ versionId } = await registerDatasetFile(env.database.db, bundledDataset('gsm8k_test.jsonl'), 'gsm8k'));
  runtime = await env.start({ kinds: ['eval'], concurrency: CONCURRENCY });
}, 60_000);
afterAll(async () => {
  await env?.close();
}, 60_000);

const resultCount = async (runId: string) =>
  Number((await env.database.db.selectFrom('eval_results').select(({ fn }) => fn.countAll<number>().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow()).n);

describe('cancelling an eval run', { timeout: 60_000 }, () => {
  it('stops a running run: unstarted items are dropped, results so far are kept and summarized, the run stays cancelled', async () => {
    const runId = await startEvalRun(runtime.context, { datasetVersionId: versionId, models: [MODEL], sample: 150, force: true });
    await waitFor(async () => (await resultCount(runId)) >= 8, 30_000, 50);

    const cancelled = await cancelEvalRun(runtime.context, runId);
    const atCancel = await resultCount(runId);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error).toBe('cancelled by a user');
    expect(cancelled.finished_at).not.toBeNull();

    // The parent runs once the items in flight are done, and summarizes without completing the run.
    const parent = await env.queues.get(queueNames.evalRun).getJob(evalRunJobId(runId));
    await waitFor(async () => (await parent?.getState()) === 'completed', 30_000);
    const final = await getEvalRun(env.database.db, runId);
    const stored = await resultCount(runId);
    expect(final?.status).toBe('cancelled');
    // Only items already in flight at the cancellation could still finish.
    expect(stored).toBeGreaterThanOrEqual(atCancel);
    expect(stored).toBeLessThanOrEqual(atCancel + CONCURRENCY);
    expect(stored).toBeLessThan(150);
    expect(final?.done).toBe(stored);
    expect((final?.summary as { done?: number } | null)?.done).toBe(stored);
    // A run that ended has no time left, however many items it did not do.
    expect(computeProgress(final!).etaMs).toBeNull();
    const counts = await env.queues.get(evalItemQueueName('sim-openai')).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(0);

    // A child delivered after the cancellation does not call the model or write anything.
    const item = await env.database.db.selectFrom('dataset_items').select('item_id').where('version_id', '=', versionId).executeTakeFirstOrThrow();
    const data: EvalItemJobData = { runId, datasetVersionId: versionId, itemId: `${item.item_id}`, modelId: MODEL, settings: { temperature: 0, maxTokens: 64 }, settingsHash: final!.settings_hash };
    const late = await processEvalItem(runtime.context, { data, opts: {}, attemptsMade: 0 } as unknown as Job<EvalItemJobData>, env.queues.get(evalItemQueueName('sim-openai')));
    expect(late).toEqual({ written: false, score: null, errorCode: null });
    expect(await resultCount(runId)).toBe(stored);
  });

  it('aborts the model calls in flight: a run cancelled before any answer came records nothing, spends nothing and never starts', async () => {
    const runId = await startEvalRun(runtime.context, { datasetVersionId: versionId, models: [SLOW_MODEL], sample: 40, force: true });
    const queue = env.queues.get(evalItemQueueName('sim-openai'));
    // Every worker slot has picked an item and is waiting for the slow model.
    await waitFor(async () => (await queue.getJobCounts('active')).active === CONCURRENCY, 10_000, 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await resultCount(runId)).toBe(0);

    const cancelled = await cancelEvalRun(runtime.context, runId);
    expect(cancelled).toMatchObject({ status: 'cancelled', done: 0, spend_usd: 0 });
    const parent = await env.queues.get(queueNames.evalRun).getJob(evalRunJobId(runId));
    // The parent completes once every child has ended. A call that had run to its answer would
    // have written its result and its spend, so the zeros below show the calls were aborted.
    await waitFor(async () => (await parent?.getState()) === 'completed', 10_000, 20);

    const final = await getEvalRun(env.database.db, runId);
    expect(await resultCount(runId)).toBe(0);
    expect(final).toMatchObject({ status: 'cancelled', done: 0, errors: 0, spend_usd: 0, started_at: null });
    expect((final?.summary as { done?: number } | null)?.done).toBe(0);
    expect(computeProgress(final!).etaMs).toBeNull();
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(0);
  });

  it('refuses to cancel a finished run (conflict) or an unknown one (not found)', async () => {
    const runId = await startEvalRun(runtime.context, { datasetVersionId: versionId, models: [MODEL], sample: 2, force: true });
    await waitFor(async () => (await getEvalRun(env.database.db, runId))?.status === 'completed', 30_000);
    await expect(cancelEvalRun(runtime.context, runId)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/already completed/) });
    const unknown = cancelEvalRun(runtime.context, '00000000-0000-4000-8000-000000000000');
    await expect(unknown).rejects.toBeInstanceOf(SwitchyardError);
    await expect(unknown).rejects.toMatchObject({ code: 'not_found' });
  });
});
