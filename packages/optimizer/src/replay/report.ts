/**
 * The replay benchmark report: baselines, the λ_cost sweep of each algorithm, AIQ, cost at
 * the best single model's quality, and cumulative regret at the default λ.
 */
import { optimizerConfigSchema, type OptimizerConfig } from '@switchyard/core';
import { DEFAULT_TUNING, type OptimizerTuning } from '../build-policy';
import { bootstrapAiqDifference, type PerPromptPoint } from './bootstrap';
import { contextualCeiling, type ContextualCeiling } from './ceiling';
import { aiq, bestUtilityIndex, cheapestReaching, hullCostReaching, type CostQuality } from './metrics';
import { prepareBench, runReplay, warmStartCostsPer1k, type PreparedBench, type ReplayRun } from './simulate';
import type { ReplayLine, ReplayModel } from './data';

/**
 * λ_cost sweep: 0, then roughly log-spaced (steps of ×1.3–2) where the cost–quality trade-off
 * changes (λ is relative to the priciest model's cost), coarser at the ends.
 */
export const DEFAULT_LAMBDAS = [0, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20, 50];
/**
 * Budget sweep: this many average budgets per 1,000 prompts, log-spaced between the cheapest
 * and the priciest model's mean cost on the warm-start prompts (known before going online).
 */
export const DEFAULT_BUDGET_POINTS = 16;
/** Resamples of the paired bootstrap of `aiq.policy_minus_frontier`. */
const BOOTSTRAP_RESAMPLES = 1000;

/** Log-spaced budgets from the warm-start costs (the cheapest model's cost excluded: nothing to mix). */
export function budgetGrid(warmCosts: readonly number[], points: number): number[] {
  const positive = warmCosts.filter((cost) => cost > 0);
  if (positive.length < 2 || points < 1) return [];
  const low = Math.log(Math.min(...positive));
  const high = Math.log(Math.max(...positive));
  return Array.from({ length: points }, (_, index) => Math.exp(low + ((high - low) * (index + 1)) / points));
}

/** λ_cost of the default `auto` route (packages/core defaultRoutes). */
export const DEFAULT_LAMBDA = 0.3;
export const ALGORITHMS = ['thompson', 'contextual'] as const;
export type ReplayAlgorithm = (typeof ALGORITHMS)[number];
/**
 * The product's default, chosen by this benchmark over seeds 1–3 on gsm8k and cruxeval
 * (packages/optimizer/README.md). The report's `policy` numbers are this algorithm's, not the
 * better of the two in each run (that would be a best-of-two in hindsight).
 */
export const DEFAULT_ALGORITHM: ReplayAlgorithm = 'thompson';

export interface ReplayOptions {
  bench: string;
  seed: number;
  warmStartFraction: number;
  republishEvery: number;
  lambdas: number[];
  /** Budget points of the default algorithm's budget sweep (0 skips it). */
  budgetPoints?: number;
  algorithms: readonly ReplayAlgorithm[];
  settings: Partial<OptimizerConfig>;
  tuning?: Partial<OptimizerTuning>;
}

interface PointReport {
  quality: number;
  cost_per_1k: number;
}

/**
 * A policy point: `quality` / `cost_per_1k` are expectations over the policy's own draws (see
 * `ReplayRun.quality`); the `realized_*` pair is what the drawn models actually scored and cost.
 */
interface PolicyPointReport extends PointReport {
  realized_quality: number;
  realized_cost_per_1k: number;
}

