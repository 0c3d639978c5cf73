/**
 * The replay over several seeds, summarized.
 *
 * How it works: one seed is one shuffle of the prompts, so one warm start and one online order;
 * a single run's AIQ moves by a few thousandths with it (as much as the gaps being measured).
 * `parseSeeds` reads `--seeds` ("1-8" or "1,3,5"); `summarizeSeeds` keeps, per seed, the figures
 * the targets are read on (the policy's and frontier mixing's AIQ, their difference with
 * its bootstrap interval, routing by the warm start alone, the full-information ceiling, and the
 * cost of 99 % of the best single model for the policy, prompt-blind mixing and the ceiling), then
 * their means and how many seeds meet each target.
 */
import { mean } from 'simple-statistics';
import type { ReplayReport } from './report';

/** At most this many seeds in one `--seeds` (each is a full replay: 15–20 s on 1,300 prompts). */
export const MAX_SEEDS = 100;
/** The cost target: 99 % of the best single model's quality at ≤ 30 % of its cost. */
const COST_TARGET = 0.3;

/** "1-8" or "1,3,5" (or a mix, "1-3,7") → the distinct seeds in order; throws a RangeError naming the problem. */
export function parseSeeds(spec: string): number[] {
  const seeds: number[] = [];
  for (const part of spec.split(',').map((entry) => entry.trim())) {
    const range = /^(-?\d+)\s*-\s*(-?\d+)$/.exec(part);
    if (range) {
      const [first, last] = [Number(range[1]), Number(range[2])];
      if (last < first) throw new RangeError(`seed range "${part}" ends before it starts`);
      if (last - first + 1 > MAX_SEEDS) throw new RangeError(`seed range "${part}" has more than ${MAX_SEEDS} seeds`);
      for (let seed = first; seed <= last; seed += 1) seeds.push(seed);
    } else if (/^-?\d+$/.test(part)) {
      seeds.push(Number(part));
    } else {
      throw new RangeError(`"${part}" is not a seed or a range of seeds (write 1-8 or 1,3,5)`);
    }
  }
  const distinct = [...new Set(seeds)];
  if (distinct.length > MAX_SEEDS) throw new RangeError(`at most ${MAX_SEEDS} seeds at once`);
  return distinct;
}

export interface SeedRow {
  seed: number;
  policy_aiq: number;
  frontier_mixing_aiq: number;
  policy_minus_frontier: number;
  policy_minus_frontier_ci95: [number, number];
  warm_start_only_aiq: number | null;
  ceiling_aiq: number;
  /** Cost of 99 % of the best single model's quality, as a share of its cost (null: not reached). */
  cost_ratio_at_99: { policy: number | null; frontier_mixing: number | null; ceiling: number | null };
}

export interface SeedSummary {
  bench: string;
  seeds: number[];
  runs: SeedRow[];
  mean: {
    policy_aiq: number;
    frontier_mixing_aiq: number;
    policy_minus_frontier: number;
    warm_start_only_aiq: number | null;
    ceiling_aiq: number;
  };
  /** How many seeds meet each target, and on how many the gap is within the prompts' noise. */
  seeds_meeting: {
    policy_aiq_above_frontier: number;
    interval_includes_zero: number;
    policy_99_at_30_percent: number;
    frontier_mixing_99_at_30_percent: number;
    ceiling_99_at_30_percent: number;
  };
}

const r = (value: number): number => Math.round(value * 1e6) / 1e6;
const at99 = (entries: ReadonlyArray<{ target: number; cost_ratio_vs_best_single: number | null }>): number | null =>
  entries.find((entry) => entry.target === 0.99)?.cost_ratio_vs_best_single ?? null;
const withinTarget = (ratio: number | null): boolean => ratio !== null && ratio <= COST_TARGET;

/** The figures of one seed's report the targets are read on. */
export function seedRow(report: ReplayReport): SeedRow {
  return {
    seed: report.seed,
    policy_aiq: report.aiq.policy,
    frontier_mixing_aiq: report.aiq.frontier_mixing,
    policy_minus_frontier: report.aiq.policy_minus_frontier.value,
    policy_minus_frontier_ci95: report.aiq.policy_minus_frontier.ci95,
    warm_start_only_aiq: report.aiq.warm_start_only,
    ceiling_aiq: report.ceiling.contextual_full_information.aiq,
    cost_ratio_at_99: {
      policy: at99(report.at_best_single_quality),
      frontier_mixing: at99(report.frontier_mixing_at_best_single_quality),
      ceiling: at99(report.ceiling.contextual_full_information.at_best_single_quality),
    },
  };
}

export function summarizeSeeds(reports: readonly ReplayReport[]): SeedSummary {
  const first = reports[0];
  if (!first) throw new RangeError('no replay reports to summarize');
  const runs = reports.map(seedRow);
  const warm = runs.map((run) => run.warm_start_only_aiq);
  const count = (test: (run: SeedRow) => boolean): number => runs.filter(test).length;
  return {
    bench: first.bench,
    seeds: runs.map((run) => run.seed),
    runs,
    mean: {
      policy_aiq: r(mean(runs.map((run) => run.policy_aiq))),
      frontier_mixing_aiq: r(mean(runs.map((run) => run.frontier_mixing_aiq))),
      policy_minus_frontier: r(mean(runs.map((run) => run.policy_minus_frontier))),
      warm_start_only_aiq: warm.every((value) => value !== null) ? r(mean(warm as number[])) : null,
      ceiling_aiq: r(mean(runs.map((run) => run.ceiling_aiq))),
    },
    seeds_meeting: {
      policy_aiq_above_frontier: count((run) => run.policy_minus_frontier > 0),
      interval_includes_zero: count((run) => run.policy_minus_frontier_ci95[0] <= 0 && run.policy_minus_frontier_ci95[1] >= 0),
      policy_99_at_30_percent: count((run) => withinTarget(run.cost_ratio_at_99.policy)),
      frontier_mixing_99_at_30_percent: count((run) => withinTarget(run.cost_ratio_at_99.frontier_mixing)),
      ceiling_99_at_30_percent: count((run) => withinTarget(run.cost_ratio_at_99.ceiling)),
    },
  };
}
