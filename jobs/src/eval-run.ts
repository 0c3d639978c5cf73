/**
 * eval-run: a dataset version × a set of models, as a BullMQ flow.
 *
 * How it works: `startEvalRun` records the run, copies results that earlier runs already
 * paid for (same dataset version, model, item and settings; skipped with `force`), and adds
 * one flow — a parent `eval-run` job whose children are the missing (item, model) pairs.
 * Children go to one queue per provider (`eval-item-<provider>`), so each provider has its
 * own concurrency and rate limiter. A child calls the model, grades the output and writes
 * its result, idempotently keyed by (run, item, model): a child re-delivered after a crash
 * writes once. Progress is counted from the stored results, never from counters, so it
 * cannot drift. When every child has finished, the parent fills any gap with an error row,
 * aggregates with the evals package's statistics, marks the run completed and asks for an
 * optimize run. `cancelEvalRun` marks a run cancelled and removes its children that have not
 * started; children that start later see the cancellation and skip without calling the model,
 * and a model call in flight is aborted when its worker next looks (`CancelledRunWatch`, a few
 * times a second) — an aborted item writes nothing and does not count as done. A call that
 * returns before its worker sees the cancellation is kept (with its spend). The parent then
 * summarizes what was done and leaves the run cancelled.
 */
import { createHash } from 'node:crypto';
import { Job, UnrecoverableError, Worker, type FlowJob, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { parseModelId, SwitchyardError, type Logger } from '@switchyard/core';
import {
  aggregateEvalRun,
  cancelEvalRunRow,
  copyReusableResults,
  countEvalRunProgress,
  createEvalRun,
  existingResultKeys,
  findDatasetVersion,
  getEvalRun,
  insertEvalResult,
  listCancelledEvalRunIds,
  listDatasetItemIds,
  listDatasetItems,
  listEvalRunScores,
  listModels,
  lockEvalRun,
  markEvalRunStarted,
  resultKey,
  setModelStatus,
  updateEvalRun,
  type Db,
  type DatasetItemRow,
  type EvalRunRow,
} from '@switchyard/db';
import { canonicalJson, grade, promptMessages, summarize, type EvalItem, type GroupSummary, type Judge } from '@switchyard/evals';
import type { JobsContext } from './context';
import { classifyFailure, DEFAULT_RATE_LIMIT_WAIT_MS } from './failures';
import { publishLiveEvent } from './live-events';
import { measuredCall } from './model-call';
import { evalItemJobId, evalItemQueueName, evalRunJobId, queueNames, type QueueSet } from './queues';
import { requestOptimize } from './optimize-trigger';

/** Settings that change a model's answers; their hash decides which stored results are reusable. */
export const evalSettingsSchema = z.object({
  temperature: z.number().min(0).max(2).default(0),
  maxTokens: z.number().int().positive().max(32_768).default(1_024),
});
export type EvalSettings = z.infer<typeof evalSettingsSchema>;

export function settingsHash(settings: EvalSettings): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('hex').slice(0, 32);
}

export interface StartEvalRunInput {
  /** A dataset version id, or… */
  datasetVersionId?: string;
  /** …the name of a dataset (its newest version). */
  dataset?: string;
  models: string[];
  settings?: Partial<EvalSettings>;
  /** Call every model again even when stored results could be reused. */
  force?: boolean;
  /** Evaluate a deterministic sample of this many items (the same items every time). */
  sample?: number;
  trigger?: 'manual' | 'schedule' | 'bootstrap';
}

export interface StartEvalRunDeps {
  db: Db;
  queues: QueueSet;
  logger?: Logger;
}

export interface EvalRunJobData {
  runId: string;
  itemIds: string[];
}

export interface EvalItemJobData {
  runId: string;
  datasetVersionId: string;
  itemId: string;
  modelId: string;
  settings: EvalSettings;
  settingsHash: string;
}

/** Attempts of one eval item before its failure is recorded as the result. */
export const EVAL_ITEM_ATTEMPTS = 4;

/** A stable sample: items ordered by a hash of their id, so re-runs pick the same ones. */
export function sampleItemIds(itemIds: readonly string[], sample: number | undefined): string[] {
  if (sample === undefined || sample >= itemIds.length) return [...itemIds];
  const rank = (id: string) => createHash('sha1').update(id).digest('hex');
  const chosen = new Set([...itemIds].sort((left, right) => (rank(left) < rank(right) ? -1 : 1)).slice(0, sample));
  return itemIds.filter((id) => chosen.has(id));
}

