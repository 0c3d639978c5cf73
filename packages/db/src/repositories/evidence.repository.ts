/**
 * The optimizer's evidence as SQL aggregates: core's EvalStat / LiveStat / ProbeStat, with
 * every field filled. Aggregates only: nothing
 * here returns raw rows except bounded samples of eval items for training.
 */
import { sql } from 'kysely';
import type { EvalStat, LiveStat, ProbeStat } from '@switchyard/core';
import type { Db } from '../database';
import { requestFailed } from './decision-outcome';
import { probeLatencyStats } from './probe-sample.repository';

/** An `EvalStat` with every field filled. */
export type EvalEvidenceRow = EvalStat & { meanInputTokens: number | null; meanOutputTokens: number | null; source: string };

/**
 * Offline quality per (model, category, dataset): the newest graded result of each
 * (dataset version, model, item) — so copies made by result reuse count once, and a
 * re-run after a model changed replaces what was measured before.
 */
export async function evalEvidence(db: Db): Promise<EvalEvidenceRow[]> {
  const result = await sql<{
    model: string;
    category: string;
    n: number;
    mean_score: number;
    mean_input: number | null;
    mean_output: number | null;
    dataset: string | null;
  }>`
    with latest as (
      select distinct on (r.dataset_version_id, r.model_id, r.item_id)
        r.dataset_version_id, r.model_id, r.category, r.score, r.input_tokens, r.output_tokens
      from eval_results r
      where r.score is not null
      order by r.dataset_version_id, r.model_id, r.item_id, r.created_at desc, r.id desc
    )
    select l.model_id as model, l.category, count(*)::int as n, avg(l.score) as mean_score,
      avg(l.input_tokens) as mean_input, avg(l.output_tokens) as mean_output, d.name as dataset
    from latest l
    left join dataset_versions v on v.id = l.dataset_version_id
    left join datasets d on d.id = v.dataset_id
    group by l.model_id, l.category, d.name
    order by l.model_id, l.category, d.name
  `.execute(db);
  return result.rows.map((row) => ({
    model: row.model,
    category: row.category,
    n: Number(row.n),
    meanScore: Number(row.mean_score),
    meanInputTokens: row.mean_input === null ? null : Number(row.mean_input),
    meanOutputTokens: row.mean_output === null ? null : Number(row.mean_output),
    source: `eval:${row.dataset ?? 'unknown'}`,
  }));
}

/** A `LiveStat` bucket (`at` is the start of the bucket) with every sum filled. */
export type LiveEvidenceRow = LiveStat & {
  at: Date;
  feedbackCount: number;
  feedbackSum: number;
  judgeCount: number;
  judgeSum: number;
  inputTokensSum: number;
  outputTokensSum: number;
};

/**
 * Live outcomes per (model, category, hour) since `since`: every attempt counts as a
 * request of the model it went to (a failed attempt as an error, and so does the last attempt
 * of a request that failed after it answered: a stream cut after its first token), tokens and
 * feedback (user and judge scores, averaged per request) go to the model that served.
 */
export async function liveEvidence(db: Db, options: { since: Date; bucket?: 'hour' | 'minute' }): Promise<LiveEvidenceRow[]> {
  const bucket = options.bucket ?? 'hour';
  const attempts = await sql<{ model: string; category: string; at: Date; requests: number; errors: number }>`
    select a.value->>'model' as model, d.category, date_trunc(${bucket}, d.at) as at,
      count(*)::int as requests,
      count(*) filter (where coalesce((a.value->>'ok')::boolean, false) = false
        or (a.position = jsonb_array_length(d.attempts) and ${requestFailed}))::int as errors
    from route_decisions d cross join lateral jsonb_array_elements(d.attempts) with ordinality as a(value, position)
    where d.at >= ${options.since} and jsonb_typeof(d.attempts) = 'array'
    group by 1, 2, 3
  `.execute(db);
  const served = await sql<{
    model: string;
    category: string;
    at: Date;
    input_sum: number | null;
    output_sum: number | null;
    feedback_count: number;
    feedback_sum: number | null;
    judge_count: number;
    judge_sum: number | null;
  }>`
    with scores as (
      select request_id,
        avg(score) filter (where source <> 'judge') as user_score,
        avg(score) filter (where source = 'judge') as judge_score
      from feedback
      where created_at >= ${options.since}
      group by request_id
    )
    select d.served_model as model, d.category, date_trunc(${bucket}, d.at) as at,
      sum(d.prompt_tokens) as input_sum, sum(d.completion_tokens) as output_sum,
      count(s.user_score)::int as feedback_count, sum(s.user_score) as feedback_sum,
      count(s.judge_score)::int as judge_count, sum(s.judge_score) as judge_sum
    from route_decisions d left join scores s on s.request_id = d.request_id
    where d.at >= ${options.since} and d.served_model is not null
    group by 1, 2, 3
  `.execute(db);

  const rows = new Map<string, LiveEvidenceRow>();
  const keyOf = (model: string, category: string, at: Date) => `${model}\u0000${category}\u0000${new Date(at).getTime()}`;
  const get = (model: string, category: string, at: Date): LiveEvidenceRow => {
    const key = keyOf(model, category, at);
    let row = rows.get(key);
    if (!row) {
      row = { model, category, at: new Date(at), requests: 0, errors: 0, feedbackCount: 0, feedbackSum: 0, judgeCount: 0, judgeSum: 0, inputTokensSum: 0, outputTokensSum: 0 };
      rows.set(key, row);
    }
    return row;
  };
  for (const row of attempts.rows) {
    if (!row.model) continue;
    const target = get(row.model, row.category, row.at);
    target.requests += Number(row.requests);
    target.errors += Number(row.errors);
  }
  for (const row of served.rows) {
    const target = get(row.model, row.category, row.at);
    target.inputTokensSum += Number(row.input_sum ?? 0);
    target.outputTokensSum += Number(row.output_sum ?? 0);
    target.feedbackCount += Number(row.feedback_count);
    target.feedbackSum += Number(row.feedback_sum ?? 0);
    target.judgeCount += Number(row.judge_count);
    target.judgeSum += Number(row.judge_sum ?? 0);
  }
  return [...rows.values()].sort((left, right) => left.at.getTime() - right.at.getTime() || left.model.localeCompare(right.model));
}

