/**
 * Confidence intervals for eval scores. 0/1 scores get the Wilson score interval, which
 * stays inside [0, 1] and behaves at small n and near 0 or 1 (unlike the normal
 * approximation). Continuous scores get a percentile bootstrap of the mean, driven by a
 * seeded generator so the same results always give the same interval.
 */
import { mean, probit, quantileSorted } from 'simple-statistics';
import { seededRandom } from '@switchyard/core';

export interface Interval {
  low: number;
  high: number;
  method: 'wilson' | 'bootstrap';
  confidence: number;
}

const zFor = (confidence: number) => probit(1 - (1 - confidence) / 2);

/** Wilson score interval for `successes` out of `n`. With n = 0 it is the whole [0, 1]. */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  if (n <= 0) return { low: 0, high: 1, method: 'wilson', confidence };
  const z = zFor(confidence);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half), method: 'wilson', confidence };
}

/** The bootstrap's seeded generator (core's mulberry32). */

export interface BootstrapOptions {
  confidence?: number;
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** Seed of the resampling generator (default 1): same data and seed, same interval. */
  seed?: number;
}

/** Percentile bootstrap interval of the mean; null for no values. */
export function bootstrapInterval(values: readonly number[], options: BootstrapOptions = {}): Interval | null {
  const confidence = options.confidence ?? 0.95;
  if (values.length === 0) return null;
  if (values.length === 1) return { low: values[0]!, high: values[0]!, method: 'bootstrap', confidence };
  const resamples = options.resamples ?? 2000;
  const random = seededRandom(options.seed ?? 1);
  const n = values.length;
  const means = new Float64Array(resamples);
  for (let round = 0; round < resamples; round += 1) {
    let total = 0;
    for (let draw = 0; draw < n; draw += 1) total += values[Math.floor(random() * n)]!;
    means[round] = total / n;
  }
  means.sort();
  const sorted = Array.from(means);
  const alpha = (1 - confidence) / 2;
  return { low: quantileSorted(sorted, alpha), high: quantileSorted(sorted, 1 - alpha), method: 'bootstrap', confidence };
}

export const isBinary = (values: readonly number[]) => values.every((value) => value === 0 || value === 1);

/** Wilson for 0/1 scores, bootstrap otherwise. */
export function scoreInterval(values: readonly number[], options: BootstrapOptions = {}): Interval | null {
  if (values.length === 0) return null;
  if (isBinary(values)) return wilsonInterval(values.filter((value) => value === 1).length, values.length, options.confidence);
  return bootstrapInterval(values, options);
}

export const meanOf = (values: readonly number[]) => (values.length === 0 ? null : mean(values as number[]));