/**
 * Start an eval run (used by the API, the scheduler and the first-start bootstrap).
 * Returns the run id at once; the run proceeds on the workers.
 */
export async function startEvalRun(deps: StartEvalRunDeps, input: StartEvalRunInput): Promise<string> {
  const version = await findDatasetVersion(deps.db, {
    ...(input.datasetVersionId ? { versionId: input.datasetVersionId } : {}),
    ...(input.dataset ? { datasetName: input.dataset } : {}),
  });
  if (!version) {
    const what = input.datasetVersionId ? `dataset version ${input.datasetVersionId}` : `dataset "${input.dataset ?? ''}"`;
    throw new SwitchyardError('not_found', `${what} does not exist`, { param: input.datasetVersionId ? 'datasetVersionId' : 'dataset' });
  }
  const models = [...new Set(input.models)];
  if (models.length === 0) throw new SwitchyardError('bad_request', 'choose at least one model', { param: 'models' });
  const known = new Map((await listModels(deps.db)).map((row) => [row.id, row]));
  for (const model of models) {
    const row = known.get(model);
    if (!row) throw new SwitchyardError('bad_request', `unknown model "${model}"`, { param: 'models' });
    if (!row.enabled) throw new SwitchyardError('bad_request', `model "${model}" is disabled`, { param: 'models' });
  }
  const settings = evalSettingsSchema.parse(input.settings ?? {});
  const hash = settingsHash(settings);
  const itemIds = sampleItemIds(await listDatasetItemIds(deps.db, version.id), input.sample);
  if (itemIds.length === 0) throw new SwitchyardError('bad_request', `dataset version ${version.id} has no items`, { param: 'datasetVersionId' });

  const run = await createEvalRun(deps.db, {
    datasetVersionId: version.id,
    models,
    settings: { ...settings, ...(input.sample ? { sample: input.sample } : {}), force: input.force === true, dataset: version.datasetName },
    settingsHash: hash,
    trigger: input.trigger ?? 'manual',
    total: itemIds.length * models.length,
  });
  const reused = input.force ? 0 : await copyReusableResults(deps.db, { runId: run.id, datasetVersionId: version.id, settingsHash: hash, models, itemIds });
  await updateEvalRun(deps.db, run.id, { summary: JSON.stringify({ reused }), done: reused });

  const existing = reused > 0 ? await existingResultKeys(deps.db, run.id) : new Set<string>();
  const children: FlowJob[] = [];
  for (const modelId of models) {
    const queueName = evalItemQueueName(parseModelId(modelId).provider);
    for (const itemId of itemIds) {
      if (existing.has(resultKey(itemId, modelId))) continue;
      const data: EvalItemJobData = { runId: run.id, datasetVersionId: version.id, itemId, modelId, settings, settingsHash: hash };
      children.push({
        name: 'eval-item',
        queueName,
        data,
        opts: {
          jobId: evalItemJobId(run.id, itemId, modelId),
          attempts: EVAL_ITEM_ATTEMPTS,
          backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
          // The parent aggregates from Postgres; a child that failed for good must not block it.
          ignoreDependencyOnFailure: true,
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      });
    }
  }
  const parentData: EvalRunJobData = { runId: run.id, itemIds };
  const parentOptions = { jobId: evalRunJobId(run.id), attempts: 3, removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 } };
  try {
    if (children.length === 0) {
      await deps.queues.get(queueNames.evalRun).add('eval-run', parentData, parentOptions);
    } else {
      await deps.queues.flows.add({ name: 'eval-run', queueName: queueNames.evalRun, data: parentData, opts: parentOptions, children });
    }
  } catch (error) {
    // Without its jobs the run would wait forever: record why it failed.
    const message = error instanceof Error ? error.message : String(error);
    await updateEvalRun(deps.db, run.id, { status: 'failed', error: `could not queue the run: ${message}`.slice(0, 2_000), finished_at: new Date() });
    throw new SwitchyardError('unavailable', `could not queue the eval run (is Redis reachable?): ${message}`, { cause: error });
  }
  deps.logger?.info({ runId: run.id, dataset: version.datasetName, models, items: itemIds.length, reused, jobs: children.length }, 'eval run started');
  return run.id;
}

/**
 * Cancel a queued or running run: the row first (so every child that starts from now on
 * skips, and workers abort the calls in flight), then the children that have not started
 * are removed from their queues. Returns the cancelled run with its counts as they stand;
 * a run that already finished is a conflict.
 */
