import { sql } from 'kysely';
import type { Db } from '../database';
import type { EvalResultRow, EvalRunRow, EvalRunStatus, EvalRunUpdate, NewEvalResultRow } from '../tables/eval.table';

export interface NewEvalRun {
  datasetVersionId: string;
  models: string[];
  settings: Record<string, unknown>;
  settingsHash: string;
  trigger?: string;
  total: number;
}

export async function createEvalRun(db: Db, run: NewEvalRun): Promise<EvalRunRow> {
  return db
    .insertInto('eval_runs')
    .values({
      dataset_version_id: run.datasetVersionId,
      models: run.models,
      settings: JSON.stringify(run.settings),
      settings_hash: run.settingsHash,
      trigger: run.trigger ?? 'manual',
      total: run.total,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function getEvalRun(db: Db, id: string): Promise<EvalRunRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(undefined);
  return db.selectFrom('eval_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listEvalRuns(
  db: Db,
  options: { limit?: number; offset?: number; status?: EvalRunStatus; datasetVersionId?: string } = {},
): Promise<{ runs: EvalRunRow[]; total: number }> {
  let query = db.selectFrom('eval_runs');
  if (options.status) query = query.where('status', '=', options.status);
  if (options.datasetVersionId) query = query.where('dataset_version_id', '=', options.datasetVersionId);
  const [runs, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(Math.min(options.limit ?? 50, 500))
      .offset(options.offset ?? 0)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
  ]);
  return { runs, total: Number(count.count) };
}

export async function updateEvalRun(db: Db, id: string, update: EvalRunUpdate): Promise<void> {
  await db.updateTable('eval_runs').set(update).where('id', '=', id).execute();
}

/**
 * Cancel a run that is still queued or running (one statement, so a run finishing at the same
 * moment is either completed or cancelled, never both). Undefined when it was not cancellable.
 */
export async function cancelEvalRunRow(db: Db, id: string, reason: string): Promise<EvalRunRow | undefined> {
  return db
    .updateTable('eval_runs')
    .set({ status: 'cancelled', error: reason, finished_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .returningAll()
    .executeTakeFirst();
}

/**
 * Mark a run running (first time only: `started_at` keeps its first value). A run that is
 * already cancelled, failed or completed is left alone: an item that was in flight when it
 * was cancelled must not give it a start time after its finish time.
 */
export async function markEvalRunStarted(db: Db, id: string): Promise<void> {
  await db
    .updateTable('eval_runs')
    .set({ status: 'running', started_at: sql<Date>`coalesce(started_at, now())` })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}

/**
 * The run, locked for the rest of the transaction (`select … for update`), so a cancellation
 * waits until the run's completion is committed (and then finds it completed) instead of
 * interleaving with it.
 */
export function lockEvalRun(db: Db, id: string): Promise<EvalRunRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(undefined);
  return db.selectFrom('eval_runs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Which of these runs are cancelled (workers ask, to abort the model calls still in flight for them). */
export async function listCancelledEvalRunIds(db: Db, ids: readonly string[]): Promise<string[]> {
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (valid.length === 0) return [];
  const rows = await db.selectFrom('eval_runs').select('id').where('id', 'in', valid).where('status', '=', 'cancelled').execute();
  return rows.map((row) => row.id);
}

/**
 * Copy results of earlier runs for the same (dataset version, model, settings, item) into
 * this run, so they are not paid for again. Failed calls are never reused. Returns how
 * many results were copied.
 */
export async function copyReusableResults(
  db: Db,
  input: { runId: string; datasetVersionId: string; settingsHash: string; models: string[]; itemIds: string[] },
): Promise<number> {
  if (input.models.length === 0 || input.itemIds.length === 0) return 0;
  const result = await sql`
    insert into eval_results (
      run_id, dataset_version_id, item_id, model_id, category, settings_hash, score, explanation, output,
      grader_detail, error_code, ttft_ms, latency_ms, input_tokens, output_tokens, cost_usd, cost_estimated, reused_from
    )
    select distinct on (item_id, model_id)
      ${input.runId}::uuid, dataset_version_id, item_id, model_id, category, settings_hash, score, explanation, output,
      grader_detail, error_code, ttft_ms, latency_ms, input_tokens, output_tokens, 0, cost_estimated, coalesce(reused_from, id)
    from eval_results
    where dataset_version_id = ${input.datasetVersionId}
      and settings_hash = ${input.settingsHash}
      and model_id = any(${input.models}::text[])
      and item_id = any(${input.itemIds}::text[])
      and error_code is null
      and run_id <> ${input.runId}::uuid
    order by item_id, model_id, created_at desc
    on conflict (run_id, item_id, model_id) do nothing
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** (item, model) pairs that already have a result in a run. */
export async function existingResultKeys(db: Db, runId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('eval_results').select(['item_id', 'model_id']).where('run_id', '=', runId).execute();
  return new Set(rows.map((row) => resultKey(row.item_id, row.model_id)));
}

export function resultKey(itemId: string, modelId: string): string {
  return `${itemId}\u0000${modelId}`;
}

/**
 * Write one graded result. Idempotent on (run, item, model): a job that runs twice
 * (stalled and picked up again) writes once. Returns whether this call wrote the row.
 */
export async function insertEvalResult(db: Db, row: NewEvalResultRow): Promise<boolean> {
  const result = await db
    .insertInto('eval_results')
    .values(row)
    .onConflict((conflict) => conflict.columns(['run_id', 'item_id', 'model_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface EvalRunProgressCounts {
  done: number;
  errors: number;
  spendUsd: number;
}

/** Progress counted from the results themselves, so a re-delivered job never double-counts. */
export async function countEvalRunProgress(db: Db, runId: string): Promise<EvalRunProgressCounts> {
  const row = await db
    .selectFrom('eval_results')
    .select([
      sql<number>`count(*)`.as('done'),
      sql<number>`count(*) filter (where error_code is not null)`.as('errors'),
      sql<number>`coalesce(sum(cost_usd), 0)`.as('spend'),
    ])
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return { done: Number(row.done), errors: Number(row.errors), spendUsd: Number(row.spend) };
}

export interface EvalModelCategoryAggregate {
  modelId: string;
  category: string;
  /** Results with a score (graded). */
  graded: number;
  scoreSum: number;
  errors: number;
  reused: number;
  costUsd: number;
  meanLatencyMs: number | null;
  meanTtftMs: number | null;
  outputTokens: number;
}

/** Per (model, category) aggregates of one run. */
export async function aggregateEvalRun(db: Db, runId: string): Promise<EvalModelCategoryAggregate[]> {
  const rows = await db
    .selectFrom('eval_results')
    .select([
      'model_id',
      'category',
      sql<number>`count(score)`.as('graded'),
      sql<number>`coalesce(sum(score), 0)`.as('score_sum'),
      sql<number>`count(*) filter (where error_code is not null)`.as('errors'),
      sql<number>`count(reused_from)`.as('reused'),
      sql<number>`coalesce(sum(cost_usd), 0)`.as('cost'),
      sql<number | null>`avg(latency_ms)`.as('latency'),
      sql<number | null>`avg(ttft_ms)`.as('ttft'),
      sql<number>`coalesce(sum(output_tokens), 0)`.as('output_tokens'),
    ])
    .where('run_id', '=', runId)
    .groupBy(['model_id', 'category'])
    .orderBy('model_id')
    .orderBy('category')
    .execute();
  return rows.map((row) => ({
    modelId: row.model_id,
    category: row.category,
    graded: Number(row.graded),
    scoreSum: Number(row.score_sum),
    errors: Number(row.errors),
    reused: Number(row.reused),
    costUsd: Number(row.cost),
    meanLatencyMs: row.latency === null ? null : Number(row.latency),
    meanTtftMs: row.ttft === null ? null : Number(row.ttft),
    outputTokens: Number(row.output_tokens),
  }));
}

export function listEvalResults(
  db: Db,
  runId: string,
  options: { modelId?: string; limit?: number; offset?: number } = {},
): Promise<EvalResultRow[]> {
  let query = db
    .selectFrom('eval_results')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('id')
    .limit(Math.min(options.limit ?? 100, 1000))
    .offset(options.offset ?? 0);
  if (options.modelId) query = query.where('model_id', '=', options.modelId);
  return query.execute();
}

/** Whether any eval result exists (first start bootstraps when none does). */
export async function hasEvalResults(db: Db): Promise<boolean> {
  const row = await db.selectFrom('eval_results').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** A dataset version by id, or the newest version of a (live) dataset by name. */
export async function findDatasetVersion(
  db: Db,
  input: { versionId?: string; datasetName?: string },
): Promise<{ id: string; datasetId: string; datasetName: string; itemCount: number } | undefined> {
  let query = db
    .selectFrom('dataset_versions')
    .innerJoin('datasets', 'datasets.id', 'dataset_versions.dataset_id')
    .select(['dataset_versions.id as id', 'datasets.id as datasetId', 'datasets.name as datasetName', 'dataset_versions.item_count as itemCount'])
    .orderBy('dataset_versions.created_at', 'desc')
    .limit(1);
  if (input.versionId) query = query.where('dataset_versions.id', '=', input.versionId);
  else if (input.datasetName) query = query.where('datasets.name', '=', input.datasetName).where('datasets.deleted_at', 'is', null);
  else return undefined;
  return query.executeTakeFirst();
}

/** Item ids of a dataset version in file order. */
export async function listDatasetItemIds(db: Db, versionId: string): Promise<string[]> {
  const rows = await db.selectFrom('dataset_items').select('item_id').where('version_id', '=', versionId).orderBy('position').execute();
  return rows.map((row) => row.item_id);
}

/** Items of a dataset version (all, or the given ids). */
export function listDatasetItems(db: Db, versionId: string, itemIds?: readonly string[]) {
  let query = db.selectFrom('dataset_items').selectAll().where('version_id', '=', versionId).orderBy('position');
  if (itemIds) {
    if (itemIds.length === 0) return Promise.resolve([]);
    query = query.where('item_id', 'in', [...itemIds]);
  }
  return query.execute();
}

/** Every result of a run in the shape the statistics need. */
export function listEvalRunScores(db: Db, runId: string) {
  return db
    .selectFrom('eval_results')
    .select(['model_id', 'item_id', 'category', 'score', 'cost_usd', 'latency_ms', 'ttft_ms', 'error_code', 'reused_from'])
    .where('run_id', '=', runId)
    .execute();
}
