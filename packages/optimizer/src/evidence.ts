/**
 * Evidence model: what the optimizer believes about each (model, category).
 *
 * How it works:
 * - Quality is a Beta posterior. It starts at Beta(1, 1). An offline eval result of `n`
 *   items with mean score `s` adds `m·s` successes and `m·(1 − s)` failures with
 *   `m = min(n, evalPriorSamples)`: evals are an informative prior worth at most
 *   `evalPriorSamples` live observations, so live evidence overrides them as it accumulates.
 *   A category without its own eval borrows the model's pooled eval mean at a fifth of that
 *   weight (`general` uses the pooled eval at full weight).
 * - Live quality signals (explicit feedback scores and LLM-judge scores, both in [0, 1]) add
 *   `Σ w·score` successes and `Σ w·(1 − score)` failures, where `w = 0.5^(age / halfLife)`
 *   decays old evidence so a model that degrades is noticed.
 * - Reliability is a second Beta posterior over the error rate (errors and timeouts count as
 *   quality 0): decayed errors vs decayed requests, pooled over categories (failures are a
 *   property of the model/provider, not of the task). Expected quality = (1 − error rate) ·
 *   quality.
 * - Latency comes from probe distributions (TTFT and total latency p50/p95).
 * - Expected cost per request = price × typical token counts: the model's own mean tokens on
 *   that category (evals, then live), else the category's mean across models, else
 *   400 input / 300 output tokens.
 */
import { costUsd, DEFAULT_CATEGORY, type EvalStat, type LiveStat, type Price, type ProbeStat } from '@switchyard/core';

/** A model the optimizer may route to. */
export interface ModelInput {
  id: string;
  price: Price;
  contextWindow?: number;
  capabilities?: Record<string, boolean>;
  enabled: boolean;
}


/** Everything the optimizer learns from; every list may be empty. */
export interface EvidenceInput {
  evalStats: EvalStat[];
  liveStats: LiveStat[];
  probeStats: ProbeStat[];
}

export interface EvidenceSettings {
  halfLifeHours: number;
  evalPriorSamples: number;
}

/** What the optimizer believes about one (model, category). */
export interface ModelBelief {
  model: string;
  category: string;
  qualityAlpha: number;
  qualityBeta: number;
  errorAlpha: number;
  errorBeta: number;
  /** Posterior mean of quality (before errors). */
  qualityMean: number;
  errorRate: number;
  /** (1 − errorRate) · qualityMean. */
  expectedQuality: number;
  inputTokens: number;
  outputTokens: number;
  costPerRequestUsd: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  evalSamples: number;
  liveSamples: number;
  feedbackSamples: number;
  probeSamples: number;
  sources: string[];
}

export const DEFAULT_INPUT_TOKENS = 400;
export const DEFAULT_OUTPUT_TOKENS = 300;

/** Weight of evidence `ageHours` old: 0.5^(age / halfLife); future timestamps weigh 1. */
export function decayWeight(ageHours: number, halfLifeHours: number): number {
  if (!(ageHours > 0)) return 1;
  return Math.pow(0.5, ageHours / halfLifeHours);
}

function timeOf(value: Date | string | number): number {
  return value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
}

interface Accumulator {
  evalN: number;
  evalScoreSum: number;
  evalInputSum: number;
  evalOutputSum: number;
  evalTokenN: number;
  liveRequests: number;
  liveErrors: number;
  qualityN: number;
  qualitySum: number;
  feedbackN: number;
  liveInputSum: number;
  liveOutputSum: number;
  sources: Set<string>;
}

function emptyAccumulator(): Accumulator {
  return {
    evalN: 0,
    evalScoreSum: 0,
    evalInputSum: 0,
    evalOutputSum: 0,
    evalTokenN: 0,
    liveRequests: 0,
    liveErrors: 0,
    qualityN: 0,
    qualitySum: 0,
    feedbackN: 0,
    liveInputSum: 0,
    liveOutputSum: 0,
    sources: new Set(),
  };
}

/**
 * Beliefs per model for each requested category (plus `general`), from the evidence.
 * `now` sets the age of live evidence.
 */
