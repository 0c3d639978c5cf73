import { describe, expect, it } from 'vitest';
import { createRandom } from './random';
import { addBudgetedMix, applyExplorationFloor, applyExplorationFloors, plausibleFloors, probabilityBest, thompsonWeights, type Arm } from './thompson-sampling';

/** Play `horizon` rounds of Bernoulli arms, picking by Thompson sampling (one posterior draw per round). */
function play(probabilities: number[], horizon: number, seed: number) {
  const random = createRandom(seed);
  const successes = probabilities.map(() => 0);
  const failures = probabilities.map(() => 0);
  const best = Math.max(...probabilities);
  const regret: number[] = [];
  const pulls = probabilities.map(() => 0);
  let total = 0;
  for (let round = 0; round < horizon; round += 1) {
    const arms: Arm[] = probabilities.map((_, index) => ({
      qualityAlpha: 1 + (successes[index] as number),
      qualityBeta: 1 + (failures[index] as number),
      penalty: 0,
    }));
    const weights = probabilityBest(arms, 1, random);
    const chosen = weights.indexOf(1);
    pulls[chosen] = (pulls[chosen] as number) + 1;
    if (random.next() < (probabilities[chosen] as number)) successes[chosen] = (successes[chosen] as number) + 1;
    else failures[chosen] = (failures[chosen] as number) + 1;
    total += best - (probabilities[chosen] as number);
    regret.push(total);
  }
  return { regret, pulls };
}

