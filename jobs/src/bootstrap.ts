/**
 * First start: when the database holds no eval results and Switchyard runs on the simulated
 * fleet, evaluate the fleet on a bounded sample of every bundled dataset, so a newcomer's
 * dashboard shows a populated leaderboard and a published policy within minutes of
 * `npm start`, with no action. Never runs against real providers (it would spend money).
 */
import { sql } from 'kysely';
import { redisKeys } from '@switchyard/core';
import { hasEvalResults } from '@switchyard/db';
import { usesSimulator } from '@switchyard/providers';
import type { JobsContext } from './context';
import { startEvalRun } from './eval-run';
import { requestOptimize } from './optimize-trigger';

export interface BootstrapOptions {
  /** Items per dataset. */
  sample?: number;
  /** How long to wait for the bundled datasets to be registered (by the API's start-up). */
  waitForDatasetsMs?: number;
}

export type BootstrapResult = { started: string[] } | { skipped: string };

export async function bootstrapEvaluations(context: JobsContext, options: BootstrapOptions = {}): Promise<BootstrapResult> {
  const { db, config, logger } = context;
  // A policy is published right away (cold start), then refined as results arrive.
  await requestOptimize(context.queues, 'first start').catch(() => undefined);
  if (!usesSimulator(config)) return { skipped: 'real providers are configured: evaluations are started by you, not automatically' };
  if (await hasEvalResults(db)) return { skipped: 'eval results exist' };
  const earlier = await db.selectFrom('eval_runs').select('id').where('trigger', '=', 'bootstrap').limit(1).executeTakeFirst();
  if (earlier) return { skipped: 'a bootstrap evaluation was already started' };
  // One process bootstraps, even when several workers start together.
  const lock = await context.redis.set(`${redisKeys(context.prefix).bullPrefix}:bootstrap-lock`, context.consumer, 'EX', 600, 'NX');
  if (lock !== 'OK') return { skipped: 'another worker is bootstrapping' };

  const models = context.providers.models.filter((model) => model.enabled && model.priceSource === 'fleet').map((model) => model.id);
  if (models.length === 0) return { skipped: 'no simulated model is enabled' };
  const deadline = Date.now() + (options.waitForDatasetsMs ?? 120_000);
  let datasets: string[] = [];
  for (;;) {
    const rows = await db
      .selectFrom('datasets')
      .select('name')
      .where('source', '=', 'bundled')
      .where('deleted_at', 'is', null)
      .where(sql<boolean>`exists (select 1 from dataset_versions v where v.dataset_id = datasets.id)`)
      .orderBy('name')
      .execute();
    // The API registers the bundled sets one by one: wait until the list stops growing.
    const stable = rows.length > 0 && rows.length === datasets.length;
    datasets = rows.map((row) => row.name);
    if (stable || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  if (datasets.length === 0) return { skipped: 'no bundled dataset is registered' };

  const started: string[] = [];
  for (const dataset of datasets) {
    started.push(await startEvalRun(context, { dataset, models, sample: options.sample ?? 20, trigger: 'bootstrap', settings: { maxTokens: 512 } }));
  }
  logger.info({ datasets, models: models.length, runs: started.length }, 'first start: evaluating the simulated fleet on the bundled datasets');
  return { started };
}
