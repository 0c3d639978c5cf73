/**
 * The replay protocol, run through the real optimizer and the router's selection code.
 *
 * How it works: the prompts are shuffled with the seed. The first `warmStartFraction` of them
 * are revealed in full — every model's score and token counts — as an uploaded eval would
 * be: they become per-model eval statistics (`EvalStat`) and, for the contextual algorithm,
 * graded training items. `buildPolicy` turns that into the first policy. Then, online, each
 * remaining prompt is featurized, the router's `requestWeights` (base Thompson weights moved
 * by the contextual scores) gives the distribution and `drawModel` picks one model with a
 * seeded uniform number; only that model's score, tokens and cost are revealed and recorded
 * as live outcomes (score as a judge grade). Every `republishEvery` prompts the optimizer
 * rebuilds the policy from all evidence so far with the previous policy as parent, as the
 * scheduled `optimize` job would. Quality and cost are averaged over the online prompts, both as
 * the expectation over the policy's distribution (every model's outcome is known, so the draw's
 * own noise need not enter the measure) and as realized by the drawn models.
 */
import type { EvalStat, LiveStat, OptimizerConfig, RouteConfig } from '@switchyard/core';
import { drawModel, featurize, requestWeights, type FeatureSpec, type PolicyDocument, type PromptFeatures } from '@switchyard/policy';
import { buildPolicy, DEFAULT_TUNING, type ContextualTrainingItem, type OptimizerTuning } from '../build-policy';
import type { ModelInput } from '../evidence';
import { createRandom, shuffleInPlace } from '../random';
import type { ReplayLine, ReplayModel } from './data';

export const REPLAY_CATEGORY = 'general';
export const REPLAY_ROUTE = 'replay';

/** A bench prepared once (shuffled, featurized, matrices) and replayed for many settings. */
export interface PreparedBench {
  names: string[];
  models: ModelInput[];
  prompts: ReplayLine[];
  features: PromptFeatures[];
  warmCount: number;
  /** score[p * M + m] */
  score: Float64Array;
  cost: Float64Array;
  inputTokens: Float64Array;
  outputTokens: Float64Array;
  spec: FeatureSpec;
}

export function prepareBench(
  lines: readonly ReplayLine[],
  priceList: readonly ReplayModel[],
  options: { seed: number; warmStartFraction: number; spec?: FeatureSpec },
): PreparedBench {
  const spec = options.spec ?? DEFAULT_TUNING.featureSpec;
  const prices = new Map(priceList.map((entry) => [entry.model, entry]));
  const first = lines[0];
  if (!first) throw new RangeError('the bench has no prompts');
  const names = Object.keys(first.outcomes)
    .filter((name) => prices.has(name) && lines.every((line) => line.outcomes[name] !== undefined))
    .sort();
  if (names.length < 2) throw new RangeError('the bench needs at least two priced models present on every line');
  const models: ModelInput[] = names.map((name) => {
    const price = prices.get(name) as ReplayModel;
    return {
      id: `${price.provider.toLowerCase()}/${name}`,
      price: { inputPerMTok: price.input_usd_per_mtok, outputPerMTok: price.output_usd_per_mtok },
      enabled: true,
    };
  });
  const prompts = shuffleInPlace([...lines], createRandom(options.seed));
  const count = names.length;
  const score = new Float64Array(prompts.length * count);
  const cost = new Float64Array(prompts.length * count);
  const inputTokens = new Float64Array(prompts.length * count);
  const outputTokens = new Float64Array(prompts.length * count);
  prompts.forEach((line, p) => {
    names.forEach((name, m) => {
      const outcome = line.outcomes[name] as { score: number; input_tokens: number; output_tokens: number };
      const price = (models[m] as ModelInput).price;
      const cell = p * count + m;
      score[cell] = outcome.score;
      inputTokens[cell] = outcome.input_tokens;
      outputTokens[cell] = outcome.output_tokens;
      cost[cell] = (outcome.input_tokens * price.inputPerMTok + outcome.output_tokens * price.outputPerMTok) / 1e6;
    });
  });
  const warmCount = Math.min(prompts.length - 1, Math.max(0, Math.round(options.warmStartFraction * prompts.length)));
  return {
    names,
    models,
    prompts,
    features: prompts.map((line) => featurize(line.prompt, spec)),
    warmCount,
    score,
    cost,
    inputTokens,
    outputTokens,
    spec,
  };
}

/** Each model's mean cost per 1,000 prompts on the warm-start prompts (what is known before going online). */
export function warmStartCostsPer1k(bench: PreparedBench): number[] {
  const count = bench.names.length;
  return bench.names.map((_name, m) => {
    let cost = 0;
    for (let p = 0; p < bench.warmCount; p += 1) cost += bench.cost[p * count + m] as number;
    return bench.warmCount > 0 ? (cost / bench.warmCount) * 1000 : 0;
  });
}

export interface ReplayRunOptions {
  algorithm: OptimizerConfig['algorithm'];
  lambdaCost: number;
  /** The route's average budget per 1,000 prompts (USD), if any. */
  budgetPer1k?: number;
  seed: number;
  republishEvery: number;
  settings: OptimizerConfig;
  tuning?: Partial<OptimizerTuning>;
}