describe('Thompson sampling', () => {
  it('finds the best Bernoulli arm with sublinear regret', () => {
    const arms = [0.3, 0.5, 0.55, 0.7, 0.45];
    const horizon = 4000;
    const { regret, pulls } = play(arms, horizon, 7);
    const at = (round: number) => regret[round - 1] as number;
    // Uniform play would lose (0.7 − mean) per round = 0.21 per round: 840 over the horizon.
    expect(at(horizon)).toBeLessThan(0.1 * 0.21 * horizon);
    // Sublinear: the second half adds much less regret than the first.
    expect(at(horizon) - at(horizon / 2)).toBeLessThan(0.5 * at(horizon / 2));
    expect(at(horizon) / horizon).toBeLessThan(at(horizon / 4) / (horizon / 4));
    expect(pulls.indexOf(Math.max(...pulls))).toBe(3);
  });

  it('weights are the posterior probability of being best, deterministic given the seed', () => {
    const arms: Arm[] = [
      { qualityAlpha: 90, qualityBeta: 10, penalty: 0 },
      { qualityAlpha: 50, qualityBeta: 50, penalty: 0 },
      { qualityAlpha: 80, qualityBeta: 20, penalty: 0 },
    ];
    const a = thompsonWeights(arms, { samples: 2000, floor: 0, random: createRandom(3) });
    const b = thompsonWeights(arms, { samples: 2000, floor: 0, random: createRandom(3) });
    expect(a).toEqual(b);
    expect(a[0]).toBeGreaterThan(0.9);
    expect(a[1]).toBeLessThan(0.001);
    expect(a.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1);
    // A penalty (cost) large enough flips the winner.
    const costly = thompsonWeights(
      arms.map((arm, index) => ({ ...arm, penalty: index === 0 ? 0.3 : 0 })),
      { samples: 2000, floor: 0, random: createRandom(3) },
    );
    expect(costly[2]).toBeGreaterThan(0.9);
  });

  it('an exploration floor keeps every arm alive and sums to 1', () => {
    const floored = applyExplorationFloor([1, 0, 0, 0], 0.05);
    expect(floored.every((value) => value >= 0.05)).toBe(true);
    expect(floored.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1);
    expect(floored[0]).toBeCloseTo(0.85);
    expect(applyExplorationFloor([1, 0], 0.6)).toEqual([0.5, 0.5]);
  });

  it('gives the full floor only to arms that could still be the best', () => {
    const arms: Arm[] = [
      // Best: quality ≈ 0.9 on 1000 observations.
      { qualityAlpha: 900, qualityBeta: 100, penalty: 0 },
      // Close and uncertain: plausible.
      { qualityAlpha: 17, qualityBeta: 3, penalty: 0 },
      // Clearly worse on plenty of evidence: implausible.
      { qualityAlpha: 600, qualityBeta: 400, penalty: 0 },
      // As good but so expensive that its utility is clearly lower: implausible.
      { qualityAlpha: 900, qualityBeta: 100, penalty: 0.5 },
    ];
    const floors = plausibleFloors(arms, 0.01, { z: 2, implausibleShare: 0.1 });
    expect(floors).toEqual([0.01, 0.01, 0.001, 0.001]);
    // A wider interval makes the uncertain-but-worse arm plausible again.
    const uncertain: Arm = { qualityAlpha: 6, qualityBeta: 4, penalty: 0 };
    expect(plausibleFloors([arms[0] as Arm, uncertain], 0.01, { z: 2, implausibleShare: 0 })).toEqual([0.01, 0.01]);
    expect(plausibleFloors([arms[0] as Arm, arms[2] as Arm], 0.01, { z: 2, implausibleShare: 0 })).toEqual([0.01, 0]);

    const weights = thompsonWeights(arms, { samples: 2000, floor: 0.01, random: createRandom(5), implausibleFloorShare: 0.1, plausibilityZ: 2 });
    expect(weights.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1);
    expect(weights[2]).toBeCloseTo(0.001, 6);
    expect(weights[3]).toBeCloseTo(0.001, 6);
    expect(weights[1]).toBeGreaterThanOrEqual(0.01);
    // Share 1 is the plain floor for every arm.
    const plain = thompsonWeights(arms, { samples: 2000, floor: 0.01, random: createRandom(5), implausibleFloorShare: 1 });
    expect(Math.min(...plain)).toBeGreaterThanOrEqual(0.01 - 1e-12);
  });

  it('per-arm floors sum to 1 and fall back to the floors when they exceed it', () => {
    const out = applyExplorationFloors([0.5, 0.5, 0], [0.1, 0, 0.2]);
    expect(out.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1);
    expect(out[2]).toBeCloseTo(0.2);
    expect(out[0]).toBeCloseTo(0.1 + 0.35);
    const over = applyExplorationFloors([1, 0], [0.9, 0.6]);
    expect(over[0]).toBeCloseTo(0.6);
    expect(over[1]).toBeCloseTo(0.4);
  });

  it('sharpening concentrates the weights on the likely best arm; the Thompson share keeps the rest explored', () => {
    const arms: Arm[] = [
      { qualityAlpha: 92, qualityBeta: 8, penalty: 0 },
      { qualityAlpha: 90, qualityBeta: 10, penalty: 0 },
      { qualityAlpha: 88, qualityBeta: 12, penalty: 0 },
    ];
    const options = { samples: 4000, floor: 0, random: createRandom(11) };
    const plain = thompsonWeights(arms, options);
    const sharp = thompsonWeights(arms, { ...options, random: createRandom(11), sharpening: 8 });
    const mixed = thompsonWeights(arms, { ...options, random: createRandom(11), sharpening: 8, thompsonShare: 0.2 });
    // Same ranking, more mass on the best arm.
    expect(sharp[0]).toBeGreaterThan((plain[0] as number) + 0.1);
    expect(sharp[2]).toBeLessThan(plain[2] as number);
    // Mixing gives each arm at least its share of the plain Thompson weight (up to Monte Carlo noise).
    for (const [index, value] of mixed.entries()) expect(value).toBeGreaterThan(0.2 * (plain[index] as number) - 0.02);
    expect(mixed[2]).toBeGreaterThan(sharp[2] as number);
    for (const weights of [plain, sharp, mixed]) expect(weights.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1);
  });

  it('sharpened Thompson sampling still finds the best Bernoulli arm', () => {
    const probabilities = [0.5, 0.66, 0.6, 0.55];
    const random = createRandom(21);
    const successes = probabilities.map(() => 1);
    const failures = probabilities.map(() => 1);
    const pulls = probabilities.map(() => 0);
    // Batches of 20 plays per published policy, as the optimizer republishes periodically.
    for (let batch = 0; batch < 150; batch += 1) {
      const arms: Arm[] = probabilities.map((_, index) => ({ qualityAlpha: successes[index] as number, qualityBeta: failures[index] as number, penalty: 0 }));
      const weights = thompsonWeights(arms, { samples: 500, floor: 0.01, random, sharpening: 8, thompsonShare: 0.1, implausibleFloorShare: 0.1 });
      for (let play = 0; play < 20; play += 1) {
        let u = random.next();
        let chosen = weights.length - 1;
        for (const [index, weight] of weights.entries()) {
          u -= weight;
          if (u < 0) {
            chosen = index;
            break;
          }
        }
        pulls[chosen] = (pulls[chosen] as number) + 1;
        if (random.next() < (probabilities[chosen] as number)) successes[chosen] = (successes[chosen] as number) + 1;
        else failures[chosen] = (failures[chosen] as number) + 1;
      }
    }
    expect(pulls.indexOf(Math.max(...pulls))).toBe(1);
    // The clearly worst arm gets little traffic.
    expect(pulls[0]).toBeLessThan(0.1 * 3000);
  });
});

