import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '@switchyard/core';
import { listProbeSamples, probeSpendToday } from '@switchyard/db';
import { processLatencyProbe } from '../src/latency-probe';
import { desiredSchedules, listSchedules, registerSchedules } from '../src/schedules';
import type { JobsRuntime } from '../src/runtime';
import { createJobsEnvironment, reliableFleet, waitFor, type JobsEnvironment } from './harness';

const FAST = 'sim-openai/swift-mini';
const SLOW = 'sim-openai/allround-m';
const PRICEY = 'sim-anthropic/titan-ultra';
const configured: Record<string, number> = { 'swift-mini': 50, 'allround-m': 500 };

let env: JobsEnvironment;
let runtime: JobsRuntime;

beforeAll(async () => {
  const fleet = reliableFleet();
  for (const model of fleet.models) {
    model.latency = { ttftMedianMs: configured[model.name] ?? 30, ttftSpread: 0.25, tokensPerSecond: 2000 };
  }
  env = await createJobsEnvironment({
    fleet,
    zeroLatency: false,
    config: { schedules: { latencyProbe: { everyMs: 1_000, models: [FAST, SLOW], dailyBudgetUsd: 0.04 } } },
  });
}, 60_000);
afterAll(async () => {
  await env?.close();
}, 60_000);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

describe('latency-probe', { timeout: 90_000 }, () => {
  it('scheduled probes record samples whose TTFT distribution matches the simulated one', async () => {
    runtime = await env.start({ kinds: ['probe'], schedules: true });
    const perModel = 12;
    const samples = await waitFor(async () => {
      const rows = await listProbeSamples(env.database.db, { limit: 1000 });
      const counts = [FAST, SLOW].map((model) => rows.filter((row) => row.model_id === model && row.ok).length);
      return counts.every((count) => count >= perModel) ? rows : undefined;
    }, 60_000, 250);
    await runtime.close(5_000);

    const medians: Record<string, number> = {};
    for (const model of [FAST, SLOW]) {
      const rows = samples.filter((row) => row.model_id === model);
      expect(rows.every((row) => row.ok && row.error_code === null)).toBe(true);
      expect(new Set(rows.map((row) => row.prompt_kind))).toEqual(new Set(['short', 'long']));
      // Each scheduled repetition writes its samples once (job id + prompt kind).
      expect(new Set(rows.map((row) => row.job_id)).size).toBe(rows.length);
      expect(rows.every((row) => (row.job_id ?? '').startsWith('repeat:'))).toBe(true);
      const ttft = rows.map((row) => row.ttft_ms as number);
      const expected = configured[model.split('/')[1] as string] as number;
      medians[model] = median(ttft);
      // Never faster than the simulated lognormal allows (σ 0.25: nearly all above median / 2.5).
      expect(medians[model], `${model} median TTFT ${medians[model]} vs configured ${expected}`).toBeGreaterThan(expected * 0.75);
      expect(Math.min(...ttft)).toBeGreaterThan(expected / 2.5);
      expect(rows.every((row) => (row.latency_ms ?? 0) >= (row.ttft_ms ?? 0))).toBe(true);
      expect(rows.every((row) => (row.output_tokens ?? 0) > 0 && (row.cost_usd ?? 0) > 0)).toBe(true);
      // At 2,000 tokens/s a 40 ms chunk holds 80 tokens, so every probe answer (≤ 32 tokens)
      // arrives in one chunk: no generation time is seen, so there is no rate (not an absurd one).
      expect(rows.map((row) => row.output_tokens_per_s)).toEqual(rows.map(() => null));
    }
    // Loopback and scheduling overhead add the same to both models (probed side by side), so
    // the gap between the medians matches the configured gap even on a busy machine.
    const gap = (medians[SLOW] as number) - (medians[FAST] as number);
    const configuredGap = (configured['allround-m'] as number) - (configured['swift-mini'] as number);
    expect(gap, `median gap ${gap} vs configured ${configuredGap}`).toBeGreaterThan(configuredGap * 0.65);
    expect(gap, `median gap ${gap} vs configured ${configuredGap}`).toBeLessThan(configuredGap * 1.4);
  });

  it('stops at the daily budget and says so', async () => {
    const results = [];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const result = await processLatencyProbe(runtime.context, { id: `budget-${attempt}`, data: { model: PRICEY } });
      results.push(result);
      if (result.status === 'budget_exhausted') break;
    }
    const refused = results.at(-1);
    expect(results.length).toBeGreaterThan(1);
    expect(refused?.status).toBe('budget_exhausted');
    if (refused?.status !== 'budget_exhausted') return;
    expect(refused.message).toMatch(/refused: spent \$[0-9.]+ of its \$0.04 daily budget/);
    const spent = await probeSpendToday(env.database.db, PRICEY);
    expect(spent).toBeLessThanOrEqual(0.04);
    expect(spent + refused.estimateUsd).toBeGreaterThan(0.04);

    // Refusing again writes nothing.
    const before = (await listProbeSamples(env.database.db, { modelId: PRICEY })).length;
    expect((await processLatencyProbe(runtime.context, { id: 'budget-again', data: { model: PRICEY } })).status).toBe('budget_exhausted');
    expect((await listProbeSamples(env.database.db, { modelId: PRICEY })).length).toBe(before);
  });
});

