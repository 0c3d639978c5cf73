/**
 * How large an AIQ difference the choice of prompts alone could make.
 *
 * How it works: a paired bootstrap over the online prompts. Each resample draws as many online
 * prompts as there are, with replacement, and re-averages every point on those same prompts:
 * each λ run of the policy (its per-prompt expectation, with what it learned held as it
 * happened) and each single model. AIQ(policy) − AIQ(frontier mixing) is recomputed on the
 * report's cost range, anchored at the same cheapest model, and the 2.5 % and 97.5 % quantiles of
 * the resampled differences are the interval. It measures the evaluation's noise only: another
 * shuffle would also change what the policy learns, which is what running several seeds shows.
 */
import { quantileSorted, standardDeviation } from 'simple-statistics';
import { createRandom } from '../random';
import { aiq, type CostQuality } from './metrics';

/** A point's expectation per online prompt: quality, and cost in USD. */
export interface PerPromptPoint {
  quality: Float64Array;
  cost: Float64Array;
}

export interface AiqDifferenceInterval {
  resamples: number;
  sd: number;
  ci95: [number, number];
}

export function bootstrapAiqDifference(
  policy: readonly PerPromptPoint[],
  singles: readonly PerPromptPoint[],
  options: { anchor: number; minCostPer1k: number; maxCostPer1k: number; resamples: number; seed: number },
): AiqDifferenceInterval {
  const online = singles[0]?.quality.length ?? 0;
  if (online === 0 || policy.length === 0) throw new RangeError('the bootstrap needs online prompts and a policy sweep');
  const random = createRandom(`${options.seed}:bootstrap`);
  const picks = new Int32Array(online);
  const mean = (point: PerPromptPoint): CostQuality => {
    let quality = 0;
    let cost = 0;
    for (const p of picks) {
      quality += point.quality[p] as number;
      cost += point.cost[p] as number;
    }
    return { cost: (cost / online) * 1000, quality: quality / online };
  };
  const differences: number[] = [];
  for (let resample = 0; resample < options.resamples; resample += 1) {
    for (let index = 0; index < online; index += 1) picks[index] = random.integer(online);
    const singlePoints = singles.map(mean);
    const anchor = singlePoints[options.anchor] as CostQuality;
    const of = (points: CostQuality[]) => aiq([anchor, ...points], options.maxCostPer1k, options.minCostPer1k);
    differences.push(of(policy.map(mean)) - of(singlePoints));
  }
  differences.sort((a, b) => a - b);
  return {
    resamples: options.resamples,
    sd: standardDeviation(differences),
    ci95: [quantileSorted(differences, 0.025), quantileSorted(differences, 0.975)],
  };
}