describe('Thompson sampling with a cost budget', () => {
  it('a draw is won by the best affordable mix: the best arm alone when it fits, else two arms that spend the budget', () => {
    // Utilities (quality) and costs per request: cheap 0.90 @ 1, mid 0.94 @ 2, strong 0.96 @ 6, pricey-but-worse 0.92 @ 9.
    const values = [0.9, 0.94, 0.96, 0.92];
    const costs = [1, 2, 6, 9];
    const fits = [0, 0, 0, 0];
    addBudgetedMix(values, costs, 7, fits);
    expect(fits).toEqual([0, 0, 1, 0]);
    const mixed = [0, 0, 0, 0];
    addBudgetedMix(values, costs, 4, mixed);
    // mid + strong on the upper hull: (4 − 2) / (6 − 2) = half each, spending exactly 4.
    expect(mixed[1]).toBeCloseTo(0.5);
    expect(mixed[2]).toBeCloseTo(0.5);
    expect(mixed[0]).toBe(0);
    expect(mixed[3]).toBe(0);
    const none = [0, 0, 0, 0];
    addBudgetedMix(values, costs, 0.5, none);
    expect(none).toEqual([1, 0, 0, 0]);
  });

  it('weights of well-measured arms spend the budget on the best mix, and move with it', () => {
    const arm = (quality: number, costUsd: number): Arm => ({ qualityAlpha: quality * 4000, qualityBeta: (1 - quality) * 4000, penalty: 0, costUsd });
    const arms = [arm(0.945, 0.0001), arm(0.96, 0.0006), arm(0.955, 0.0012), arm(0.9, 0.00002)];
    const expectedCost = (weights: number[]) => weights.reduce((sum, weight, index) => sum + weight * (arms[index]!.costUsd as number), 0);
    const expectedQuality = (weights: number[]) => weights.reduce((sum, weight, index) => sum + weight * (arms[index]!.qualityAlpha / 4000), 0);
    for (const budget of [0.0002, 0.00035, 0.0005]) {
      const weights = thompsonWeights(arms, { samples: 2000, floor: 0.001, random: createRandom(3), sharpening: 8, thompsonShare: 0.1, implausibleFloorShare: 0.1, budgetPerRequestUsd: budget });
      expect(expectedCost(weights)).toBeLessThan(budget * 1.03);
      expect(expectedCost(weights)).toBeGreaterThan(budget * 0.9);
      // Almost all traffic on the two arms of the hull around the budget.
      expect((weights[0] as number) + (weights[1] as number)).toBeGreaterThan(0.97);
      // Better than any single arm within the budget (0.945), short of the best (0.96).
      expect(expectedQuality(weights)).toBeGreaterThan(0.945);
      expect(expectedQuality(weights)).toBeLessThan(0.96);
    }
    const roomy = thompsonWeights(arms, { samples: 2000, floor: 0.001, random: createRandom(3), budgetPerRequestUsd: 0.01 });
    // A budget above the best arm's cost changes nothing: the best arm leads as without one.
    expect(roomy[1]).toBe(Math.max(...roomy));
    expect(roomy[1]).toBeGreaterThan(0.8);
  });
});