/** A `ProbeStat` with every field filled. */
export type ProbeEvidenceRow = ProbeStat & { tokensPerSecondP50: number | null; errorRate: number };

/** Latency distributions from recent probes. */
export async function probeEvidence(db: Db, options: { since: Date }): Promise<ProbeEvidenceRow[]> {
  const stats = await probeLatencyStats(db, { since: options.since });
  return stats.map((stat) => ({
    model: stat.modelId,
    n: stat.samples,
    ttftP50Ms: stat.ttftP50Ms,
    ttftP95Ms: stat.ttftP95Ms,
    latencyP50Ms: stat.latencyP50Ms,
    latencyP95Ms: stat.latencyP95Ms,
    tokensPerSecondP50: stat.tokensPerSecondP50,
    errorRate: stat.errorRate,
  }));
}

/** The user-visible text of an item's input messages. */
function inputText(input: unknown): string {
  if (!Array.isArray(input)) return typeof input === 'string' ? input : '';
  return input
    .filter((message): message is { role: string; content: string } => typeof message === 'object' && message !== null && typeof (message as { content?: unknown }).content === 'string')
    .filter((message) => message.role !== 'assistant')
    .map((message) => message.content)
    .join('\n');
}

/**
 * Labelled texts for the category classifier: items of the newest version of every live
 * dataset, a bounded deterministic sample (ordered by content hash).
 */
export async function classifierTrainingItems(db: Db, options: { limit?: number } = {}): Promise<Array<{ text: string; category: string }>> {
  const rows = await sql<{ input: unknown; category: string }>`
    with newest as (
      select distinct on (v.dataset_id) v.id
      from dataset_versions v join datasets d on d.id = v.dataset_id
      where d.deleted_at is null
      order by v.dataset_id, v.created_at desc
    )
    select i.input, i.category
    from dataset_items i join newest n on n.id = i.version_id
    order by i.content_hash
    limit ${options.limit ?? 5_000}
  `.execute(db);
  return rows.rows.map((row) => ({ text: inputText(row.input), category: row.category })).filter((row) => row.text.length > 0);
}

/**
 * Graded (prompt, model, score) outcomes for the contextual policy: the newest graded
 * result per (item, model), with the item's text. Bounded.
 */
export async function contextualTrainingItems(
  db: Db,
  options: { limit?: number } = {},
): Promise<Array<{ category: string; model: string; score: number; text: string }>> {
  const rows = await sql<{ input: unknown; category: string; model: string; score: number }>`
    with latest as (
      select distinct on (r.dataset_version_id, r.model_id, r.item_id)
        r.dataset_version_id, r.item_id, r.model_id, r.category, r.score
      from eval_results r
      where r.score is not null
      order by r.dataset_version_id, r.model_id, r.item_id, r.created_at desc, r.id desc
    )
    select i.input, l.category, l.model_id as model, l.score
    from latest l join dataset_items i on i.version_id = l.dataset_version_id and i.item_id = l.item_id
    order by i.content_hash, l.model_id
    limit ${options.limit ?? 20_000}
  `.execute(db);
  return rows.rows.map((row) => ({ category: row.category, model: row.model, score: Number(row.score), text: inputText(row.input) }));
}