export async function cancelEvalRun(
  deps: StartEvalRunDeps & { live?: { redis: Redis; prefix: string } },
  runId: string,
  reason = 'cancelled by a user',
): Promise<EvalRunRow> {
  const cancelled = await cancelEvalRunRow(deps.db, runId, reason);
  if (!cancelled) {
    const run = await getEvalRun(deps.db, runId);
    if (!run) throw new SwitchyardError('not_found', `eval run ${runId} does not exist`, { param: 'id' });
    throw new SwitchyardError('conflict', `eval run ${runId} is already ${run.status}; only a queued or running run can be cancelled`, { param: 'id' });
  }
  const parent = await Job.fromId(deps.queues.get(queueNames.evalRun), evalRunJobId(runId));
  // Children already picked up stay (they cannot be removed while locked) and skip on their own.
  await parent?.removeUnprocessedChildren();
  // The counts on the row are refreshed at most every REPORT_EVERY_MS: report them as they are now.
  const counts = await countEvalRunProgress(deps.db, runId);
  await updateEvalRun(deps.db, runId, { done: counts.done, errors: counts.errors, spend_usd: counts.spendUsd });
  const run: EvalRunRow = { ...cancelled, done: counts.done, errors: counts.errors, spend_usd: counts.spendUsd };
  // Dashboards and event streams following the run learn that it ended.
  if (deps.live) {
    const progress = computeProgress(run);
    await publishLiveEvent(deps.live.redis, deps.live.prefix, { type: 'eval-progress', ...progress }).catch(() => undefined);
  }
  deps.logger?.info({ runId, reason, done: counts.done }, 'eval run cancelled');
  return run;
}

/** How often a worker asks whether the runs it is calling models for were cancelled. */
const CANCELLATION_POLL_MS = 250;

/**
 * Aborts the model calls of runs cancelled while the calls are in flight. The cancellation
 * may come from any process (the API, the CLI), so workers look in Postgres: one query per
 * process and interval for all the runs it has calls in flight for, none while it has none.
 */
class CancelledRunWatch {
  private readonly inFlight = new Map<string, Set<AbortController>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly db: Db,
    private readonly intervalMs: number,
  ) {}

  /** A signal aborted once `runId` is seen cancelled; call `release` when the call is over. */
  watch(runId: string): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    let controllers = this.inFlight.get(runId);
    if (!controllers) this.inFlight.set(runId, (controllers = new Set()));
    controllers.add(controller);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), this.intervalMs);
      this.timer.unref();
    }
    const release = () => {
      controllers.delete(controller);
      if (controllers.size === 0 && this.inFlight.get(runId) === controllers) this.inFlight.delete(runId);
      if (this.inFlight.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
    return { signal: controller.signal, release };
  }

  private async poll(): Promise<void> {
    if (this.polling || this.inFlight.size === 0) return;
    this.polling = true;
    try {
      for (const runId of await listCancelledEvalRunIds(this.db, [...this.inFlight.keys()])) {
        for (const controller of this.inFlight.get(runId) ?? []) controller.abort(new Error(`eval run ${runId} was cancelled`));
      }
    } catch {
      // The database is briefly unreachable: the calls go on, and the next poll asks again.
    } finally {
      this.polling = false;
    }
  }
}

const cancellationWatches = new WeakMap<Db, CancelledRunWatch>();

function watchCancellation(db: Db, runId: string): { signal: AbortSignal; release: () => void } {
  let watch = cancellationWatches.get(db);
  if (!watch) cancellationWatches.set(db, (watch = new CancelledRunWatch(db, CANCELLATION_POLL_MS)));
  return watch.watch(runId);
}

// ---------------------------------------------------------------------------------------
// Child: one (item, model).

interface ItemCache {
  items: Map<string, EvalItem>;
}
const itemCaches = new Map<string, ItemCache>();

export function rowToEvalItem(row: DatasetItemRow): EvalItem {
  return {
    id: row.item_id,
    input: row.input as EvalItem['input'],
    ideal: row.ideal as string[],
    grader: row.grader as EvalItem['grader'],
    graderOptions: row.grader_options ?? {},
    category: row.category,
    ...(row.choices ? { choices: row.choices } : {}),
    ...(row.meta ? { meta: row.meta } : {}),
  };
}

