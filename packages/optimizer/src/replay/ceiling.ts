/**
 * How much the prompt text can tell: the contextual model given full information.
 *
 * How it works: the online prompts are split into `folds` parts. For each part, the product's
 * own contextual model (`trainContextual`, the same features and fit the optimizer uses) is
 * fitted on every model's outcome on every other prompt — the warm start and the other parts —
 * which is far more than an online policy ever sees (one model's outcome per prompt), and it
 * predicts every model's success on the held-out part. For each λ_cost each prompt then goes
 * to the model with the best predicted quality − λ·(its mean cost on the training prompts) /
 * (the priciest model's), and the point's quality and cost are what those models recorded.
 *
 * The result is a practical ceiling, not a theorem: an online policy learning from bandit
 * feedback has less to learn from, so where this ceiling sits under frontier mixing, the gap to
 * it is the data's (the text barely predicts who succeeds), not the learner's. The held-out
 * log-loss beside that of each model's mean says the same in one number.
 */
import { predictedQualities } from '@switchyard/policy';
import { contextualPolicyFromFit, trainContextual, type ContextualObservation } from '../contextual-training';
import { createRandom } from '../random';
import { bestUtilityIndex } from './metrics';
import type { PreparedBench } from './simulate';

export interface CeilingPoint {
  lambda: number;
  quality: number;
  cost_per_1k: number;
}

export interface ContextualCeiling {
  folds: number;
  /** Per λ, the expected quality and cost over the online prompts (each held out once). */
  sweep: CeilingPoint[];
  /** Mean held-out log-loss of the contextual model's predictions over every (prompt, model). */
  log_loss: number;
  /** The same with each model's mean score on the training prompts as the prediction. */
  mean_only_log_loss: number;
}

const clampProbability = (p: number): number => Math.min(1 - 1e-6, Math.max(1e-6, p));

/** Cross-fitted full-information ceiling of the contextual model on `bench`'s online prompts. */
export function contextualCeiling(bench: PreparedBench, lambdas: readonly number[], options: { folds?: number; seed: number }): ContextualCeiling {
  const folds = options.folds ?? 5;
  const count = bench.names.length;
  const total = bench.prompts.length;
  const online = total - bench.warmCount;
  if (online < folds) throw new RangeError(`a ${folds}-fold ceiling needs at least ${folds} online prompts`);
  const predicted = new Float64Array(online * count);
  /** Per fold, each model's mean cost on that fold's training prompts, and the priciest of them. */
  const meanCosts: Float64Array[] = [];
  const priciest: number[] = [];
  let logLoss = 0;
  let meanOnlyLogLoss = 0;
  const foldOf = (t: number): number => t % folds;
  for (let fold = 0; fold < folds; fold += 1) {
    const observations: ContextualObservation[] = [];
    const sums = new Float64Array(count);
    const costs = new Float64Array(count);
    let trainingPrompts = 0;
    for (let p = 0; p < total; p += 1) {
      if (p >= bench.warmCount && foldOf(p - bench.warmCount) === fold) continue;
      trainingPrompts += 1;
      for (let m = 0; m < count; m += 1) {
        const score = bench.score[p * count + m] as number;
        observations.push({ features: bench.features[p]!, model: bench.names[m] as string, score });
        sums[m] = (sums[m] as number) + score;
        costs[m] = (costs[m] as number) + (bench.cost[p * count + m] as number);
      }
    }
    const fit = trainContextual(observations, bench.names, bench.spec, { random: createRandom(`${options.seed}:ceiling:${fold}`) });
    // Evaluated as the router evaluates a published policy (no penalties: λ is applied below).
    const contextual = contextualPolicyFromFit(fit, new Map(), 1, new Set(bench.names));
    const foldCosts = costs.map((cost) => cost / trainingPrompts);
    meanCosts.push(foldCosts);
    priciest.push(Math.max(...foldCosts));
    for (let t = fold; t < online; t += folds) {
      const p = bench.warmCount + t;
      const row = predictedQualities(contextual, bench.features[p]!);
      for (let m = 0; m < count; m += 1) {
        const score = bench.score[p * count + m] as number;
        const p1 = clampProbability(row[m] as number);
        const p0 = clampProbability(((sums[m] as number) + 1) / (trainingPrompts + 2));
        predicted[t * count + m] = row[m] as number;
        logLoss -= score * Math.log(p1) + (1 - score) * Math.log(1 - p1);
        meanOnlyLogLoss -= score * Math.log(p0) + (1 - score) * Math.log(1 - p0);
      }
    }
  }
  const sweep = lambdas.map((lambda) => {
    let quality = 0;
    let cost = 0;
    for (let t = 0; t < online; t += 1) {
      const fold = foldOf(t);
      const best = bestUtilityIndex(predicted.subarray(t * count, (t + 1) * count), meanCosts[fold] as Float64Array, lambda, priciest[fold] as number);
      const cell = (bench.warmCount + t) * count + best;
      quality += bench.score[cell] as number;
      cost += bench.cost[cell] as number;
    }
    return { lambda, quality: quality / online, cost_per_1k: (cost / online) * 1000 };
  });
  const cells = online * count;
  return { folds, sweep, log_loss: logLoss / cells, mean_only_log_loss: meanOnlyLogLoss / cells };
}
