import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import { bootstrapAiqDifference, type PerPromptPoint } from './bootstrap';
import { aiq, cheapestReaching, hullCostReaching, hullValue, nonDecreasingHull } from './metrics';
import { parseReplayLines, type ReplayLine, type ReplayModel } from './data';
import { runReplayBenchmark, warmStartOnlyPicks } from './report';
import { MAX_SEEDS, parseSeeds, summarizeSeeds } from './seeds';
import { prepareBench } from './simulate';

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
    // Mixing along the hull: 0.7 is halfway between (1, 0.5) and (3, 0.9).
    expect(hullCostReaching(points, 0.7)).toBeCloseTo(2);
    expect(hullCostReaching(points, 0.4)).toBe(1);
    expect(hullCostReaching(points, 0.9)).toBeCloseTo(3);
    expect(hullCostReaching(points, 0.91)).toBeNull();
  });
});

describe('paired bootstrap of the AIQ difference', () => {
  /** `online` prompts where a model succeeds with probability `rate`, at a fixed cost per prompt. */
  function model(online: number, rate: number, cost: number, seed: number): PerPromptPoint {
    const random = createRandom(seed);
    return { quality: Float64Array.from({ length: online }, () => (random.next() < rate ? 1 : 0)), cost: new Float64Array(online).fill(cost) };
  }
  const online = 400;
  const singles = [model(online, 0.6, 0.001, 1), model(online, 0.8, 0.002, 2), model(online, 0.9, 0.01, 3)];
  const range = { anchor: 0, minCostPer1k: 1, maxCostPer1k: 10, resamples: 300, seed: 1 };

  it('finds no difference when the policy is the single models themselves', () => {
    const interval = bootstrapAiqDifference(singles, singles, range);
    expect(interval.ci95).toEqual([0, 0]);
    expect(interval.sd).toBe(0);
  });

  it("puts a policy as good as every model on every prompt, at the cheapest model's cost, entirely above zero", () => {
    const [cheap, mid, strong] = singles as [PerPromptPoint, PerPromptPoint, PerPromptPoint];
    const better = { quality: strong.quality.map((score, index) => Math.max(score, cheap.quality[index] as number, mid.quality[index] as number)), cost: cheap.cost };
    const interval = bootstrapAiqDifference([better], singles, range);
    expect(interval.ci95[0]).toBeGreaterThan(0);
  });

  it('gives a noisy policy an interval that brackets its difference and has width', () => {
    // The strong model with 10 % of its prompts swapped for the mid model's outcomes.
    const strong = singles[2] as PerPromptPoint;
    const mid = singles[1] as PerPromptPoint;
    const mixed = { quality: strong.quality.map((score, index) => (index % 10 === 0 ? (mid.quality[index] as number) : score)), cost: strong.cost };
    const anchor = { cost: 1, quality: 0.6 };
    const points = (list: PerPromptPoint[]) =>
      list.map((point) => ({ cost: (point.cost.reduce((a, b) => a + b, 0) / online) * 1000, quality: point.quality.reduce((a, b) => a + b, 0) / online }));
    const value = aiq([anchor, ...points([mixed])], 10, 1) - aiq([anchor, ...points(singles)], 10, 1);
    const interval = bootstrapAiqDifference([mixed], singles, range);
    expect(interval.ci95[1] - interval.ci95[0]).toBeGreaterThan(0.001);
    expect(interval.ci95[0]).toBeLessThanOrEqual(value);
    expect(interval.ci95[1]).toBeGreaterThanOrEqual(value);
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
    // Mixing single models reaches the best one's quality at its cost, and 99 % of it on the
    // hull for less, where the hull's value is exactly the target.
    const [mixing99, mixing100] = report.frontier_mixing_at_best_single_quality;
    expect(mixing100?.cost_ratio_vs_best_single).toBe(1);
    expect(mixing99?.cost_ratio_vs_best_single).toBeLessThan(1);
    const singlePoints = report.single_models.map((single) => ({ cost: single.cost_per_1k, quality: single.quality }));
    expect(hullValue(nonDecreasingHull(singlePoints), mixing99?.cost_per_1k as number)).toBeCloseTo(0.99 * report.baselines.best_single.quality, 4);
    // Routing by the warm start alone picks single models: never above mixing them.
    expect(report.aiq.warm_start_only).toBeGreaterThan(0);
    expect(report.aiq.warm_start_only as number).toBeLessThanOrEqual(report.aiq.frontier_mixing + 1e-9);
    const difference = report.aiq.policy_minus_frontier;
    expect(difference.value).toBeCloseTo(report.aiq.policy - report.aiq.frontier_mixing, 6);
    expect(difference.ci95[0]).toBeLessThan(difference.ci95[1]);
    expect(difference.sd).toBeGreaterThan(0);
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

  it('routes by the warm start alone to its best model at λ 0 and its cheapest at a large λ', () => {
    const { lines, models } = syntheticBench(600);
    const bench = prepareBench(lines, models, { seed: 1, warmStartFraction: 0.1 });
    expect(bench.names).toEqual(['cheap', 'mid', 'strong']);
    expect(warmStartOnlyPicks(bench, [0, 50])).toEqual([2, 0]);
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

describe('replay over several seeds', () => {
  it('reads ranges and lists of seeds, and names what it cannot read', () => {
    expect(parseSeeds('1-4')).toEqual([1, 2, 3, 4]);
    expect(parseSeeds('1,3, 5')).toEqual([1, 3, 5]);
    expect(parseSeeds('1-3,2,7')).toEqual([1, 2, 3, 7]);
    expect(parseSeeds('-1-1')).toEqual([-1, 0, 1]);
    expect(() => parseSeeds('3-1')).toThrow(/ends before it starts/);
    expect(() => parseSeeds('one')).toThrow(/"one" is not a seed/);
    expect(() => parseSeeds('1,,2')).toThrow(/"" is not a seed/);
    expect(() => parseSeeds(`1-${MAX_SEEDS + 1}`)).toThrow(/more than 100 seeds/);
  });

  it("keeps each seed's figures and counts the seeds meeting each target", { timeout: 60_000 }, () => {
    const { lines, models } = syntheticBench(300);
    const reports = [1, 2].map((seed) =>
      runReplayBenchmark(lines, models, { bench: 'synthetic', seed, warmStartFraction: 0.1, republishEvery: 50, lambdas: [0, 0.3, 1], budgetPoints: 0, algorithms: ['thompson'], settings: {} }),
    );
    const summary = summarizeSeeds(reports);
    expect(summary.seeds).toEqual([1, 2]);
    expect(summary.runs.map((run) => run.policy_aiq)).toEqual(reports.map((report) => report.aiq.policy));
    expect(summary.runs[1]?.cost_ratio_at_99.frontier_mixing).toBe(reports[1]?.frontier_mixing_at_best_single_quality[0]?.cost_ratio_vs_best_single);
    expect(summary.mean.frontier_mixing_aiq).toBeCloseTo((reports[0]!.aiq.frontier_mixing + reports[1]!.aiq.frontier_mixing) / 2, 6);
    const above = reports.filter((report) => report.aiq.policy_minus_frontier.value > 0).length;
    expect(summary.seeds_meeting.policy_aiq_above_frontier).toBe(above);
    const mixingWithin = reports.filter((report) => (report.frontier_mixing_at_best_single_quality[0]?.cost_ratio_vs_best_single ?? 2) <= 0.3).length;
    expect(summary.seeds_meeting.frontier_mixing_99_at_30_percent).toBe(mixingWithin);
    expect(() => summarizeSeeds([])).toThrow(/no replay reports/);
  });
});