/** Items are read once per dataset version per process, not once per job. */
async function loadItem(db: Db, versionId: string, itemId: string): Promise<EvalItem | undefined> {
  let cache = itemCaches.get(versionId);
  if (!cache || !cache.items.has(itemId)) {
    const rows = await listDatasetItems(db, versionId);
    cache = { items: new Map(rows.map((row) => [row.item_id, rowToEvalItem(row)])) };
    if (itemCaches.size >= 8) itemCaches.delete(itemCaches.keys().next().value as string);
    itemCaches.set(versionId, cache);
  }
  return cache.items.get(itemId);
}

function judgeFor(context: JobsContext): Judge | undefined {
  const judgeModel = context.config.optimizer.judgeModel;
  const binding = judgeModel ? context.providers.find(judgeModel) : undefined;
  if (!binding) return undefined;
  return async (prompt) => (await measuredCall(binding, { messages: [{ role: 'user', content: prompt }], max_tokens: 512, temperature: 0 }, { stream: false })).text;
}

export interface EvalItemOutcome {
  written: boolean;
  score: number | null;
  errorCode: string | null;
}

export async function processEvalItem(
  context: JobsContext,
  job: Job<EvalItemJobData>,
  rateLimitQueue: Pick<Queue, 'rateLimit'>,
): Promise<EvalItemOutcome> {
  // Watched from before the status check, so a cancellation at any later moment aborts the call.
  const cancellation = watchCancellation(context.db, job.data.runId);
  try {
    return await evaluateItem(context, job, rateLimitQueue, cancellation.signal);
  } finally {
    cancellation.release();
  }
}

async function evaluateItem(
  context: JobsContext,
  job: Job<EvalItemJobData>,
  rateLimitQueue: Pick<Queue, 'rateLimit'>,
  cancelled: AbortSignal,
): Promise<EvalItemOutcome> {
  const data = job.data;
  const base = {
    run_id: data.runId,
    dataset_version_id: data.datasetVersionId,
    item_id: data.itemId,
    model_id: data.modelId,
    settings_hash: data.settingsHash,
  };
  const writeError = async (category: string, code: string, message: string): Promise<EvalItemOutcome> => {
    const written = await insertEvalResult(context.db, { ...base, category, score: null, error_code: code, explanation: message.slice(0, 2_000) });
    await reportEvalProgress(context, data.runId, job.parent?.id);
    return { written, score: null, errorCode: code };
  };
  const skipped: EvalItemOutcome = { written: false, score: null, errorCode: null };

  // The item first: on a cold cache loading takes a while, and the run may be cancelled meanwhile.
  const item = await loadItem(context.db, data.datasetVersionId, data.itemId);
  const run = await getEvalRun(context.db, data.runId);
  if (!run || run.status === 'cancelled' || cancelled.aborted) return skipped;
  if (!item) return writeError('general', 'not_found', `item ${data.itemId} is not in dataset version ${data.datasetVersionId}`);
  const binding = context.providers.find(data.modelId);
  if (!binding) return writeError(item.category, 'model_not_found', `model ${data.modelId} is not configured in this worker`);

  let call;
  try {
    // Not streamed: evals measure quality; latency distributions come from the probes.
    call = await measuredCall(
      binding,
      { messages: promptMessages(item), temperature: data.settings.temperature, max_tokens: data.settings.maxTokens },
      { stream: false, signal: cancelled },
    );
  } catch (error) {
    // Aborted because the run was cancelled: nothing is recorded, and there is nothing to retry.
    if (cancelled.aborted) return skipped;
    const failure = classifyFailure(error);
    switch (failure.kind) {
      case 'misconfigured':
        await setModelStatus(context.db, data.modelId, 'misconfigured', failure.error.message);
        await publishLiveEvent(context.redis, context.prefix, { type: 'models', model: data.modelId }).catch(() => undefined);
        await writeError(item.category, failure.error.code, failure.error.message);
        throw new UnrecoverableError(`${data.modelId} is misconfigured: ${failure.error.message}`);
      case 'rate_limited':
        // The whole provider queue waits for the provider's retry-after; the job keeps its attempts.
        await rateLimitQueue.rateLimit(failure.error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS);
        throw Worker.RateLimitError();
      case 'transient':
        if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw failure.error;
        return writeError(item.category, failure.error.code, failure.error.message);
      case 'permanent':
        return writeError(item.category, failure.error.code, failure.error.message);
    }
  }

  let graded;
  try {
    const judge = judgeFor(context);
    graded = await grade(item, call.text, judge ? { judge } : {});
  } catch (error) {
    return writeError(item.category, 'grader', error instanceof Error ? error.message : String(error));
  }
  const written = await insertEvalResult(context.db, {
    ...base,
    category: item.category,
    score: graded.score,
    explanation: graded.explanation.slice(0, 2_000),
    output: call.text.slice(0, 20_000),
    grader_detail: graded.detail ? JSON.stringify(graded.detail) : null,
    error_code: null,
    ttft_ms: call.ttftMs,
    latency_ms: call.latencyMs,
    input_tokens: call.inputTokens,
    output_tokens: call.outputTokens,
    cost_usd: call.costUsd,
    cost_estimated: call.costEstimated,
  });
  await reportEvalProgress(context, data.runId, job.parent?.id);
  return { written, score: graded.score, errorCode: null };
}