export class EvidenceModel {
  private readonly byKey = new Map<string, Accumulator>();
  private readonly byModel = new Map<string, Accumulator>();
  private readonly probes = new Map<string, ProbeStat>();
  private readonly categoryTokens = new Map<string, { input: number; output: number; n: number }>();

  constructor(
    evidence: EvidenceInput,
    private readonly settings: EvidenceSettings,
    now: Date,
  ) {
    const nowMs = now.getTime();
    const get = (map: Map<string, Accumulator>, key: string): Accumulator => {
      let accumulator = map.get(key);
      if (!accumulator) {
        accumulator = emptyAccumulator();
        map.set(key, accumulator);
      }
      return accumulator;
    };
    // Categories some eval dataset defines: live quality graded there stays there (see below).
    const evalCategories = new Set<string>();
    for (const stat of evidence.evalStats) {
      if (!(stat.n > 0)) continue;
      evalCategories.add(stat.category);
      const score = Math.min(1, Math.max(0, stat.meanScore));
      for (const accumulator of [get(this.byKey, `${stat.model}\u0000${stat.category}`), get(this.byModel, stat.model)]) {
        accumulator.evalN += stat.n;
        accumulator.evalScoreSum += stat.n * score;
        if (stat.meanInputTokens != null && stat.meanOutputTokens != null) {
          accumulator.evalInputSum += stat.n * stat.meanInputTokens;
          accumulator.evalOutputSum += stat.n * stat.meanOutputTokens;
          accumulator.evalTokenN += stat.n;
        }
        accumulator.sources.add(stat.source ?? 'eval');
      }
      if (stat.meanInputTokens != null && stat.meanOutputTokens != null) {
        const tokens = this.categoryTokens.get(stat.category) ?? { input: 0, output: 0, n: 0 };
        tokens.input += stat.n * stat.meanInputTokens;
        tokens.output += stat.n * stat.meanOutputTokens;
        tokens.n += stat.n;
        this.categoryTokens.set(stat.category, tokens);
      }
    }
    for (const stat of evidence.liveStats) {
      const ageHours = (nowMs - timeOf(stat.at)) / 3_600_000;
      const weight = decayWeight(ageHours, settings.halfLifeHours);
      const own = get(this.byKey, `${stat.model}\u0000${stat.category}`);
      for (const accumulator of [own, get(this.byModel, stat.model)]) {
        accumulator.liveRequests += weight * stat.requests;
        accumulator.liveErrors += weight * Math.min(stat.errors, stat.requests);
        const feedbackCount = stat.feedbackCount ?? 0;
        const judgeCount = stat.judgeCount ?? 0;
        // Live grades follow the routing: a math specialist is graded on the math it was sent.
        // Pooled into `general` they would rate it on everything, so only grades of general (or
        // unknown-category) requests count there; errors, latency and tokens are model-wide.
        if (accumulator === own || stat.category === DEFAULT_CATEGORY || !evalCategories.has(stat.category)) {
          accumulator.qualityN += weight * (feedbackCount + judgeCount);
          accumulator.qualitySum += weight * ((stat.feedbackSum ?? 0) + (stat.judgeSum ?? 0));
          accumulator.feedbackN += weight * feedbackCount;
        }
        if (stat.inputTokensSum != null && stat.outputTokensSum != null) {
          accumulator.liveInputSum += weight * stat.inputTokensSum;
          accumulator.liveOutputSum += weight * stat.outputTokensSum;
        }
        if (stat.requests > 0) accumulator.sources.add('live');
        if (feedbackCount > 0) accumulator.sources.add('feedback');
        if (judgeCount > 0) accumulator.sources.add('judge');
      }
    }
    for (const probe of evidence.probeStats) this.probes.set(probe.model, probe);
  }

  /**
   * Categories some eval dataset defines, plus `general`. Live outcomes only add to categories
   * that exist: a request's category hint is the client's word, and a client inventing names
   * must not grow the policy (its outcomes still count, pooled, in `general`).
   */
  categories(): string[] {
    const out = new Set<string>(['general']);
    for (const [key, accumulator] of this.byKey) if (accumulator.evalN > 0) out.add(key.slice(key.indexOf('\u0000') + 1));
    return [...out].sort();
  }