export interface ReplayReport {
  bench: string;
  prompts: number;
  models: number;
  seed: number;
  warm_start_fraction: number;
  online_prompts: number;
  republish_every: number;
  default_algorithm: ReplayAlgorithm;
  settings: Record<string, unknown>;
  baselines: {
    best_single: PointReport & { model: string };
    cheapest: PointReport & { model: string };
    random: PointReport;
    oracle: PointReport;
  };
  single_models: Array<PointReport & { model: string }>;
  sweep: Array<PolicyPointReport & { lambda: number }>;
  /**
   * The default algorithm with an average budget per 1,000 prompts on the route (λ_cost 0):
   * it mixes the models around the budget. Not part of `aiq.policy` / `at_best_single_quality`
   * (those are the λ sweep, as specified); see the `*_with_budgets` figures.
   */
  budget_sweep: Array<PolicyPointReport & { budget_per_1k: number }>;
  sweeps: Record<string, Array<PolicyPointReport & { lambda: number; publishes: number }>>;
  aiq: {
    policy: number;
    frontier_mixing: number;
    oracle: number;
    min_cost_per_1k: number;
    max_cost_per_1k: number;
    by_algorithm: Record<string, number>;
    /** The default algorithm's λ sweep and budget sweep together. */
    policy_with_budgets: number;
    /**
     * Routing by the warm start alone (`warmStartOnlyPicks`): for each λ the one model the
     * revealed prompts rank best, never updated. Null without a warm start.
     */
    warm_start_only: number | null;
    /**
     * `policy − frontier_mixing`, with a paired bootstrap interval over the online prompts
     * (bootstrap.ts): how large a difference the choice of prompts alone could make.
     */
    policy_minus_frontier: { value: number; resamples: number; sd: number; ci95: [number, number] };
  };
  at_best_single_quality: Array<{ target: number; cost_per_1k: number | null; cost_ratio_vs_best_single: number | null; lambda: number | null; quality: number | null }>;
  /**
   * The cheapest mix of single models (on their hull) reaching each share of the best single
   * model's quality: a router that does not read the prompt cannot, in expectation, do better,
   * so a lower cost needs a per-prompt signal.
   */
  frontier_mixing_at_best_single_quality: Array<{ target: number; cost_per_1k: number | null; cost_ratio_vs_best_single: number | null }>;
  /** As `at_best_single_quality`, over the λ sweep and the budget sweep (the point says which). */
  at_best_single_quality_with_budgets: Array<{
    target: number;
    cost_per_1k: number | null;
    cost_ratio_vs_best_single: number | null;
    lambda: number | null;
    budget_per_1k: number | null;
    quality: number | null;
  }>;
  /**
   * What the prompt text can tell at best (ceiling.ts): the contextual model fitted with every
   * model's outcome on the other prompts, cross-fitted over the online prompts, on the same λ grid.
   * Not a policy: no online learner gets that much information.
   */
  ceiling: {
    contextual_full_information: ContextualCeiling & {
      aiq: number;
      at_best_single_quality: Array<{ target: number; cost_per_1k: number | null; cost_ratio_vs_best_single: number | null; lambda: number | null; quality: number | null }>;
    };
  };
  cumulative_regret: {
    lambda: number;
    algorithm: ReplayAlgorithm;
    best_fixed_model: string;
    utility: string;
    total: number;
    per_prompt: number;
    series: Array<{ prompt: number; regret: number }>;
    by_algorithm: Record<string, number>;
  };
  /** Wall-clock time of the whole benchmark (both algorithms, every λ). */
  runtime_ms: number;
  /** CPU time (user + system); on a loaded machine wall-clock time overstates the cost. */
  cpu_ms: number;
}

const r = (value: number, digits = 6): number => Math.round(value * 10 ** digits) / 10 ** digits;

const policyPoint = (run: ReplayRun): PolicyPointReport => ({
  quality: r(run.quality),
  cost_per_1k: r(run.costPer1k),
  realized_quality: r(run.realizedQuality),
  realized_cost_per_1k: r(run.realizedCostPer1k),
});

function onlineSingleModels(bench: PreparedBench, byPrompt: readonly PerPromptPoint[]): Array<PointReport & { model: string; index: number }> {
  const online = bench.prompts.length - bench.warmCount;
  const sum = (values: Float64Array): number => values.reduce((total, value) => total + value, 0);
  return bench.names.map((name, m) => {
    const point = byPrompt[m] as PerPromptPoint;
    return { model: name, index: m, quality: sum(point.quality) / online, cost_per_1k: (sum(point.cost) / online) * 1000 };
  });
}

/**
 * For each λ, the model with the best warm-start mean score − λ · its warm-start mean cost / the
 * priciest model's: what an uploaded eval alone would route to, for every online prompt. Its
 * points are single models, so its AIQ is at most frontier mixing's; the difference is the cost
 * of choosing among near-tied models from the warm-start prompts only.
 */
export function warmStartOnlyPicks(bench: PreparedBench, lambdas: readonly number[]): number[] {
  if (bench.warmCount === 0) throw new RangeError('routing by the warm start needs a warm start');
  const count = bench.names.length;
  const costs = warmStartCostsPer1k(bench);
  const priciest = Math.max(...costs);
  const quality = bench.names.map((_name, m) => {
    let sum = 0;
    for (let p = 0; p < bench.warmCount; p += 1) sum += bench.score[p * count + m] as number;
    return sum / bench.warmCount;
  });
  return lambdas.map((lambda) => bestUtilityIndex(quality, costs, lambda, priciest));
}