// ---------------------------------------------------------------------------------------
// Progress.

export interface EvalProgress {
  runId: string;
  status: string;
  done: number;
  total: number;
  errors: number;
  spendUsd: number;
  /** Time left at the pace so far; 0 when every item is done, null when unknown or the run has ended. */
  etaMs: number | null;
}

const terminalStatuses = new Set(['completed', 'cancelled', 'failed']);

const lastReport = new Map<string, number>();
const REPORT_EVERY_MS = 400;

/** Progress of `run` from `counts` (default: the counts stored on the run row). A finished run has no ETA. */
export function computeProgress(
  run: EvalRunRow,
  counts: { done: number; errors: number; spendUsd: number } = { done: run.done, errors: run.errors, spendUsd: run.spend_usd },
  now = Date.now(),
): EvalProgress {
  const reused = Number((run.summary as { reused?: number } | null)?.reused ?? 0);
  const started = run.started_at ? new Date(run.started_at).getTime() : null;
  const measured = counts.done - reused;
  const remaining = Math.max(0, run.total - counts.done);
  let etaMs: number | null = null;
  if (terminalStatuses.has(run.status)) etaMs = null;
  else if (remaining === 0) etaMs = 0;
  else if (started !== null && measured > 0 && now > started) etaMs = Math.round(((now - started) / measured) * remaining);
  return { runId: run.id, status: run.status, done: counts.done, total: run.total, errors: counts.errors, spendUsd: counts.spendUsd, etaMs };
}

/**
 * Count the run's results, store the counts on the run, update the parent job's progress
 * and tell dashboards. Throttled per run and process, except for the last item.
 */
export async function reportEvalProgress(context: JobsContext, runId: string, parentJobId?: string, force = false): Promise<EvalProgress | undefined> {
  const now = Date.now();
  if (!force && now - (lastReport.get(runId) ?? 0) < REPORT_EVERY_MS) return undefined;
  lastReport.set(runId, now);
  if (lastReport.size > 1_000) lastReport.delete(lastReport.keys().next().value as string);
  await markEvalRunStarted(context.db, runId);
  const [run, counts] = await Promise.all([getEvalRun(context.db, runId), countEvalRunProgress(context.db, runId)]);
  if (!run) return undefined;
  await updateEvalRun(context.db, runId, { done: counts.done, errors: counts.errors, spend_usd: counts.spendUsd });
  const progress = computeProgress(run, counts, now);
  if (parentJobId) {
    const parent = await Job.fromId(context.queues.get(queueNames.evalRun), parentJobId).catch(() => undefined);
    await parent?.updateProgress({ ...progress }).catch(() => undefined);
  }
  await publishLiveEvent(context.redis, context.prefix, { type: 'eval-progress', ...progress }).catch(() => undefined);
  return progress;
}

// ---------------------------------------------------------------------------------------
// Parent: aggregate once every child has finished.

export interface EvalRunSummary {
  reused: number;
  total: number;
  done: number;
  errors: number;
  spendUsd: number;
  /** One row per model over all categories, and per (model, category). */
  groups: GroupSummary[];
}

export async function summarizeEvalRun(db: Db, run: EvalRunRow): Promise<EvalRunSummary> {
  const rows = await listEvalRunScores(db, run.id);
  const groups = summarize(
    rows.map((row) => ({
      modelId: row.model_id,
      datasetId: run.dataset_version_id,
      category: row.category,
      itemId: row.item_id,
      score: row.score,
      costUsd: row.cost_usd,
      latencyMs: row.latency_ms,
      ttftMs: row.ttft_ms,
    })),
    { seed: 1 },
  );
  return {
    reused: rows.filter((row) => row.reused_from !== null).length,
    total: run.total,
    done: rows.length,
    errors: rows.filter((row) => row.error_code !== null).length,
    spendUsd: rows.reduce((sum, row) => sum + row.cost_usd, 0),
    groups,
  };
}

