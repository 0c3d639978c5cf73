/**
 * Thompson sampling over (route, category) arms with Beta posteriors.
 *
 * How it works: each eligible model is an arm whose quality is Beta(α_q, β_q) and whose
 * error rate is Beta(α_e, β_e) (see evidence.ts). One Monte Carlo draw samples a quality q
 * and an error rate e per arm and computes its utility w_q·(1 − e)·q − penalty (penalty =
 * the arm's normalized cost and latency, see objective.ts); the arm with the highest
 * sampled utility wins the draw. Over `samples` draws the share of wins estimates the
 * posterior probability that the arm is the best one — the probability with which Thompson
 * sampling would pick it, which becomes its routing weight. Draws come from a seeded PRNG,
 * so the weights are deterministic given the seed. Finally an exploration floor gives every
 * eligible arm at least `floor` of the traffic (weights renormalized to sum to 1), so a model
 * that looks bad today keeps being measured and can recover.
 */
import type { Random } from './random';

export interface Arm {
  qualityAlpha: number;
  qualityBeta: number;
  /** Error-rate posterior; omit for a model that never fails. */
  errorAlpha?: number;
  errorBeta?: number;
  /** Cost/latency part of the utility (quality units). */
  penalty: number;
}

/** Share of `samples` Monte Carlo draws in which each arm has the highest sampled utility. */
export function probabilityBest(arms: readonly Arm[], samples: number, random: Random, qualityWeight = 1): number[] {
  const wins = new Array<number>(arms.length).fill(0);
  if (arms.length === 0) return wins;
  if (arms.length === 1) return [1];
  for (let draw = 0; draw < samples; draw += 1) {
    let best = 0;
    let bestUtility = -Infinity;
    for (let index = 0; index < arms.length; index += 1) {
      const arm = arms[index] as Arm;
      let quality = random.beta(arm.qualityAlpha, arm.qualityBeta);
      if (arm.errorAlpha !== undefined && arm.errorBeta !== undefined) {
        quality *= 1 - random.beta(arm.errorAlpha, arm.errorBeta);
      }
      const value = qualityWeight * quality - arm.penalty;
      if (value > bestUtility) {
        bestUtility = value;
        best = index;
      }
    }
    wins[best] = (wins[best] as number) + 1;
  }
  return wins.map((count) => count / samples);
}

/**
 * Give every arm at least `floor` (when `floor · n < 1`; otherwise uniform), keeping the
 * rest proportional to `probabilities`. Output sums to 1.
 */
export function applyExplorationFloor(probabilities: readonly number[], floor: number): number[] {
  const count = probabilities.length;
  if (count === 0) return [];
  if (floor * count >= 1) return probabilities.map(() => 1 / count);
  const total = probabilities.reduce((sum, value) => sum + value, 0);
  const free = 1 - floor * count;
  return probabilities.map((value) => floor + free * (total > 0 ? value / total : 1 / count));
}

/** Routing weights for arms: probability of being best (Monte Carlo) with an exploration floor. */
export function thompsonWeights(
  arms: readonly Arm[],
  options: { samples: number; floor: number; random: Random; qualityWeight?: number },
): number[] {
  return applyExplorationFloor(probabilityBest(arms, options.samples, options.random, options.qualityWeight ?? 1), options.floor);
}
