/**
 * Paired comparison of two models on the same items. Scoring both models on one item set
 * removes the item-difficulty variance, so the interval of the mean per-item difference is
 * much tighter than comparing two independent means. The interval is a seeded bootstrap
 * over items; when it contains 0 the honest verdict is `tied`.
 */
import { bootstrapInterval, meanOf, type BootstrapOptions, type Interval } from './intervals';

export interface ItemScore {
  itemId: string;
  score: number | null;
}

export interface PairedComparison {
  /** Items scored for both models. */
  n: number;
  meanA: number | null;
  meanB: number | null;
  /** Mean of (A − B) over paired items. */
  difference: number | null;
  interval: Interval | null;
  /** `a` or `b` when the interval excludes 0 (beyond `margin`), else `tied`. */
  verdict: 'a' | 'b' | 'tied';
  /** Items where A scored higher, lower, equal. */
  wins: number;
  losses: number;
  ties: number;
}

export interface PairedOptions extends BootstrapOptions {
  /** Differences within ±margin count as no difference (default 0). */
  margin?: number;
}

export function pairedComparison(a: readonly ItemScore[], b: readonly ItemScore[], options: PairedOptions = {}): PairedComparison {
  const margin = options.margin ?? 0;
  const scoresB = new Map<string, number>();
  for (const row of b) if (row.score !== null && Number.isFinite(row.score)) scoresB.set(row.itemId, row.score);
  const pairedA: number[] = [];
  const pairedB: number[] = [];
  const seen = new Set<string>();
  for (const row of a) {
    const other = scoresB.get(row.itemId);
    if (row.score === null || !Number.isFinite(row.score) || other === undefined || seen.has(row.itemId)) continue;
    seen.add(row.itemId);
    pairedA.push(row.score);
    pairedB.push(other);
  }
  const differences = pairedA.map((score, index) => score - pairedB[index]!);
  const interval = bootstrapInterval(differences, options);
  let verdict: PairedComparison['verdict'] = 'tied';
  if (interval && differences.length > 1) {
    if (interval.low > margin) verdict = 'a';
    else if (interval.high < -margin) verdict = 'b';
  }
  return {
    n: differences.length,
    meanA: meanOf(pairedA),
    meanB: meanOf(pairedB),
    difference: meanOf(differences),
    interval,
    verdict,
    wins: differences.filter((difference) => difference > 0).length,
    losses: differences.filter((difference) => difference < 0).length,
    ties: differences.filter((difference) => difference === 0).length,
  };
}
