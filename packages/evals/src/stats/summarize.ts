import { quantileSorted } from 'simple-statistics';
import { meanOf, scoreInterval, type BootstrapOptions, type Interval } from './intervals';

/** One graded (or failed) call, as the jobs store it in eval_results. */
export interface ScoredResult {
  modelId: string;
  /** Dataset (or dataset version) the item belongs to. */
  datasetId: string;
  category: string;
  itemId?: string;
  /** Null when the call failed; failures are counted, not scored. */
  score: number | null;
  costUsd?: number | null;
  latencyMs?: number | null;
  ttftMs?: number | null;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

export interface GroupSummary {
  modelId: string;
  datasetId: string;
  /** Null for the row over all categories of the dataset. */
  category: string | null;
  /** Scored items. */
  n: number;
  /** Failed calls (score null). */
  errors: number;
  mean: number | null;
  interval: Interval | null;
  totalCostUsd: number;
  /** Spend per attempted item, failures included. */
  costPerItemUsd: number | null;
  latencyMs: Percentiles | null;
  ttftMs: Percentiles | null;
}

export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  return {
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
  };
}

const finite = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

function summarizeGroup(key: { modelId: string; datasetId: string; category: string | null }, rows: ScoredResult[], options: BootstrapOptions): GroupSummary {
  const scores = rows.map((row) => row.score).filter(finite);
  const totalCostUsd = rows.reduce((sum, row) => sum + (finite(row.costUsd) ? row.costUsd : 0), 0);
  return {
    ...key,
    n: scores.length,
    errors: rows.length - scores.length,
    mean: meanOf(scores),
    interval: scoreInterval(scores, options),
    totalCostUsd,
    costPerItemUsd: rows.length === 0 ? null : totalCostUsd / rows.length,
    latencyMs: percentiles(rows.map((row) => row.latencyMs).filter(finite)),
    ttftMs: percentiles(rows.map((row) => row.ttftMs).filter(finite)),
  };
}

/**
 * Per (model, dataset, category) statistics, plus one row per (model, dataset) over all
 * categories (`category: null`). Sorted by model, dataset, then category (overall first).
 * Deterministic: the bootstrap is seeded.
 */
export function summarize(results: readonly ScoredResult[], options: BootstrapOptions = {}): GroupSummary[] {
  const groups = new Map<string, { key: { modelId: string; datasetId: string; category: string | null }; rows: ScoredResult[] }>();
  const add = (modelId: string, datasetId: string, category: string | null, row: ScoredResult) => {
    const id = JSON.stringify([modelId, datasetId, category]);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { key: { modelId, datasetId, category }, rows: [] }));
    group.rows.push(row);
  };
  for (const row of results) {
    add(row.modelId, row.datasetId, row.category, row);
    add(row.modelId, row.datasetId, null, row);
  }
  const compare = (left: string | null, right: string | null) => (left === right ? 0 : left === null ? -1 : right === null ? 1 : left < right ? -1 : 1);
  return [...groups.values()]
    .map((group) => summarizeGroup(group.key, group.rows, options))
    .sort((left, right) => compare(left.modelId, right.modelId) || compare(left.datasetId, right.datasetId) || compare(left.category, right.category));
}
