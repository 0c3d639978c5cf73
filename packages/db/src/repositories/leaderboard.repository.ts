/**
 * Aggregate reads behind the dashboard. Nothing here scans a raw table end to end:
 * quality comes from `eval_quality_rollup` (refreshed incrementally from a watermark on
 * `eval_results.id`), and latency, uptime and traffic are range queries on the `at`
 * indexes of `probe_samples` and `route_decisions` bounded to at most 7 days.
 */
import { sql } from 'kysely';
import type { Db } from '../database';
import { requestFailed } from './decision-outcome';
import { afterRow, refuseUnknownAfter, type Keyset } from './keyset';

const ROLLUP_LOCK = 7_310_002;
const EVAL_WATERMARK = 'eval_quality_rollup';
/**
 * Rows younger than this are left for the next refresh: bigserial ids can commit out of
 * order, and a short lag keeps the watermark from skipping a late-committing lower id.
 */
const COMMIT_LAG = '5 seconds';

/**
 * Fold eval results newer than the watermark into the rollup. Cheap when nothing changed
 * (one indexed lookup); serialized across API processes by an advisory lock.
 */
export async function refreshEvalRollup(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const locked = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${ROLLUP_LOCK}) as locked`.execute(trx);
    if (!locked.rows[0]?.locked) return 0;
    const mark = await sql<{ last_id: number }>`select last_id from rollup_watermarks where name = ${EVAL_WATERMARK}`.execute(trx);
    const lastId = Number(mark.rows[0]?.last_id ?? 0);
    const upper = await sql<{ max_id: number | null }>`
      select max(id) as max_id from eval_results where id > ${lastId} and created_at < now() - ${COMMIT_LAG}::interval`.execute(trx);
    const maxId = upper.rows[0]?.max_id === null || upper.rows[0]?.max_id === undefined ? null : Number(upper.rows[0].max_id);
    if (maxId === null) return 0;
    const result = await sql`
      insert into eval_quality_rollup as r (model_id, dataset_version_id, category, n, score_sum, errors, cost_usd, latency_sum_ms, latency_n, updated_at)
      select model_id, dataset_version_id, category,
             count(score)::int, coalesce(sum(score), 0), count(*) filter (where score is null)::int,
             coalesce(sum(cost_usd), 0), coalesce(sum(latency_ms), 0), count(latency_ms)::int, now()
        from eval_results
       where id > ${lastId} and id <= ${maxId} and reused_from is null
       group by model_id, dataset_version_id, category
      on conflict (model_id, dataset_version_id, category) do update set
        n = r.n + excluded.n,
        score_sum = r.score_sum + excluded.score_sum,
        errors = r.errors + excluded.errors,
        cost_usd = r.cost_usd + excluded.cost_usd,
        latency_sum_ms = r.latency_sum_ms + excluded.latency_sum_ms,
        latency_n = r.latency_n + excluded.latency_n,
        updated_at = now()`.execute(trx);
    await sql`
      insert into rollup_watermarks (name, last_id, updated_at) values (${EVAL_WATERMARK}, ${maxId}, now())
      on conflict (name) do update set last_id = excluded.last_id, updated_at = now()`.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  });
}

export interface QualityCell {
  model: string;
  dataset: string;
  datasetId: string;
  category: string;
  n: number;
  mean: number | null;
  errors: number;
  costUsd: number;
  meanLatencyMs: number | null;
}

/** Quality per model × dataset × category (all versions of a dataset pooled), from the rollup. */
export async function qualityCells(db: Db, filter: { dataset?: string; category?: string } = {}): Promise<QualityCell[]> {
  const rows = await sql<{
    model_id: string;
    dataset: string;
    dataset_id: string;
    category: string;
    n: number;
    score_sum: number;
    errors: number;
    cost_usd: number;
    latency_sum_ms: number;
    latency_n: number;
  }>`
    select r.model_id, d.name as dataset, d.id::text as dataset_id, r.category,
           sum(r.n)::int as n, sum(r.score_sum) as score_sum, sum(r.errors)::int as errors, sum(r.cost_usd) as cost_usd,
           sum(r.latency_sum_ms) as latency_sum_ms, sum(r.latency_n)::int as latency_n
      from eval_quality_rollup r
      join dataset_versions v on v.id = r.dataset_version_id
      join datasets d on d.id = v.dataset_id and d.deleted_at is null
     where (${filter.dataset ?? null}::text is null or d.name = ${filter.dataset ?? null})
       and (${filter.category ?? null}::text is null or r.category = ${filter.category ?? null})
     group by r.model_id, d.name, d.id, r.category
     order by r.model_id, d.name, r.category`.execute(db);
  return rows.rows.map((row) => ({
    model: row.model_id,
    dataset: row.dataset,
    datasetId: row.dataset_id,
    category: row.category,
    n: Number(row.n),
    mean: Number(row.n) > 0 ? Number(row.score_sum) / Number(row.n) : null,
    errors: Number(row.errors),
    costUsd: Number(row.cost_usd),
    meanLatencyMs: Number(row.latency_n) > 0 ? Number(row.latency_sum_ms) / Number(row.latency_n) : null,
  }));
}

export interface ProbeStats {
  model: string;
  samples: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  tokensPerSecond: number | null;
  probeSpendUsd: number;
  lastProbeAt: string | null;
  uptime: { '1h': number | null; '24h': number | null; '7d': number | null };
}

/** Latency percentiles over the last 24 h and uptime over 1 h / 24 h / 7 d, per model. */
export async function probeStats(db: Db, now: Date = new Date()): Promise<ProbeStats[]> {
  const rows = await sql<{
    model_id: string;
    samples: number;
    latency_p50: number | null;
    latency_p95: number | null;
    ttft_p50: number | null;
    ttft_p95: number | null;
    tps: number | null;
    spend: number | null;
    last_at: Date | null;
    ok_1h: number;
    n_1h: number;
    ok_24h: number;
    n_24h: number;
    ok_7d: number;
    n_7d: number;
  }>`
    select model_id,
           count(*) filter (where at > ${now}::timestamptz - interval '24 hours')::int as samples,
           percentile_cont(0.5) within group (order by latency_ms) filter (where ok and at > ${now}::timestamptz - interval '24 hours') as latency_p50,
           percentile_cont(0.95) within group (order by latency_ms) filter (where ok and at > ${now}::timestamptz - interval '24 hours') as latency_p95,
           percentile_cont(0.5) within group (order by ttft_ms) filter (where ok and at > ${now}::timestamptz - interval '24 hours') as ttft_p50,
           percentile_cont(0.95) within group (order by ttft_ms) filter (where ok and at > ${now}::timestamptz - interval '24 hours') as ttft_p95,
           percentile_cont(0.5) within group (order by output_tokens_per_s) filter (where ok and at > ${now}::timestamptz - interval '24 hours') as tps,
           sum(cost_usd) filter (where at > ${now}::timestamptz - interval '24 hours') as spend,
           max(at) as last_at,
           count(*) filter (where ok and at > ${now}::timestamptz - interval '1 hour')::int as ok_1h,
           count(*) filter (where at > ${now}::timestamptz - interval '1 hour')::int as n_1h,
           count(*) filter (where ok and at > ${now}::timestamptz - interval '24 hours')::int as ok_24h,
           count(*) filter (where at > ${now}::timestamptz - interval '24 hours')::int as n_24h,
           count(*) filter (where ok)::int as ok_7d,
           count(*)::int as n_7d
      from probe_samples
     where at > ${now}::timestamptz - interval '7 days' and at <= ${now}::timestamptz
     group by model_id`.execute(db);
  const ratio = (ok: number, n: number) => (Number(n) > 0 ? Number(ok) / Number(n) : null);
  const num = (value: number | null) => (value === null || value === undefined ? null : Number(value));
  return rows.rows.map((row) => ({
    model: row.model_id,
    samples: Number(row.samples),
    latencyP50Ms: num(row.latency_p50),
    latencyP95Ms: num(row.latency_p95),
    ttftP50Ms: num(row.ttft_p50),
    ttftP95Ms: num(row.ttft_p95),
    tokensPerSecond: num(row.tps),
    probeSpendUsd: Number(row.spend ?? 0),
    lastProbeAt: row.last_at ? new Date(row.last_at).toISOString() : null,
    uptime: { '1h': ratio(row.ok_1h, row.n_1h), '24h': ratio(row.ok_24h, row.n_24h), '7d': ratio(row.ok_7d, row.n_7d) },
  }));
}

export interface TrafficShare {
  model: string;
  requests: number;
  errors: number;
  share: number;
  spendUsd: number;
}

/**
 * Who a decision counts against, shared by `trafficShare` and `decisionAggregates`.
 *
 * A request counts (requests, latency, spend, fallbacks) for the model that served it, else the
 * model chosen for it (every attempt failed), else `(none)` (refused before a model was chosen).
 * Errors count failed upstream calls against the model that failed: every failed entry of
 * `attempts`, so a request that fell back to another model, or retried one after its
 * retry-after, counts once per failure, as the router's circuit breaker counts them. A request
 * whose failure no failed call records — refused before any call, the budget ran out before
 * one, or the model that answered failed after its first token (a stream cut, also after a
 * fallback: its call is on record as answered) — counts one error against the model the request
 * counts for. So a model can have errors without requests (its calls failed and
 * another model served), and more errors than requests.
 */
const attributedModel = sql<string>`coalesce(served_model, chosen_model, '(none)')`;
/** At least one entry of `attempts` is a failed call. */
const hasFailedCall = sql<boolean>`(attempts @> '[{"ok": false}]'::jsonb)`;
/**
 * The request failed, and not by its last call: none was made, or the last one answered and the
 * failure came after (a stream cut after its first token). No failed call records this failure.
 */
const unrecordedFailure = sql<boolean>`${requestFailed} and coalesce(attempts -> -1 ->> 'ok', 'true') <> 'false'`;
/** At least one entry of `attempts` is a failed call by `model` (the rows `failedCalls` yields for it). */
function hasFailedCallBy(model: string) {
  return sql<boolean>`(attempts @> ${JSON.stringify([{ model, ok: false }])}::jsonb)`;
}
/**
 * The decision adds at least one to the `errors` of `model` in `decisionAggregates` and
 * `trafficShare` (a failed call by it, or a failure no failed call records that counts
 * for it), or without a model, to the `errors` of any model.
 */
function countsAnError(model: string | undefined) {
  // Any model: the request failed, or one of its calls did (a failed last call is both).
  if (!model) return sql<boolean>`(${requestFailed} or ${hasFailedCall})`;
  return sql<boolean>`((${attributedModel} = ${model} and ${unrecordedFailure}) or ${hasFailedCallBy(model)})`;
}
/** One row per failed call (`attempt`, jsonb) of the `decisions` CTE's rows. */
const failedCalls = sql`decisions
  cross join lateral jsonb_array_elements(case when jsonb_typeof(attempts) = 'array' then attempts else '[]'::jsonb end) as attempt
  where attempt @> '{"ok": false}'::jsonb`;

/**
 * The one query behind `trafficShare` and `decisionAggregates`: requests, errors, fallbacks and
 * spend per route × model of the decisions in `(since, now]`, counted as `attributedModel` says.
 * With `perRoute: false` every route is pooled into one (route `''`), so a model's errors are
 * summed over routes by the same counts, and the latency percentiles, which the pooled counts
 * do not need, are left null.
 */
async function decisionCounts(db: Db, options: { since: Date; now: Date; route?: string | undefined; perRoute: boolean }): Promise<DecisionAggregate[]> {
  const route = options.route ?? null;
  const percentile = (fraction: number) =>
    options.perRoute ? sql`percentile_cont(${fraction}::float8) within group (order by latency_ms)` : sql`null::float8`;
  const rows = await sql<{
    route: string;
    model: string;
    requests: number;
    errors: number;
    fallbacks: number | null;
    p50: number | null;
    p95: number | null;
    spend: number | null;
  }>`
    with decisions as (
      select ${options.perRoute ? sql`route` : sql`''::text`} as route, ${attributedModel} as model, attempts, status, error_code, fallbacks, latency_ms, cost_usd
        from route_decisions
       where at > ${options.since} and at <= ${options.now}
         and (${route}::text is null or route = ${route})
    ),
    by_request as (
      select route, model, count(*)::int as requests,
             count(*) filter (where ${unrecordedFailure})::int as errors, sum(fallbacks)::int as fallbacks,
             ${percentile(0.5)} as p50, ${percentile(0.95)} as p95, sum(cost_usd) as spend
        from decisions group by 1, 2
    ),
    by_call as (
      select route, attempt->>'model' as model, count(*)::int as errors from ${failedCalls} group by 1, 2
    )
    select route, model, coalesce(by_request.requests, 0) as requests, coalesce(by_request.errors, 0) + coalesce(by_call.errors, 0) as errors,
           coalesce(by_request.fallbacks, 0) as fallbacks, by_request.p50, by_request.p95, by_request.spend
      from by_request full join by_call using (route, model)
     order by 1, 3 desc, 4 desc, 2`.execute(db);
  const num = (value: number | null) => (value === null || value === undefined ? null : Number(value));
  return rows.rows.map((row) => ({
    route: row.route,
    model: row.model,
    requests: Number(row.requests),
    errors: Number(row.errors),
    fallbacks: Number(row.fallbacks ?? 0),
    latencyP50Ms: num(row.p50),
    latencyP95Ms: num(row.p95),
    spendUsd: Number(row.spend ?? 0),
  }));
}

/** Share of routed traffic per model over a window (default 24 h); errors are failed calls (see `attributedModel`). */
export async function trafficShare(db: Db, options: { sinceMs?: number; now?: Date } = {}): Promise<TrafficShare[]> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.sinceMs ?? 24 * 3600_000));
  const rows = await decisionCounts(db, { since, now, perRoute: false });
  const total = rows.reduce((sum, row) => sum + row.requests, 0);
  return rows.map((row) => ({
    model: row.model,
    requests: row.requests,
    errors: row.errors,
    share: total > 0 ? row.requests / total : 0,
    spendUsd: row.spendUsd,
  }));
}

export interface ProbePoint {
  model: string;
  bucket: string;
  samples: number;
  errors: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
}

/** Probe latency percentiles per model per time bucket, over at most 7 days. */
export async function probeSeries(
  db: Db,
  options: { from: Date; to: Date; bucketSeconds: number; models?: string[] },
): Promise<ProbePoint[]> {
  const models = options.models && options.models.length > 0 ? options.models : null;
  const rows = await sql<{
    model_id: string;
    bucket: Date;
    samples: number;
    errors: number;
    p50: number | null;
    p95: number | null;
    ttft: number | null;
  }>`
    select model_id, date_bin(make_interval(secs => ${options.bucketSeconds}), at, timestamptz '2000-01-01') as bucket,
           count(*)::int as samples, count(*) filter (where not ok)::int as errors,
           percentile_cont(0.5) within group (order by latency_ms) filter (where ok) as p50,
           percentile_cont(0.95) within group (order by latency_ms) filter (where ok) as p95,
           percentile_cont(0.5) within group (order by ttft_ms) filter (where ok) as ttft
      from probe_samples
     where at >= ${options.from} and at <= ${options.to}
       and (${models}::text[] is null or model_id = any(${models}::text[]))
     group by 1, 2 order by 2, 1`.execute(db);
  const num = (value: number | null) => (value === null || value === undefined ? null : Number(value));
  return rows.rows.map((row) => ({
    model: row.model_id,
    bucket: new Date(row.bucket).toISOString(),
    samples: Number(row.samples),
    errors: Number(row.errors),
    latencyP50Ms: num(row.p50),
    latencyP95Ms: num(row.p95),
    ttftP50Ms: num(row.ttft),
  }));
}

export interface DecisionFilter {
  route?: string;
  /** The model a request counts for, as in the aggregates (see `recentDecisions`). */
  model?: string;
  /** `error`: counts an error in the aggregates; `ok`: counts none; or an exact HTTP status (see `recentDecisions`). */
  status?: 'ok' | 'error' | number;
  /**
   * Rows strictly older than this time. A `Date` holds milliseconds and `at` microseconds, so
   * paging by the last row's time skips the rows sharing its millisecond; page with `after`.
   */
  before?: Date;
  /**
   * Keyset pagination: the request id of the last row of the previous page; lists the rows after
   * it in the list's order (`(at, request_id)` below that row's own, exact to the microsecond).
   */
  after?: string;
  limit: number;
}

/** The decisions list's order, newest first. */
const DECISIONS_KEYSET: Keyset = { table: 'route_decisions', time: 'at', key: 'request_id', noun: 'decision' };

/**
 * Recent route decisions, newest first (`at desc, request_id desc`), keyset-paginated on `(at, request_id)`.
 *
 * `model` and `status` follow the rules by which `decisionAggregates` and `trafficShare` count
 * (see `attributedModel`), so a model's row there can be listed here:
 * - `model=X` lists the requests that count for X (served by X, else chosen for it): X's `requests`.
 * - `model=X&status=error` lists the requests that add at least one to X's `errors`: every request
 *   with a failed call by X (whichever model then served it or not), and every request counting
 *   for X whose failure no failed call records. It can list requests that `model=X` does not
 *   (X failed, another model served). Each listed request counts at least one error for X and
 *   each error of X comes from a listed request, so the rows number X's `errors` unless a request
 *   has several failed calls by X (a retry after retry-after), which count one error each.
 * - `model=X&status=ok` lists the requests counting for X that add no error to X: X's
 *   `requests` minus those listed with `status=error`.
 * - Without `model`, `status=error` lists the requests that add an error to any model (the request
 *   failed, or any of its calls did, even if another model then served it) and `status=ok` the
 *   rest; the two split the list.
 * - A numeric `status` matches the request's HTTP status exactly (with `model=X`, among the
 *   requests counting for X).
 *
 * Fetches `limit + 1` rows, so a caller can tell whether there is a next page. An `after` that
 * names no decision is a `bad_request` (param `cursor`, as the API calls it).
 */
export async function recentDecisions(db: Db, filter: DecisionFilter) {
  const rows = await decisionsQuery(db, filter).execute();
  await refuseUnknownAfter(db, DECISIONS_KEYSET, filter.after, rows.length === 0);
  return rows;
}

/**
 * The query behind `recentDecisions`, built but not executed (a test `explain`s it). `model=X`
 * and the order match `route_decisions_attributed_model_at_idx` (`attributedModel`, `at desc`,
 * `request_id desc`), so a rare model's page is an index range, not a walk of the `at` index;
 * change the expression or the order here and there together.
 */
export function decisionsQuery(db: Db, filter: DecisionFilter) {
  let query = db
    .selectFrom('route_decisions')
    .select([
      'request_id',
      'at',
      'route',
      'category',
      'chosen_model',
      'served_model',
      'candidates',
      'attempts',
      'fallbacks',
      'policy_hash',
      'status',
      'error_code',
      'stream',
      'ttft_ms',
      'latency_ms',
      'prompt_tokens',
      'completion_tokens',
      'cost_usd',
      'cost_estimated',
    ])
    .orderBy('at', 'desc')
    .orderBy('request_id', 'desc')
    .limit(filter.limit + 1);
  if (filter.route) query = query.where('route', '=', filter.route);
  if (filter.status === 'error') {
    // Not narrowed to the requests counting for the model: its failed calls count wherever they happened.
    query = query.where(countsAnError(filter.model));
  } else {
    if (filter.model) query = query.where(sql<boolean>`${attributedModel} = ${filter.model}`);
    if (filter.status === 'ok') query = query.where(sql<boolean>`not ${countsAnError(filter.model)}`);
    else if (typeof filter.status === 'number') query = query.where('status', '=', filter.status);
  }
  if (filter.before) query = query.where('at', '<', filter.before);
  if (filter.after !== undefined) query = query.where(afterRow(DECISIONS_KEYSET, filter.after));
  return query;
}

export interface DecisionAggregate {
  route: string;
  model: string;
  requests: number;
  errors: number;
  fallbacks: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  spendUsd: number;
}

/**
 * Requests, errors, fallbacks, latency and spend per route × model over a window (≤ 7 d).
 * Requests count for the model that served them (else the one chosen, else `(none)`); errors
 * are failed calls against the model that failed (see `attributedModel`).
 */
export async function decisionAggregates(db: Db, options: { sinceMs: number; route?: string; now?: Date }): Promise<DecisionAggregate[]> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - options.sinceMs);
  return decisionCounts(db, { since, now, route: options.route, perRoute: true });
}
