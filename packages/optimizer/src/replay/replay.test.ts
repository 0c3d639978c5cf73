import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import { aiq, cheapestReaching, hullValue, nonDecreasingHull } from './metrics';
import { parseReplayLines, type ReplayLine, type ReplayModel } from './data';
import { runReplayBenchmark } from './report';

describe('AIQ', () => {
  it('keeps the non-decreasing upper convex hull and averages it over the cost range', () => {
    const points = [
      { cost: 1, quality: 0.5 },
      { cost: 2, quality: 0.55 }, // under the segment (1, 0.5)–(3, 0.9): dropped
      { cost: 3, quality: 0.9 },
      { cost: 4, quality: 0.8 }, // dominated: dropped
    ];
    expect(nonDecreasingHull(points)).toEqual([
      { cost: 1, quality: 0.5 },
      { cost: 3, quality: 0.9 },
    ]);
    expect(hullValue(nonDecreasingHull(points), 2)).toBeCloseTo(0.7);
    expect(hullValue(nonDecreasingHull(points), 0.5)).toBe(0);
    // Area: 0 on [0,1), trapezoid (0.5+0.9)/2·2 on [1,3], flat 0.9 on [3,4] → (1.4 + 0.9) / 4.
    expect(aiq(points, 4)).toBeCloseTo(2.3 / 4);
    // RouterBench's range [minCost, maxCost]: (1.4 + 0.9) / 3.
    expect(aiq(points, 4, 1)).toBeCloseTo(2.3 / 3);
    expect(aiq(points, 2, 1)).toBeCloseTo((0.5 + 0.7) / 2);
    expect(cheapestReaching(points, 0.85)).toEqual({ cost: 3, quality: 0.9 });
    expect(cheapestReaching(points, 0.95)).toBeNull();
  });
});

/** A synthetic bench: easy prompts (short) every model solves; hard ones (long) only the strong model does. */
function syntheticBench(count: number): { lines: ReplayLine[]; models: ReplayModel[] } {
  const random = createRandom(11);
  const lines: ReplayLine[] = [];
  for (let index = 0; index < count; index += 1) {
    const hard = random.next() < 0.3;
    const prompt = hard
      ? `A long multi step problem ${index}: the train leaves at noon, stops twice, and we need the total distance after all the stops and the detours along the way, step by step please.`
      : `What is ${index} plus 1?`;
    lines.push({
      id: `p${index}`,
      task: 'synthetic',
      prompt,
      outcomes: {
        cheap: { score: hard ? (random.next() < 0.2 ? 1 : 0) : random.next() < 0.95 ? 1 : 0, input_tokens: 50, output_tokens: 50 },
        mid: { score: hard ? (random.next() < 0.5 ? 1 : 0) : random.next() < 0.96 ? 1 : 0, input_tokens: 50, output_tokens: 50 },
        strong: { score: random.next() < 0.97 ? 1 : 0, input_tokens: 50, output_tokens: 50 },
      },
    });
  }
  const models: ReplayModel[] = [
    { model: 'cheap', provider: 'a', input_usd_per_mtok: 0.1, output_usd_per_mtok: 0.1 },
    { model: 'mid', provider: 'b', input_usd_per_mtok: 1, output_usd_per_mtok: 1 },
    { model: 'strong', provider: 'c', input_usd_per_mtok: 10, output_usd_per_mtok: 10 },
  ];
  return { lines, models };
}