describe('schedules', { timeout: 30_000 }, () => {
  it('are registered idempotently, and schedulers no longer configured are removed', async () => {
    const config = configSchema.parse({
      ...env.config,
      redisPrefix: env.config.redisPrefix,
      schedules: { latencyProbe: { everyMs: 60_000, models: [] }, evals: [{ dataset: 'gsm8k', models: [FAST], everyMs: 3_600_000, sample: 10 }] },
    });
    const { QueueSet, createBullConnection } = await import('../src/queues');
    const connection = createBullConnection(env.redis.url);
    const queues = new QueueSet(connection, `${env.redis.prefix}-schedules`);
    try {
      const first = await registerSchedules(queues, desiredSchedules(config, [FAST, SLOW, 'openrouter/meta-llama/llama-3:free']));
      const listed = await listSchedules(queues);
      expect(listed.map((schedule) => schedule.id).sort()).toEqual(
        [
          'catalog-sync',
          'latency-probe|openrouter%2Fmeta-llama%2Fllama-3%3Afree',
          'latency-probe|sim-openai%2Fallround-m',
          'latency-probe|sim-openai%2Fswift-mini',
          'optimize',
          'outcome-ingest',
          'scheduled-eval|gsm8k%7Csim-openai%2Fswift-mini%7C10',
        ].sort(),
      );
      expect(first.removed).toEqual([]);
      expect(listed.every((schedule) => schedule.next !== null)).toBe(true);

      const again = await registerSchedules(queues, desiredSchedules(config, [FAST, SLOW, 'openrouter/meta-llama/llama-3:free']));
      expect(again.removed).toEqual([]);
      expect(await listSchedules(queues)).toHaveLength(listed.length);

      const fewer = await registerSchedules(queues, desiredSchedules({ ...config, schedules: { ...config.schedules, evals: [] } }, [FAST]));
      expect(fewer.removed.sort()).toEqual(
        [
          'eval-run/scheduled-eval|gsm8k%7Csim-openai%2Fswift-mini%7C10',
          'latency-probe/latency-probe|openrouter%2Fmeta-llama%2Fllama-3%3Afree',
          'latency-probe/latency-probe|sim-openai%2Fallround-m',
        ].sort(),
      );
      expect((await listSchedules(queues)).map((schedule) => schedule.id)).not.toContain('latency-probe|sim-openai%2Fallround-m');
    } finally {
      await queues.close();
      connection.disconnect();
    }
  });
});
