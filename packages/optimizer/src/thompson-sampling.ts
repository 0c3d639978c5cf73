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
 * so the weights are deterministic given the seed.
 *
 * Sharpening: with many arms and a short horizon, plain probability matching keeps spreading
 * traffic over arms that cannot be told apart within the horizon, most of them slightly
 * worse than the best (the "many-armed" regime, where greedier rules have lower regret). So
 * the routing weight is `(1 − t)·P_k(best) + t·P_1(best)`: P_k uses posteriors with the same
 * mean and k times the evidence (Beta(k·α, k·β)), which concentrates traffic on the arms that
 * are most probably best, and the plain Thompson share `t` keeps exploring every arm in
 * proportion to its real posterior probability of being best, so an arm that was unlucky
 * early is not starved. k = 1 is plain Thompson sampling.
 *
 * Finally an exploration floor gives arms at least `floor` of the traffic (weights
 * renormalized to sum to 1), so a model that looks bad today keeps being measured and can
 * recover. The floor is gated by plausibility: an arm is plausible when its optimistic
 * utility (posterior mean + z·sd, normal approximation) reaches the highest pessimistic
 * utility (mean − z·sd) among the arms. Plausible arms get the full floor, the others
 * `implausibleFloorShare` of it: measuring a model that is clearly worse (often also
 * expensive) buys no information that could change the routing, and as its evidence decays
 * its interval widens again, so it becomes plausible and is re-measured.
 *
 * Budget: with an average cost budget per request (a route's `budgetPer1kUsd`), a draw is not
 * won by one arm but by the best mix the budget allows — the linear program "maximize the
 * mix's sampled utility subject to its expected cost ≤ budget", whose optimum is the best
 * affordable arm alone or two arms, one under and one over the budget, mixed to spend it
 * exactly. The weights are the draws' mixes averaged: Thompson sampling for a budgeted bandit.
 * Without it, a utility with λ_cost picks one model per draw, so the policy lands on single
 * models and a budget between two of them is met only by accident.
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
  /** Expected cost per request (USD); needed with a budget. */
  costUsd?: number;
}

/**
 * The budgeted winner of one draw: adds the best mix under `budget` of the arms' sampled
 * `values` (shares summing to 1) to `wins`. With no affordable arm, the cheapest one wins.
 */
export function addBudgetedMix(values: ArrayLike<number>, costs: ArrayLike<number>, budget: number, wins: number[]): void {
  const count = values.length;
  let best = 0;
  for (let index = 1; index < count; index += 1) if ((values[index] as number) > (values[best] as number)) best = index;
  if ((costs[best] as number) <= budget) {
    wins[best] = (wins[best] as number) + 1;
    return;
  }
  let low = -1;
  let high = -1;
  let share = 0;
  let bestValue = -Infinity;
  for (let under = 0; under < count; under += 1) {
    const costUnder = costs[under] as number;
    if (costUnder > budget) continue;
    const valueUnder = values[under] as number;
    if (valueUnder > bestValue) {
      bestValue = valueUnder;
      low = under;
      high = -1;
      share = 0;
    }
    for (let over = 0; over < count; over += 1) {
      const costOver = costs[over] as number;
      const valueOver = values[over] as number;
      if (costOver <= budget || valueOver <= valueUnder) continue;
      const theta = (budget - costUnder) / (costOver - costUnder);
      const value = valueUnder + theta * (valueOver - valueUnder);
      if (value > bestValue) {
        bestValue = value;
        low = under;
        high = over;
        share = theta;
      }
    }
  }
  if (low < 0) {
    let cheapest = 0;
    for (let index = 1; index < count; index += 1) if ((costs[index] as number) < (costs[cheapest] as number)) cheapest = index;
    wins[cheapest] = (wins[cheapest] as number) + 1;
    return;
  }
  wins[low] = (wins[low] as number) + 1 - share;
  if (high >= 0) wins[high] = (wins[high] as number) + share;
}

/**
 * Share of `samples` Monte Carlo draws in which each arm has the highest sampled utility (with
 * a budget per request: each arm's average share of the draws' best affordable mixes).
 */
export function probabilityBest(arms: readonly Arm[], samples: number, random: Random, qualityWeight = 1, budgetPerRequestUsd?: number): number[] {
  const wins = new Array<number>(arms.length).fill(0);
  if (arms.length === 0) return wins;
  if (arms.length === 1) return [1];
  // Without a budget every arm is affordable, so the draw's winner is simply its best arm.
  const budget = budgetPerRequestUsd ?? Infinity;
  const costs = arms.map((arm) => arm.costUsd ?? 0);
  const values = new Float64Array(arms.length);
  for (let draw = 0; draw < samples; draw += 1) {
    for (let index = 0; index < arms.length; index += 1) {
      const arm = arms[index] as Arm;
      let quality = random.beta(arm.qualityAlpha, arm.qualityBeta);
      if (arm.errorAlpha !== undefined && arm.errorBeta !== undefined) quality *= 1 - random.beta(arm.errorAlpha, arm.errorBeta);
      values[index] = qualityWeight * quality - arm.penalty;
    }
    addBudgetedMix(values, costs, budget, wins);
  }
  return wins.map((count) => count / samples);
}

