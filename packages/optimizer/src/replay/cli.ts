/**
 * `npm run replay -- --bench <file.jsonl> --models <models.json> [--seed 1 | --seeds 1-8] [--warm-start 0.1]
 *  [--out report.json] [--republish-every 50] [--lambdas 0,0.1,1] [--algorithms thompson,contextual]
 *  [--floor 0.001] [--budget-points 16]`
 * Replays a recorded routing dataset through the optimizer and writes the JSON report and an
 * SVG plot next to it (`<out>.svg`). With `--seeds`, replays it once per seed and writes the
 * summary across seeds instead (seeds.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { parseReplayLines, parseReplayModels } from './data';
import { renderReplayPlot } from './plot';
import { ALGORITHMS, DEFAULT_BUDGET_POINTS, DEFAULT_LAMBDAS, runReplayBenchmark, type ReplayAlgorithm, type ReplayReport } from './report';
import { parseSeeds, seedRow, summarizeSeeds } from './seeds';

const { values } = parseArgs({
  options: {
    bench: { type: 'string' },
    models: { type: 'string' },
    seed: { type: 'string' },
    seeds: { type: 'string' },
    'warm-start': { type: 'string', default: '0.1' },
    out: { type: 'string' },
    'republish-every': { type: 'string', default: '50' },
    lambdas: { type: 'string' },
    algorithms: { type: 'string' },
    floor: { type: 'string', default: '0.001' },
    'budget-points': { type: 'string', default: String(DEFAULT_BUDGET_POINTS) },
  },
});

function fail(message: string): never {
  console.error(`replay: ${message}`);
  process.exit(2);
}

if (!values.bench || !values.models) fail('--bench <file.jsonl> and --models <models.json> are required');
if (values.seed !== undefined && values.seeds !== undefined) fail('--seed and --seeds cannot be used together');
const seed = Number(values.seed ?? 1);
const warmStart = Number(values['warm-start']);
const republishEvery = Number(values['republish-every']);
const floor = Number(values.floor);
const budgetPoints = Number(values['budget-points']);
if (!Number.isInteger(seed)) fail('--seed must be an integer');
let seeds: number[] | null = null;
try {
  seeds = values.seeds === undefined ? null : parseSeeds(values.seeds);
} catch (error) {
  fail(`--seeds: ${(error as Error).message}`);
}
if (!(warmStart >= 0 && warmStart < 1)) fail('--warm-start must be in [0, 1)');
if (!(Number.isInteger(republishEvery) && republishEvery > 0)) fail('--republish-every must be a positive integer');
if (!(floor >= 0 && floor <= 0.2)) fail('--floor must be in [0, 0.2]');
if (!(Number.isInteger(budgetPoints) && budgetPoints >= 0 && budgetPoints <= 100)) fail('--budget-points must be an integer in [0, 100]');
const lambdas = values.lambdas ? values.lambdas.split(',').map(Number) : DEFAULT_LAMBDAS;
if (lambdas.some((lambda) => !(lambda >= 0))) fail('--lambdas must be non-negative numbers');
const algorithms = (values.algorithms ? values.algorithms.split(',') : [...ALGORITHMS]) as ReplayAlgorithm[];
if (algorithms.some((algorithm) => !ALGORITHMS.includes(algorithm))) fail(`--algorithms must be among ${ALGORITHMS.join(', ')}`);

const benchPath: string = values.bench;
const lines = parseReplayLines(readFileSync(benchPath, 'utf8'));
const priceList = parseReplayModels(readFileSync(values.models, 'utf8'));
const replay = (seedOfRun: number): ReplayReport =>
  runReplayBenchmark(lines, priceList, {
    bench: basename(benchPath),
    seed: seedOfRun,
    warmStartFraction: warmStart,
    republishEvery,
    lambdas,
    budgetPoints,
    algorithms,
    settings: { explorationFloor: floor },
  });
const signed = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;
const percent = (ratio: number | null): string => (ratio === null ? 'not reached' : `${(ratio * 100).toFixed(1)}%`);

function emit(json: string): void {
  if (!values.out) {
    process.stdout.write(json);
    return;
  }
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, json);
}

if (seeds) {
  const reports = seeds.map((seedOfRun) => {
    const report = replay(seedOfRun);
    const row = seedRow(report);
    const [low, high] = row.policy_minus_frontier_ci95;
    console.error(
      `replay ${report.bench} seed ${seedOfRun}: AIQ policy ${row.policy_aiq.toFixed(4)} vs frontier ${row.frontier_mixing_aiq.toFixed(4)} ` +
        `(${signed(row.policy_minus_frontier)}, 95% ${signed(low)} to ${signed(high)}); ` +
        `99%: policy ${percent(row.cost_ratio_at_99.policy)}, prompt-blind mixing ${percent(row.cost_ratio_at_99.frontier_mixing)}, ` +
        `ceiling ${percent(row.cost_ratio_at_99.ceiling)} (${report.runtime_ms} ms)`,
    );
    return report;
  });
  const summary = summarizeSeeds(reports);
  emit(`${JSON.stringify(summary, null, 2)}\n`);
  const met = summary.seeds_meeting;
  console.error(
    `replay ${summary.bench}, ${seeds.length} seeds: mean AIQ policy ${summary.mean.policy_aiq.toFixed(4)} vs frontier ${summary.mean.frontier_mixing_aiq.toFixed(4)} ` +
      `(${signed(summary.mean.policy_minus_frontier)}); policy above frontier on ${met.policy_aiq_above_frontier}, within the prompts' noise on ${met.interval_includes_zero}; ` +
      `99% at <= 30% of the best single model's cost: policy ${met.policy_99_at_30_percent}, prompt-blind mixing ${met.frontier_mixing_99_at_30_percent}, ceiling ${met.ceiling_99_at_30_percent}` +
      (values.out ? `; wrote ${values.out}` : ''),
  );
} else {
  const report = replay(seed);
  emit(`${JSON.stringify(report, null, 2)}\n`);
  if (values.out) {
    const svgPath = values.out.replace(/\.json$/, '') + '.svg';
    writeFileSync(svgPath, await renderReplayPlot(report));
    console.error(`replay: wrote ${values.out} and ${svgPath} in ${report.runtime_ms} ms (${report.cpu_ms} ms CPU)`);
  }
  const best = report.baselines.best_single;
  const reached = (entries: ReadonlyArray<{ target: number; cost_ratio_vs_best_single: number | null }>): string =>
    entries.map((entry) => `${entry.target * 100}%: ${entry.cost_ratio_vs_best_single === null ? 'not reached' : `${percent(entry.cost_ratio_vs_best_single)} of its cost`}`).join('; ');
  const difference = report.aiq.policy_minus_frontier;
  console.error(
    `replay ${report.bench}: AIQ policy(${report.default_algorithm}) ${report.aiq.policy.toFixed(4)} vs frontier ${report.aiq.frontier_mixing.toFixed(4)} ` +
      `(difference ${signed(difference.value)}, 95% bootstrap over prompts ${signed(difference.ci95[0])} to ${signed(difference.ci95[1])}; ` +
      `warm start alone ${report.aiq.warm_start_only?.toFixed(4) ?? 'n/a'}; oracle ${report.aiq.oracle.toFixed(4)}); ` +
      `best single ${best.model} q=${best.quality.toFixed(4)} $${best.cost_per_1k.toFixed(4)}/1k; ` +
      reached(report.at_best_single_quality) +
      `; mixing single models without reading the prompt: ${reached(report.frontier_mixing_at_best_single_quality)}` +
      `; with the budget sweep: AIQ ${report.aiq.policy_with_budgets.toFixed(4)}, ${reached(report.at_best_single_quality_with_budgets)}` +
      `; ceiling (contextual, full information): AIQ ${report.ceiling.contextual_full_information.aiq.toFixed(4)}, ${reached(report.ceiling.contextual_full_information.at_best_single_quality)}`,
  );
}
