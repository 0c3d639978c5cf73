import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '@switchyard/core';
import { evalEvidence, getCurrentPolicy, getEvalRun, liveEvidence, insertDecisions, rollbackAndAnnounce, unpinPolicy } from '@switchyard/db';
import { decisionRecords } from '@switchyard/db/testing';
import { parsePolicyDocument } from '@switchyard/policy';
import { startEvalRun } from '../src/eval-run';
import { processOptimize } from '../src/optimize';
import type { JobsRuntime } from '../src/runtime';
import { bundledDataset, createJobsEnvironment, registerDatasetFile, waitFor, type JobsEnvironment } from './harness';

const MODELS = ['sim-openai/swift-mini', 'sim-openai/numeric-7b', 'sim-anthropic/titan-ultra'];

let env: JobsEnvironment;
let runtime: JobsRuntime;
let versionId: string;

beforeAll(async () => {
  env = await createJobsEnvironment();
  ({ versionId } = await registerDatasetFile(env.database.db, bundledDataset('gsm8k_test.jsonl'), 'gsm8k'));
  runtime = await env.start({ kinds: ['eval'] });
}, 60_000);
afterAll(async () => {
  await env?.close();
}, 60_000);

describe('optimize', { timeout: 90_000 }, () => {
  it('publishes a first policy, then only on material change', async () => {
    const policyMessages: string[] = [];
    const subscriber = env.redis.redis.duplicate();
    await subscriber.subscribe(redisKeys(env.redis.prefix).policyChannel);
    subscriber.on('message', (_channel, message: string) => policyMessages.push(message));

    const first = await processOptimize(runtime.context);
    expect(first.published).toBe(true);
    expect(first.reason).toMatch(/the first policy: none was published before/);
    const again = await processOptimize(runtime.context);
    expect(again.published).toBe(false);

    // Evidence arrives: an eval of three models on math.
    const runId = await startEvalRun(runtime.context, { datasetVersionId: versionId, models: MODELS, sample: 60 });
    await waitFor(async () => (await getEvalRun(env.database.db, runId))?.status === 'completed', 60_000);
    const stats = await evalEvidence(env.database.db);
    expect(stats.filter((stat) => stat.category === 'math').map((stat) => stat.model).sort()).toEqual([...MODELS].sort());
    expect(stats.every((stat) => stat.n === 60 && stat.source === 'eval:gsm8k')).toBe(true);

    const informed = await processOptimize(runtime.context);
    expect(informed.published).toBe(true);
    expect(informed.previousHash).toBe(first.hash);
    expect(informed.evidence.evalStats).toBe(3);
    const current = await getCurrentPolicy(env.database.db);
    expect(current?.hash).toBe(informed.hash);
    expect(current?.parent_hash).toBe(first.hash);
    const document = parsePolicyDocument(current?.document);
    const math = document.routes.auto?.categories.math;
    expect(math).toBeDefined();
    const weight = (model: string) => math?.models.find((entry) => entry.model === model)?.weight ?? 0;
    // Swift Mini (skill 0.3 on math) gets less than the cheap math specialist.
    expect(weight('sim-openai/numeric-7b')).toBeGreaterThan(weight('sim-openai/swift-mini'));

    // Re-running on the same evidence: nothing material changed, nothing published.
    const unchanged = await processOptimize(runtime.context);
    expect(unchanged.published).toBe(false);
    expect((await getCurrentPolicy(env.database.db))?.hash).toBe(informed.hash);
    await waitFor(async () => policyMessages.length >= 2, 5_000);
    expect(policyMessages).toEqual([first.hash, informed.hash]);
    await subscriber.quit();

    // Results reused by a later run count once as evidence.
    const reuse = await startEvalRun(runtime.context, { datasetVersionId: versionId, models: MODELS, sample: 60 });
    await waitFor(async () => (await getEvalRun(env.database.db, reuse))?.status === 'completed', 60_000);
    expect((await evalEvidence(env.database.db)).every((stat) => stat.n === 60)).toBe(true);
  });

  it('leaves a rolled-back policy in place until it is unpinned', async () => {
    const learned = await getCurrentPolicy(env.database.db);
    const earlier = learned?.parent_hash;
    expect(earlier).toBeTruthy();
    await rollbackAndAnnounce(env.database.db, env.redis.redis, env.redis.prefix, earlier!, 'alice');
    const pinned = await processOptimize(runtime.context);
    expect(pinned).toMatchObject({ published: false, reason: expect.stringMatching(/^the current policy is pinned by alice since .*; unpin it to resume learning$/) });
    expect((await getCurrentPolicy(env.database.db))?.hash).toBe(earlier);
    expect(await unpinPolicy(env.database.db, 'alice')).toBe(true);
    const resumed = await processOptimize(runtime.context);
    expect(resumed).toMatchObject({ published: true, previousHash: earlier });
    expect((await getCurrentPolicy(env.database.db))?.hash).toBe(resumed.hash);
  });

  it('reads live outcomes per model and hour: attempts, errors (a stream cut after its first token too), tokens', async () => {
    const at = new Date().toISOString();
    // numeric-7b failed, swift-mini answered.
    const fellBack = { at, category: 'math', servedModel: 'sim-openai/swift-mini', chosenModel: 'sim-openai/numeric-7b' };
    const fellBackAttempts = [
      { model: 'sim-openai/numeric-7b', ok: false, errorCode: 'upstream' },
      { model: 'sim-openai/swift-mini', ok: true },
    ];
    await insertDecisions(env.database.db, [
      ...decisionRecords(4, { at, category: 'math', servedModel: 'sim-openai/numeric-7b', chosenModel: 'sim-openai/numeric-7b', attempts: [{ model: 'sim-openai/numeric-7b', ok: true }] }),
      ...decisionRecords(2, { ...fellBack, attempts: fellBackAttempts }),
      // A fallback whose stream then broke after its first token: an error of each model.
      ...decisionRecords(1, { ...fellBack, attempts: fellBackAttempts, stream: true, errorCode: 'upstream' }),
      // A stream the client closed: not the model's failure.
      ...decisionRecords(1, { at, category: 'math', servedModel: 'sim-openai/swift-mini', attempts: [{ model: 'sim-openai/swift-mini', ok: true }], stream: true, errorCode: 'client_closed' }),
    ]);
    const rows = await liveEvidence(env.database.db, { since: new Date(Date.now() - 3_600_000) });
    const numeric = rows.find((row) => row.model === 'sim-openai/numeric-7b' && row.category === 'math');
    const mini = rows.find((row) => row.model === 'sim-openai/swift-mini' && row.category === 'math');
    expect(numeric).toMatchObject({ requests: 7, errors: 3, inputTokensSum: 4 * 40, outputTokensSum: 4 * 12 });
    expect(mini).toMatchObject({ requests: 4, errors: 1, inputTokensSum: 4 * 40 });
  });
});