  /** Belief about `model` on `category` (`general` pools every category). */
  belief(model: ModelInput, category: string): ModelBelief {
    const pooled = this.byModel.get(model.id) ?? emptyAccumulator();
    const own = category === 'general' ? pooled : (this.byKey.get(`${model.id}\u0000${category}`) ?? emptyAccumulator());
    const cap = this.settings.evalPriorSamples;
    let alpha = 1;
    let beta = 1;
    let evalSamples = 0;
    if (own.evalN > 0) {
      const mean = own.evalScoreSum / own.evalN;
      evalSamples = Math.min(own.evalN, cap);
      alpha += evalSamples * mean;
      beta += evalSamples * (1 - mean);
    } else if (pooled.evalN > 0) {
      const mean = pooled.evalScoreSum / pooled.evalN;
      evalSamples = Math.min(pooled.evalN, cap / 5);
      alpha += evalSamples * mean;
      beta += evalSamples * (1 - mean);
    }
    const qualitySum = Math.min(own.qualitySum, own.qualityN);
    alpha += qualitySum;
    beta += own.qualityN - qualitySum;

    const probe = this.probes.get(model.id);
    let errorAlpha = 0.1 + pooled.liveErrors;
    let errorBeta = 9.9 + (pooled.liveRequests - pooled.liveErrors);
    if (probe?.errorRate != null && probe.n > 0) {
      const probeWeight = Math.min(probe.n, 20);
      errorAlpha += probeWeight * probe.errorRate;
      errorBeta += probeWeight * (1 - probe.errorRate);
    }
    // A model never seen failing is assumed reliable, not 10 % broken.
    const errorRate = pooled.liveRequests + (probe?.n ?? 0) > 0 ? errorAlpha / (errorAlpha + errorBeta) : 0;
    const qualityMean = alpha / (alpha + beta);

    let inputTokens = DEFAULT_INPUT_TOKENS;
    let outputTokens = DEFAULT_OUTPUT_TOKENS;
    const categoryTokens = category === 'general' ? undefined : this.categoryTokens.get(category);
    if (own.evalTokenN > 0) {
      inputTokens = own.evalInputSum / own.evalTokenN;
      outputTokens = own.evalOutputSum / own.evalTokenN;
    } else if (own.liveRequests > 0 && own.liveInputSum + own.liveOutputSum > 0) {
      inputTokens = own.liveInputSum / own.liveRequests;
      outputTokens = own.liveOutputSum / own.liveRequests;
    } else if (categoryTokens && categoryTokens.n > 0) {
      inputTokens = categoryTokens.input / categoryTokens.n;
      outputTokens = categoryTokens.output / categoryTokens.n;
    }
    const sources = [...own.sources];
    if (probe && probe.n > 0) sources.push('probe');
    return {
      model: model.id,
      category,
      qualityAlpha: alpha,
      qualityBeta: beta,
      errorAlpha,
      errorBeta,
      qualityMean,
      errorRate,
      expectedQuality: (1 - errorRate) * qualityMean,
      inputTokens,
      outputTokens,
      costPerRequestUsd: costUsd(model.price, { promptTokens: inputTokens, completionTokens: outputTokens }),
      ttftP50Ms: probe?.ttftP50Ms ?? null,
      ttftP95Ms: probe?.ttftP95Ms ?? null,
      latencyP50Ms: probe?.latencyP50Ms ?? null,
      latencyP95Ms: probe?.latencyP95Ms ?? null,
      evalSamples,
      liveSamples: own.liveRequests,
      feedbackSamples: own.feedbackN,
      probeSamples: probe?.n ?? 0,
      sources: sources.sort(),
    };
  }

  /** Whether any quality evidence (eval or graded live) exists for the model on the category. */
  hasQualityEvidence(belief: ModelBelief): boolean {
    return belief.evalSamples > 0 || belief.qualityAlpha + belief.qualityBeta > 2 + 1e-9;
  }
}
