/**
 * Leaderboard ranking, shared by the API (server-side ranks) and the dashboard (ranks of a
 * dataset or category filter): no imports, safe in the browser.
 */

/**
 * Wilson score interval for a mean of scores in [0, 1] over `n` samples (z = 1.96).
 * Fractional scores are treated as a proportion, which is what the leaderboard shows.
 */
export function wilsonInterval(mean: number, n: number, z = 1.96): [number, number] {
  if (n <= 0) return [0, 1];
  const p = Math.min(1, Math.max(0, mean));
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** What `rankWithTies` reads of a row: its id and its pooled quality (mean and interval, null without data). */
export interface RankableRow {
  model: string;
  quality: { mean: number | null; interval: [number, number] | null };
}

/** A row with its place on the leaderboard. */
export type RankedRow<T> = T & {
  /** 1 + the number of models whose interval lies entirely above this one's; null without data. */
  rank: number | null;
  /** Its interval overlaps at least one other ranked model's: the data cannot order them. */
  tied: boolean;
};

/**
 * Rank with ties. How it works:
 * - a model's rank is 1 + the number of models whose interval lies entirely above its own
 *   (their lower bound exceeds its upper bound), i.e. the models it is clearly behind;
 * - it is `tied` (shown "=3") when its interval overlaps another ranked model's, because the
 *   data cannot order the two. Models sharing a rank always overlap (two disjoint intervals
 *   get different ranks), so a shared rank is always a tie. Overlap is not transitive, so a
 *   tied model can also be alone at its rank: with A = [0.80, 0.90], B = [0.70, 0.85] and
 *   C = [0.60, 0.75], A and B are "=1" and C is "=2" (it overlaps B but lies entirely below A);
 * - rows are returned by rank, then mean quality (highest first), then model id; models
 *   without data come last with no rank. Ranks increase down the list; a wide interval (few
 *   samples) can rank a lower mean ahead of a higher one that is clearly behind someone.
 */
export function rankWithTies<T extends RankableRow>(rows: T[]): Array<RankedRow<T>> {
  const ranked = rows.filter((row) => row.quality.interval !== null);
  const above = (upper: [number, number], lower: [number, number]) => upper[0] > lower[1];
  const overlaps = (left: [number, number], right: [number, number]) => !above(left, right) && !above(right, left);
  const withRanks = rows.map((row) => {
    const own = row.quality.interval;
    const rank = own === null ? null : 1 + ranked.filter((other) => above(other.quality.interval!, own)).length;
    return { ...row, rank, tied: false };
  });
  withRanks.sort(
    (a, b) =>
      (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
      (b.quality.mean ?? -Infinity) - (a.quality.mean ?? -Infinity) ||
      a.model.localeCompare(b.model),
  );
  for (const row of withRanks) {
    const own = row.quality.interval;
    row.tied = own !== null && withRanks.some((other) => other !== row && other.quality.interval !== null && overlaps(own, other.quality.interval));
  }
  return withRanks;
}