describe('replay benchmark', () => {
  it('parses the replay line format and reports line numbers on errors', () => {
    const lines = parseReplayLines('{"id":"1","prompt":"x","outcomes":{"m":{"score":1,"input_tokens":1,"output_tokens":2}}}\n\n');
    expect(lines[0]?.task).toBe('general');
    expect(() => parseReplayLines('{"id":"1"}')).toThrow(/line 1/);
  });

  it('writes every report field, and the contextual policy learns to send easy prompts to the cheap model', { timeout: 120_000 }, () => {
    const { lines, models } = syntheticBench(600);
    const report = runReplayBenchmark(lines, models, {
      bench: 'synthetic',
      seed: 1,
      warmStartFraction: 0.1,
      republishEvery: 50,
      lambdas: [0, 0.3, 1],
      algorithms: ['thompson', 'contextual'],
      settings: {},
    });
    expect(report).toMatchObject({ bench: 'synthetic', prompts: 600, models: 3, seed: 1, warm_start_fraction: 0.1, online_prompts: 540 });
    expect(report.baselines.best_single.model).toBe('strong');
    expect(report.baselines.cheapest.model).toBe('cheap');
    expect(report.baselines.oracle.quality).toBeGreaterThanOrEqual(report.baselines.best_single.quality);
    expect(report.sweep.map((point) => point.lambda)).toEqual([0, 0.3, 1]);
    expect(Object.keys(report.sweeps).sort()).toEqual(['contextual', 'thompson']);
    expect(report.aiq.oracle).toBeGreaterThan(report.aiq.frontier_mixing);
    expect(report.at_best_single_quality.map((entry) => entry.target)).toEqual([0.99, 1]);
    // Each policy point is the expectation over the policy's own draws; the models it actually
    // drew (540 online prompts) land within a few binomial standard errors of it.
    for (const point of [...report.sweep, ...report.budget_sweep]) {
      expect(Math.abs(point.quality - point.realized_quality)).toBeLessThan(0.07);
      expect(Math.abs(point.cost_per_1k - point.realized_cost_per_1k)).toBeLessThan(0.5 * point.cost_per_1k + 0.01);
    }
    expect(report.sweep.some((point) => point.quality !== point.realized_quality)).toBe(true);
    expect(report.cumulative_regret.series.length).toBeGreaterThan(10);
    expect(report.cumulative_regret.lambda).toBe(0.3);
    // Prompt difficulty is visible in the text here, so the contextual policy beats mixing,
    // and so does the full-information ceiling, whose predictions beat each model's mean.
    expect(report.aiq.by_algorithm.contextual).toBeGreaterThan(report.aiq.frontier_mixing);
    const ceiling = report.ceiling.contextual_full_information;
    expect(ceiling.sweep.map((point) => point.lambda)).toEqual([0, 0.3, 1]);
    expect(ceiling.aiq).toBeGreaterThan(report.aiq.frontier_mixing);
    expect(ceiling.log_loss).toBeLessThan(ceiling.mean_only_log_loss - 0.05);
    expect(report.default_algorithm).toBe('thompson');
    expect(report.aiq.policy).toBe(report.aiq.by_algorithm.thompson);
    // Deterministic given the seed.
    const again = runReplayBenchmark(lines, models, {
      bench: 'synthetic',
      seed: 1,
      warmStartFraction: 0.1,
      republishEvery: 50,
      lambdas: [0.3],
      algorithms: ['thompson'],
      settings: {},
    });
    expect(again.sweeps.thompson?.[0]).toEqual(report.sweeps.thompson?.[1]);
  });

  it('finds no ceiling above frontier mixing when the prompt text says nothing about who succeeds', { timeout: 60_000 }, () => {
    // Same prompts as the synthetic bench, outcomes drawn independently of them.
    const { lines, models } = syntheticBench(600);
    const random = createRandom(5);
    const rates: Record<string, number> = { cheap: 0.75, mid: 0.85, strong: 0.95 };
    const blind = lines.map((line) => ({
      ...line,
      outcomes: Object.fromEntries(Object.entries(line.outcomes).map(([model, outcome]) => [model, { ...outcome, score: random.next() < (rates[model] as number) ? 1 : 0 }])),
    }));
    const report = runReplayBenchmark(blind, models, {
      bench: 'blind',
      seed: 1,
      warmStartFraction: 0.1,
      republishEvery: 100,
      lambdas: [0, 0.1, 0.3, 1, 3],
      budgetPoints: 0,
      algorithms: ['thompson'],
      settings: {},
    });
    const ceiling = report.ceiling.contextual_full_information;
    expect(ceiling.log_loss).toBeGreaterThan(ceiling.mean_only_log_loss - 0.01);
    expect(ceiling.aiq).toBeLessThan(report.aiq.frontier_mixing + 0.005);
  });
});