/**
 * Give every arm at least `floor` (when `floor · n < 1`; otherwise uniform), keeping the
 * rest proportional to `probabilities`. Output sums to 1.
 */
export function applyExplorationFloor(probabilities: readonly number[], floor: number): number[] {
  return applyExplorationFloors(probabilities, probabilities.map(() => floor));
}

/**
 * Per-arm floors: `floor` for arms whose utility interval reaches the best arm's (mean ± z·sd,
 * normal approximation of the Beta posteriors), `floor · implausibleShare` for the others.
 */
export function plausibleFloors(arms: readonly Arm[], floor: number, options: { z: number; implausibleShare: number; qualityWeight?: number }): number[] {
  const qualityWeight = options.qualityWeight ?? 1;
  const moments = arms.map((arm) => {
    const a = arm.qualityAlpha;
    const b = arm.qualityBeta;
    const quality = a / (a + b);
    const qualityVariance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    let mean = quality;
    let variance = qualityVariance;
    if (arm.errorAlpha !== undefined && arm.errorBeta !== undefined) {
      const c = arm.errorAlpha;
      const d = arm.errorBeta;
      const reliability = d / (c + d);
      const reliabilityVariance = (c * d) / ((c + d) ** 2 * (c + d + 1));
      mean = quality * reliability;
      variance = qualityVariance * reliability ** 2 + reliabilityVariance * quality ** 2;
    }
    const spread = options.z * qualityWeight * Math.sqrt(variance);
    const utility = qualityWeight * mean - arm.penalty;
    return { low: utility - spread, high: utility + spread };
  });
  const bestLow = Math.max(...moments.map((moment) => moment.low));
  return moments.map((moment) => (moment.high >= bestLow ? floor : floor * options.implausibleShare));
}

/**
 * Give arm i at least `floors[i]` (when the floors sum below 1; otherwise proportional to
 * the floors), keeping the rest proportional to `probabilities`. Output sums to 1.
 */
export function applyExplorationFloors(probabilities: readonly number[], floors: readonly number[]): number[] {
  const count = probabilities.length;
  if (count === 0) return [];
  const floorTotal = floors.reduce((sum, value) => sum + value, 0);
  if (floorTotal >= 1) return floors.map((value) => value / floorTotal);
  const total = probabilities.reduce((sum, value) => sum + value, 0);
  const free = 1 - floorTotal;
  return probabilities.map((value, index) => (floors[index] as number) + free * (total > 0 ? value / total : 1 / count));
}

export interface ThompsonOptions {
  samples: number;
  /** Exploration floor of a plausible arm. */
  floor: number;
  random: Random;
  qualityWeight?: number;
  /** Share of `floor` an implausible arm keeps (1 = every arm gets the full floor). Default 1. */
  implausibleFloorShare?: number;
  /** Width of the plausibility interval in posterior standard deviations. Default 2. */
  plausibilityZ?: number;
  /** k: the concentrated part draws from Beta(k·α, k·β) (same mean, k times the evidence). Default 1. */
  sharpening?: number;
  /** t: share of the weight from plain Thompson sampling when k ≠ 1. Default 0. */
  thompsonShare?: number;
  /** Average cost budget per request (USD); arms then need `costUsd`. */
  budgetPerRequestUsd?: number;
}

function sharpened(arm: Arm, factor: number): Arm {
  if (factor === 1) return arm;
  return {
    ...arm,
    qualityAlpha: arm.qualityAlpha * factor,
    qualityBeta: arm.qualityBeta * factor,
    ...(arm.errorAlpha !== undefined && arm.errorBeta !== undefined ? { errorAlpha: arm.errorAlpha * factor, errorBeta: arm.errorBeta * factor } : {}),
  };
}

/**
 * Routing weights for arms: probability of being best (Monte Carlo; sharpened and mixed with
 * plain Thompson sampling when `sharpening` ≠ 1) with a plausibility-gated exploration floor.
 */
export function thompsonWeights(arms: readonly Arm[], options: ThompsonOptions): number[] {
  const factor = options.sharpening ?? 1;
  const budget = options.budgetPerRequestUsd;
  let probabilities = probabilityBest(arms.map((arm) => sharpened(arm, factor)), options.samples, options.random, options.qualityWeight ?? 1, budget);
  const mix = options.thompsonShare ?? 0;
  if (factor !== 1 && mix > 0) {
    const plain = probabilityBest(arms, options.samples, options.random, options.qualityWeight ?? 1, budget);
    probabilities = probabilities.map((value, index) => (1 - mix) * value + mix * (plain[index] as number));
  }
  const share = options.implausibleFloorShare ?? 1;
  if (share >= 1) return applyExplorationFloor(probabilities, options.floor);
  const floors = plausibleFloors(arms, options.floor, {
    z: options.plausibilityZ ?? 2,
    implausibleShare: Math.max(0, share),
    qualityWeight: options.qualityWeight ?? 1,
  });
  return applyExplorationFloors(probabilities, floors);
}