/** Each single model's score and cost per online prompt. */
function singlesByPrompt(bench: PreparedBench): PerPromptPoint[] {
  const count = bench.names.length;
  const online = bench.prompts.length - bench.warmCount;
  return bench.names.map((_name, m) => {
    const quality = new Float64Array(online);
    const cost = new Float64Array(online);
    for (let t = 0; t < online; t += 1) {
      const cell = (bench.warmCount + t) * count + m;
      quality[t] = bench.score[cell] as number;
      cost[t] = bench.cost[cell] as number;
    }
    return { quality, cost };
  });
}

function regretSeries(bench: PreparedBench, run: ReplayRun, lambda: number, singles: ReturnType<typeof onlineSingleModels>) {
  const count = bench.names.length;
  const online = bench.prompts.length - bench.warmCount;
  const costReference = Math.max(...singles.map((single) => single.cost_per_1k / 1000));
  const utilityOf = (p: number, m: number): number =>
    (bench.score[p * count + m] as number) - (lambda * (bench.cost[p * count + m] as number)) / costReference;
  let bestModel = 0;
  let bestTotal = -Infinity;
  for (let m = 0; m < count; m += 1) {
    let total = 0;
    for (let p = bench.warmCount; p < bench.prompts.length; p += 1) total += utilityOf(p, m);
    if (total > bestTotal) {
      bestTotal = total;
      bestModel = m;
    }
  }
  const series: Array<{ prompt: number; regret: number }> = [];
  let regret = 0;
  const step = Math.max(1, Math.floor(online / 100));
  for (let t = 0; t < online; t += 1) {
    const p = bench.warmCount + t;
    regret += utilityOf(p, bestModel) - utilityOf(p, run.choices[t] as number);
    if ((t + 1) % step === 0 || t + 1 === online) series.push({ prompt: t + 1, regret: r(regret, 4) });
  }
  return { bestModel: bench.names[bestModel] as string, total: regret, series, costReference };
}

