import { describe, expect, it } from 'vitest';
import { createRandom } from './random';
import { applyExplorationFloor, probabilityBest, thompsonWeights, type Arm } from './thompson-sampling';

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
});
