/**
 * The evidence the optimizer learns from, as the database aggregates it: offline eval results,
 * live outcomes in time buckets, and latency probe distributions. Produced by @switchyard/db,
 * consumed by @switchyard/optimizer.
 */

/** Offline eval result for one (model, category): one row of `GROUP BY model, category`. */
export interface EvalStat {
  model: string;
  category: string;
  /** Items graded. */
  n: number;
  /** Mean score in [0, 1]. */
  meanScore: number;
  meanInputTokens?: number | null;
  meanOutputTokens?: number | null;
  /** Where it came from, e.g. `eval:gsm8k_test` (shown in the policy's evidence sources). */
  source?: string;
}

/**
 * Live outcomes of one (model, category) in one time bucket, e.g. one row of
 * `GROUP BY model, category, date_trunc('hour', created_at)`. Sums, not means, so buckets
 * add up; the optimizer applies the decay from `at`.
 */
export interface LiveStat {
  model: string;
  category: string;
  /** Time of the bucket (its start or middle); age = now − at. */
  at: Date | string | number;
  requests: number;
  /** Errors and timeouts among `requests`. */
  errors: number;
  /** Explicit `/v1/feedback` scores in [0, 1]: how many and their sum. */
  feedbackCount?: number;
  feedbackSum?: number;
  /** LLM-judge grades in [0, 1]: how many and their sum. */
  judgeCount?: number;
  judgeSum?: number;
  inputTokensSum?: number;
  outputTokensSum?: number;
}

/** Latency probe distribution of one model (recent window). */
export interface ProbeStat {
  model: string;
  n: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  tokensPerSecondP50?: number | null;
  /** Share of probes that failed, in [0, 1]. */
  errorRate?: number | null;
}