/** Run the whole benchmark on one bench. */
export function runReplayBenchmark(lines: readonly ReplayLine[], priceList: readonly ReplayModel[], options: ReplayOptions): ReplayReport {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const bench = prepareBench(lines, priceList, { seed: options.seed, warmStartFraction: options.warmStartFraction, ...(options.tuning?.featureSpec ? { spec: options.tuning.featureSpec } : {}) });
  // The warm start is drawn from the same prompts as the online part, so it is worth its full
  // size as a prior (a real eval set from elsewhere is capped at evalPriorSamples = 50).
  const settings = optimizerConfigSchema.parse({
    halfLifeHours: 24 * 365,
    explorationFloor: 0.001,
    monteCarloSamples: 500,
    evalPriorSamples: Math.max(1, bench.warmCount),
    ...options.settings,
  });
  const count = bench.names.length;
  const online = bench.prompts.length - bench.warmCount;
  const singlesPerPrompt = singlesByPrompt(bench);
  const singles = onlineSingleModels(bench, singlesPerPrompt);
  const bestSingle = [...singles].sort((a, b) => b.quality - a.quality || a.cost_per_1k - b.cost_per_1k)[0]!;
  const cheapest = [...singles].sort((a, b) => a.cost_per_1k - b.cost_per_1k)[0]!;
  let oracleQuality = 0;
  let oracleCost = 0;
  for (let p = bench.warmCount; p < bench.prompts.length; p += 1) {
    let best = 0;
    for (let m = 1; m < count; m += 1) {
      const s = bench.score[p * count + m] as number;
      const bs = bench.score[p * count + best] as number;
      if (s > bs || (s === bs && (bench.cost[p * count + m] as number) < (bench.cost[p * count + best] as number))) best = m;
    }
    oracleQuality += bench.score[p * count + best] as number;
    oracleCost += bench.cost[p * count + best] as number;
  }
  const oracle = { quality: oracleQuality / online, cost_per_1k: (oracleCost / online) * 1000 };
  const random = {
    quality: singles.reduce((sum, single) => sum + single.quality, 0) / count,
    cost_per_1k: singles.reduce((sum, single) => sum + single.cost_per_1k, 0) / count,
  };

  const sweeps: ReplayReport['sweeps'] = {};
  const sweepRuns = new Map<string, ReplayRun[]>();
  const defaultRuns = new Map<string, ReplayRun>();
  for (const algorithm of options.algorithms) {
    const runs: ReplayRun[] = [];
    sweepRuns.set(algorithm, runs);
    sweeps[algorithm] = options.lambdas.map((lambda) => {
      const run = runReplay(bench, {
        algorithm,
        lambdaCost: lambda,
        seed: options.seed,
        republishEvery: options.republishEvery,
        settings,
        ...(options.tuning ? { tuning: options.tuning } : {}),
      });
      runs.push(run);
      if (lambda === DEFAULT_LAMBDA) defaultRuns.set(algorithm, run);
      return { lambda, ...policyPoint(run), publishes: run.publishes };
    });
    if (!defaultRuns.has(algorithm)) {
      defaultRuns.set(
        algorithm,
        runReplay(bench, { algorithm, lambdaCost: DEFAULT_LAMBDA, seed: options.seed, republishEvery: options.republishEvery, settings, ...(options.tuning ? { tuning: options.tuning } : {}) }),
      );
    }
  }
  const defaultAlgorithm = options.algorithms.includes(DEFAULT_ALGORITHM) ? DEFAULT_ALGORITHM : (options.algorithms[0] as ReplayAlgorithm);
  const budgetSweep = budgetGrid(warmStartCostsPer1k(bench), options.budgetPoints ?? DEFAULT_BUDGET_POINTS).map((budget) => {
    const run = runReplay(bench, {
      algorithm: defaultAlgorithm,
      lambdaCost: 0,
      budgetPer1k: budget,
      seed: options.seed,
      republishEvery: options.republishEvery,
      settings,
      ...(options.tuning ? { tuning: options.tuning } : {}),
    });
    return { budget_per_1k: r(budget), ...policyPoint(run) };
  });
  const singlePoints: CostQuality[] = singles.map((single) => ({ cost: single.cost_per_1k, quality: single.quality }));
  const allCosts = [
    ...singlePoints.map((point) => point.cost),
    oracle.cost_per_1k,
    ...Object.values(sweeps).flat().map((point) => point.cost_per_1k),
    ...budgetSweep.map((point) => point.cost_per_1k),
  ];
  const maxCost = Math.max(...allCosts);
  // RouterBench's range: from the cheapest single model to the most expensive point; every
  // hull is anchored at the cheapest single model (a router can always send everything there).
  const anchor: CostQuality = { cost: cheapest.cost_per_1k, quality: cheapest.quality };
  const minCost = anchor.cost;
  const aiqOf = (points: CostQuality[]): number => r(aiq([anchor, ...points], maxCost, minCost));
  const byAlgorithm: Record<string, number> = {};
  for (const [algorithm, sweep] of Object.entries(sweeps)) {
    byAlgorithm[algorithm] = aiqOf(sweep.map((point) => ({ cost: point.cost_per_1k, quality: point.quality })));
  }
  const sweep = (sweeps[defaultAlgorithm] ?? []).map(({ publishes: _publishes, ...point }) => point);
  const sweepPoints = sweep.map((point) => ({ cost: point.cost_per_1k, quality: point.quality, lambda: point.lambda }));
  const budgetPoints = budgetSweep.map((point) => ({ cost: point.cost_per_1k, quality: point.quality, budget: point.budget_per_1k }));

  /** For 99 % and 100 % of the best single model's quality, the cheapest of `points` reaching it. */
  const reaching = (points: Array<CostQuality & { lambda?: number; budget?: number }>) =>
    [0.99, 1.0].map((target) => {
      const hit = cheapestReaching(points, target * bestSingle.quality) as (CostQuality & { lambda?: number; budget?: number }) | null;
      return {
        target,
        cost_per_1k: hit ? r(hit.cost) : null,
        cost_ratio_vs_best_single: hit ? r(hit.cost / bestSingle.cost_per_1k, 4) : null,
        lambda: hit?.lambda ?? null,
        budget_per_1k: hit?.budget ?? null,
        quality: hit ? r(hit.quality) : null,
      };
    });

  const policyAiq = byAlgorithm[defaultAlgorithm] ?? 0;
  const frontierAiq = aiqOf(singlePoints);
  const interval = bootstrapAiqDifference(
    (sweepRuns.get(defaultAlgorithm) ?? []).map((run) => run.expectedByPrompt),
    singlesPerPrompt,
    { anchor: cheapest.index, minCostPer1k: minCost, maxCostPer1k: maxCost, resamples: BOOTSTRAP_RESAMPLES, seed: options.seed },
  );

  const ceiling = contextualCeiling(bench, options.lambdas, { seed: options.seed });
  const ceilingPoints = ceiling.sweep.map((point) => ({ cost: point.cost_per_1k, quality: point.quality, lambda: point.lambda }));

  const regretByAlgorithm: Record<string, number> = {};
  let regret: ReturnType<typeof regretSeries> | null = null;
  for (const [algorithm, run] of defaultRuns) {
    const series = regretSeries(bench, run, DEFAULT_LAMBDA, singles);
    regretByAlgorithm[algorithm] = r(series.total, 4);
    if (algorithm === defaultAlgorithm) regret = series;
  }
  if (!regret) throw new Error('no run at the default λ');

  return {
    bench: options.bench,
    prompts: bench.prompts.length,
    models: count,
    seed: options.seed,
    warm_start_fraction: options.warmStartFraction,
    online_prompts: online,
    republish_every: options.republishEvery,
    default_algorithm: defaultAlgorithm,
    // The effective tuning (defaults included), so a report says exactly what produced it.
    settings: { ...settings, tuning: { ...DEFAULT_TUNING, ...options.tuning } },
    baselines: {
      best_single: { model: bestSingle.model, quality: r(bestSingle.quality), cost_per_1k: r(bestSingle.cost_per_1k) },
      cheapest: { model: cheapest.model, quality: r(cheapest.quality), cost_per_1k: r(cheapest.cost_per_1k) },
      random: { quality: r(random.quality), cost_per_1k: r(random.cost_per_1k) },
      oracle: { quality: r(oracle.quality), cost_per_1k: r(oracle.cost_per_1k) },
    },
    single_models: singles.map((single) => ({ model: single.model, quality: r(single.quality), cost_per_1k: r(single.cost_per_1k) })),
    sweep,
    budget_sweep: budgetSweep,
    sweeps,
    aiq: {
      policy: policyAiq,
      frontier_mixing: frontierAiq,
      oracle: aiqOf([{ cost: oracle.cost_per_1k, quality: oracle.quality }]),
      min_cost_per_1k: r(minCost),
      max_cost_per_1k: r(maxCost),
      by_algorithm: byAlgorithm,
      policy_with_budgets: aiqOf([...sweepPoints, ...budgetPoints]),
      warm_start_only: bench.warmCount > 0 ? aiqOf(warmStartOnlyPicks(bench, options.lambdas).map((m) => singlePoints[m] as CostQuality)) : null,
      policy_minus_frontier: {
        value: r(policyAiq - frontierAiq),
        resamples: interval.resamples,
        sd: r(interval.sd),
        ci95: [r(interval.ci95[0]), r(interval.ci95[1])],
      },
    },
    at_best_single_quality: reaching(sweepPoints).map(({ budget_per_1k: _budget, ...entry }) => entry),
    frontier_mixing_at_best_single_quality: [0.99, 1.0].map((target) => {
      const cost = hullCostReaching([anchor, ...singlePoints], target * bestSingle.quality);
      return { target, cost_per_1k: cost === null ? null : r(cost), cost_ratio_vs_best_single: cost === null ? null : r(cost / bestSingle.cost_per_1k, 4) };
    }),
    at_best_single_quality_with_budgets: reaching([...sweepPoints, ...budgetPoints]),
    ceiling: {
      contextual_full_information: {
        folds: ceiling.folds,
        sweep: ceiling.sweep.map((point) => ({ lambda: point.lambda, quality: r(point.quality), cost_per_1k: r(point.cost_per_1k) })),
        log_loss: r(ceiling.log_loss),
        mean_only_log_loss: r(ceiling.mean_only_log_loss),
        aiq: aiqOf(ceilingPoints),
        at_best_single_quality: reaching(ceilingPoints).map(({ budget_per_1k: _budget, ...entry }) => entry),
      },
    },
    cumulative_regret: {
      lambda: DEFAULT_LAMBDA,
      algorithm: defaultAlgorithm,
      best_fixed_model: regret.bestModel,
      utility: `score − ${DEFAULT_LAMBDA} × cost / ${r(regret.costReference, 8)} USD (the priciest model's mean cost per prompt)`,
      total: r(regret.total, 4),
      per_prompt: r(regret.total / online, 6),
      series: regret.series,
      by_algorithm: regretByAlgorithm,
    },
    runtime_ms: Math.round(performance.now() - started),
    cpu_ms: (() => {
      const used = process.cpuUsage(cpuStarted);
      return Math.round((used.user + used.system) / 1000);
    })(),
  };
}