export interface ReplayRun {
  /**
   * Expected quality over the online prompts: per prompt, the policy's distribution times every
   * model's recorded score. The replay knows every model's outcome, so the policy's own
   * randomization need not add noise to its measure; single models and frontier mixing are
   * exact expectations too.
   */
  quality: number;
  /** Expected cost per 1,000 prompts, as `quality`. */
  costPer1k: number;
  /** Mean score of the models actually drawn (what one run of the traffic would have seen). */
  realizedQuality: number;
  realizedCostPer1k: number;
  /** Per online prompt: the expected quality and cost (USD) that `quality` and `costPer1k` average. */
  expectedByPrompt: { quality: Float64Array; cost: Float64Array };
  /** Model index chosen for each online prompt. */
  choices: Int32Array;
  publishes: number;
  finalPolicy: PolicyDocument;
}

/** Replay the online part of `bench` under one setting. */
export function runReplay(bench: PreparedBench, options: ReplayRunOptions): ReplayRun {
  const count = bench.names.length;
  const now = new Date('2026-11-21T00:00:00.000Z');
  const route: RouteConfig = {
    name: REPLAY_ROUTE,
    candidates: bench.models.map((model) => model.id),
    objective: { quality: 1, cost: options.lambdaCost, latency: 0 },
    constraints: options.budgetPer1k === undefined ? {} : { budgetPer1kUsd: options.budgetPer1k },
  };
  const settings: OptimizerConfig = { ...options.settings, algorithm: options.algorithm };
  const evalStats: EvalStat[] = [];
  const contextualItems: ContextualTrainingItem[] = [];
  for (let m = 0; m < count; m += 1) {
    let scoreSum = 0;
    let inputSum = 0;
    let outputSum = 0;
    for (let p = 0; p < bench.warmCount; p += 1) {
      const cell = p * count + m;
      scoreSum += bench.score[cell] as number;
      inputSum += bench.inputTokens[cell] as number;
      outputSum += bench.outputTokens[cell] as number;
      if (options.algorithm === 'contextual') {
        contextualItems.push({ category: REPLAY_CATEGORY, model: (bench.models[m] as ModelInput).id, score: bench.score[cell] as number, features: bench.features[p] as PromptFeatures });
      }
    }
    if (bench.warmCount > 0) {
      evalStats.push({
        model: (bench.models[m] as ModelInput).id,
        category: REPLAY_CATEGORY,
        n: bench.warmCount,
        meanScore: scoreSum / bench.warmCount,
        meanInputTokens: inputSum / bench.warmCount,
        meanOutputTokens: outputSum / bench.warmCount,
        source: 'eval:warm-start',
      });
    }
  }
  const live = bench.models.map((model) => ({
    model: model.id,
    category: REPLAY_CATEGORY,
    at: now,
    requests: 0,
    errors: 0,
    judgeCount: 0,
    judgeSum: 0,
    inputTokensSum: 0,
    outputTokensSum: 0,
  }));
  let publishes = 0;
  const build = (parent: PolicyDocument | null): PolicyDocument => {
    publishes += 1;
    const liveStats: LiveStat[] = live.filter((entry) => entry.requests > 0).map((entry) => ({ ...entry }));
    return buildPolicy({
      routes: [route],
      models: bench.models,
      evalStats,
      liveStats,
      probeStats: [],
      contextualItems,
      parent,
      settings,
      now,
      seed: options.seed * 1000 + publishes,
      ...(options.tuning ? { tuning: options.tuning } : {}),
    });
  };
  let policy = build(null);
  const random = createRandom(`${options.seed}:select`);
  const indexById = new Map(bench.models.map((model, index) => [model.id, index]));
  const online = bench.prompts.length - bench.warmCount;
  const choices = new Int32Array(online);
  let qualitySum = 0;
  let costSum = 0;
  const expectedQuality = new Float64Array(online);
  const expectedCost = new Float64Array(online);
  for (let t = 0; t < online; t += 1) {
    const p = bench.warmCount + t;
    const category = policy.routes[REPLAY_ROUTE]?.categories[REPLAY_CATEGORY];
    if (!category) throw new Error('the policy has no replay route');
    const weights = requestWeights(category, bench.features[p] as PromptFeatures);
    let weightTotal = 0;
    for (const entry of weights) weightTotal += entry.weight;
    let promptQuality = 0;
    let promptCost = 0;
    for (const entry of weights) {
      const cell = p * count + (indexById.get(entry.model) as number);
      promptQuality += (entry.weight / weightTotal) * (bench.score[cell] as number);
      promptCost += (entry.weight / weightTotal) * (bench.cost[cell] as number);
    }
    expectedQuality[t] = promptQuality;
    expectedCost[t] = promptCost;
    const chosen = drawModel(weights, random.next()) as string;
    const m = indexById.get(chosen) as number;
    choices[t] = m;
    const cell = p * count + m;
    const score = bench.score[cell] as number;
    qualitySum += score;
    costSum += bench.cost[cell] as number;
    const entry = live[m] as (typeof live)[number];
    entry.requests += 1;
    entry.judgeCount += 1;
    entry.judgeSum += score;
    entry.inputTokensSum += bench.inputTokens[cell] as number;
    entry.outputTokensSum += bench.outputTokens[cell] as number;
    if (options.algorithm === 'contextual') {
      contextualItems.push({ category: REPLAY_CATEGORY, model: chosen, score, features: bench.features[p] as PromptFeatures });
    }
    if ((t + 1) % options.republishEvery === 0 && t + 1 < online) policy = build(policy);
  }
  return {
    quality: expectedQuality.reduce((sum, value) => sum + value, 0) / online,
    costPer1k: (expectedCost.reduce((sum, value) => sum + value, 0) / online) * 1000,
    realizedQuality: qualitySum / online,
    realizedCostPer1k: (costSum / online) * 1000,
    expectedByPrompt: { quality: expectedQuality, cost: expectedCost },
    choices,
    publishes,
    finalPolicy: policy,
  };
}