/** Summarize the run's results and store the summary (with `fields`) on the run. */
async function storeEvalRunSummary(db: Db, run: EvalRunRow, fields: { status?: 'completed'; finished_at?: Date }): Promise<EvalRunSummary> {
  const summary = await summarizeEvalRun(db, run);
  await updateEvalRun(db, run.id, { ...fields, done: summary.done, errors: summary.errors, spend_usd: summary.spendUsd, summary: JSON.stringify(summary) });
  return summary;
}

/** Report a finished run's final progress on its job and to dashboards. */
async function reportFinalProgress(context: JobsContext, job: Job<EvalRunJobData>, runId: string, summary: EvalRunSummary): Promise<void> {
  const finished = await getEvalRun(context.db, runId);
  if (!finished) return;
  const progress = computeProgress(finished, summary);
  await job.updateProgress({ ...progress });
  await publishLiveEvent(context.redis, context.prefix, { type: 'eval-progress', ...progress }).catch(() => undefined);
}

const isOpen = (run: EvalRunRow) => run.status === 'queued' || run.status === 'running';

export async function processEvalRun(context: JobsContext, job: Job<EvalRunJobData>): Promise<{ runId: string; done: number; errors: number }> {
  const { runId, itemIds } = job.data;
  const run = await getEvalRun(context.db, runId);
  if (!run) throw new UnrecoverableError(`eval run ${runId} does not exist`);
  if (run.status === 'completed') return { runId, done: run.done, errors: run.errors };

  // Completed under the run's row lock: a cancellation that comes meanwhile waits and then
  // finds the run completed (409); one that came first is seen here and nothing is filled in.
  const completed = isOpen(run)
    ? await context.db.transaction().execute(async (trx) => {
        const locked = await lockEvalRun(trx, runId);
        if (!locked || !isOpen(locked)) return undefined;
        // A child that failed without writing (e.g. the database was down) still counts, as an error.
        const existing = await existingResultKeys(trx, runId);
        const categories = new Map((await listDatasetItems(trx, locked.dataset_version_id, itemIds)).map((row) => [row.item_id, row.category]));
        for (const modelId of locked.models) {
          for (const itemId of itemIds) {
            if (existing.has(resultKey(itemId, modelId))) continue;
            await insertEvalResult(trx, {
              run_id: runId,
              dataset_version_id: locked.dataset_version_id,
              item_id: itemId,
              model_id: modelId,
              category: categories.get(itemId) ?? 'general',
              settings_hash: locked.settings_hash,
              score: null,
              error_code: 'internal',
              explanation: 'the item job failed without recording a result',
            });
          }
        }
        await markEvalRunStarted(trx, runId);
        return storeEvalRunSummary(trx, locked, { status: 'completed', finished_at: new Date() });
      })
    : undefined;

  if (!completed) {
    const latest = await getEvalRun(context.db, runId);
    if (latest?.status !== 'cancelled') return { runId, done: latest?.done ?? 0, errors: latest?.errors ?? 0 };
    // What was done before the cancellation is kept and summarized; no gap is filled.
    const summary = await storeEvalRunSummary(context.db, latest, {});
    await reportFinalProgress(context, job, runId, summary);
    context.logger.info({ runId, done: summary.done }, 'eval run cancelled; partial results summarized');
    return { runId, done: summary.done, errors: summary.errors };
  }

  await reportFinalProgress(context, job, runId, completed);
  for (const modelId of run.models) {
    await publishLiveEvent(context.redis, context.prefix, { type: 'eval-result', runId, model: modelId }).catch(() => undefined);
  }
  await requestOptimize(context.queues, 'eval-completed').catch((error: unknown) => context.logger.warn({ err: error }, 'could not request an optimize run'));
  context.logger.info({ runId, done: completed.done, errors: completed.errors, spendUsd: completed.spendUsd }, 'eval run completed');
  return { runId, done: completed.done, errors: completed.errors };
}

/** Per-model rows of a finished (or running) run, for the API. */
export async function evalRunModelAggregates(db: Db, runId: string) {
  return aggregateEvalRun(db, runId);
}
