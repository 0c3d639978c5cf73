import { sql } from 'kysely';
import type { Db } from '../database';
import type { NewProbeSampleRow, ProbeSampleRow } from '../tables/probe-sample.table';

/**
 * Append probe samples. Idempotent on `job_id`: a stalled probe job that runs again
 * writes its samples once. Returns how many rows were new.
 */
export async function insertProbeSamples(db: Db, rows: NewProbeSampleRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('probe_samples')
    .values(rows)
    .onConflict((conflict) => conflict.column('job_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** USD spent by probes of a model since the start of the current UTC day. */
export async function probeSpendToday(db: Db, modelId: string, now: Date = new Date()): Promise<number> {
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const row = await db
    .selectFrom('probe_samples')
    .select(sql<number>`coalesce(sum(cost_usd), 0)`.as('spent'))
    .where('model_id', '=', modelId)
    .where('at', '>=', dayStart)
    .executeTakeFirstOrThrow();
  return Number(row.spent);
}

export function listProbeSamples(
  db: Db,
  options: { modelId?: string; since?: Date; limit?: number } = {},
): Promise<ProbeSampleRow[]> {
  let query = db.selectFrom('probe_samples').selectAll().orderBy('at', 'desc').limit(Math.min(options.limit ?? 500, 10_000));
  if (options.modelId) query = query.where('model_id', '=', options.modelId);
  if (options.since) query = query.where('at', '>=', options.since);
  return query.execute();
}

export interface ProbeLatencyStats {
  modelId: string;
  samples: number;
  okSamples: number;
  errorRate: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  tokensPerSecondP50: number | null;
}

/** Latency percentiles per model over a window (served by `probe_samples_model_at_idx`). */
export async function probeLatencyStats(db: Db, options: { since: Date; modelIds?: string[] }): Promise<ProbeLatencyStats[]> {
  let query = db
    .selectFrom('probe_samples')
    .select([
      'model_id',
      sql<number>`count(*)`.as('samples'),
      sql<number>`count(*) filter (where ok)`.as('ok_samples'),
      sql<number | null>`percentile_cont(0.5) within group (order by ttft_ms) filter (where ok)`.as('ttft_p50'),
      sql<number | null>`percentile_cont(0.95) within group (order by ttft_ms) filter (where ok)`.as('ttft_p95'),
      sql<number | null>`percentile_cont(0.5) within group (order by latency_ms) filter (where ok)`.as('latency_p50'),
      sql<number | null>`percentile_cont(0.95) within group (order by latency_ms) filter (where ok)`.as('latency_p95'),
      sql<number | null>`percentile_cont(0.5) within group (order by output_tokens_per_s) filter (where ok)`.as('tps_p50'),
    ])
    .where('at', '>=', options.since)
    .where('kind', '=', 'latency')
    .groupBy('model_id')
    .orderBy('model_id');
  if (options.modelIds && options.modelIds.length > 0) query = query.where('model_id', 'in', options.modelIds);
  const rows = await query.execute();
  return rows.map((row) => {
    const samples = Number(row.samples);
    const okSamples = Number(row.ok_samples);
    const number = (value: number | null) => (value === null ? null : Number(value));
    return {
      modelId: row.model_id,
      samples,
      okSamples,
      errorRate: samples === 0 ? 0 : 1 - okSamples / samples,
      ttftP50Ms: number(row.ttft_p50),
      ttftP95Ms: number(row.ttft_p95),
      latencyP50Ms: number(row.latency_p50),
      latencyP95Ms: number(row.latency_p95),
      tokensPerSecondP50: number(row.tps_p50),
    };
  });
}
