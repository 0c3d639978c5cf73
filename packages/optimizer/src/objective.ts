/**
 * The objective of a route and its hard constraints.
 *
 * How it works: utility = w_q·quality − λ_cost·cost_n − λ_latency·latency_n, with
 * `w_q, λ_cost, λ_latency` from the route's `objective`. Normalization makes the λs
 * comparable across routes and model catalogs:
 * - cost_n = expected cost per request / the highest expected cost per request among the
 *   route's eligible models on that category (so cost_n ∈ [0, 1]; the priciest model pays
 *   the full λ_cost, a model at a tenth of its cost pays a tenth);
 * - latency_n = p50 latency / the highest p50 latency among eligible models with probe data
 *   (a model without latency data gets the mean of the known ones, i.e. no advantage and no
 *   penalty relative to the average; no data at all → 0).
 * Quality is in [0, 1] (share of graded items passed). Constraints are filters applied
 * before any weighting, each exclusion carrying a human-readable reason; a model whose
 * quality is unknown is never excluded by `minQuality`.
 */
import { blendedPricePerMTok, type Constraints, type Objective } from '@switchyard/core';
import type { ModelBelief, ModelInput } from './evidence';

export interface NormalizationReference {
  /** Highest expected cost per request among eligible models (USD). */
  costUsd: number;
  /** Highest p50 latency among eligible models with data (ms), or null. */
  latencyMs: number | null;
  /** Mean p50 latency among eligible models with data (ms), or null. */
  meanLatencyMs: number | null;
}

export function normalizationReference(beliefs: readonly ModelBelief[]): NormalizationReference {
  let costUsd = 0;
  let latencyMs: number | null = null;
  let latencySum = 0;
  let latencyCount = 0;
  for (const belief of beliefs) {
    costUsd = Math.max(costUsd, belief.costPerRequestUsd);
    const latency = belief.latencyP50Ms ?? belief.ttftP50Ms;
    if (latency != null) {
      latencyMs = Math.max(latencyMs ?? 0, latency);
      latencySum += latency;
      latencyCount += 1;
    }
  }
  return { costUsd, latencyMs, meanLatencyMs: latencyCount > 0 ? latencySum / latencyCount : null };
}

/** Cost and latency part of the utility (what `quality` must pay for), in quality units. */
export function utilityPenalty(objective: Objective, belief: ModelBelief, reference: NormalizationReference): number {
  const costN = reference.costUsd > 0 ? belief.costPerRequestUsd / reference.costUsd : 0;
  const latency = belief.latencyP50Ms ?? belief.ttftP50Ms ?? reference.meanLatencyMs;
  const latencyN = latency != null && reference.latencyMs ? latency / reference.latencyMs : 0;
  return objective.cost * costN + objective.latency * latencyN;
}

/** utility = w_q·quality − penalty. */
export function utility(objective: Objective, quality: number, penalty: number): number {
  return objective.quality * quality - penalty;
}

export interface Exclusion {
  model: string;
  reason: string;
  /** The category the exclusion holds in, when not the whole route. */
  category?: string;
}

function usd(value: number): string {
  return value >= 0.01 ? `$${value.toFixed(4)}` : `$${value.toPrecision(2)}`;
}

/**
 * The first constraint `model` violates, as a sentence, or null when it is eligible.
 * `hasQualityEvidence` guards `minQuality` (unknown quality is not a violation).
 */
export function constraintViolation(
  constraints: Constraints,
  model: ModelInput,
  belief: ModelBelief,
  hasQualityEvidence: boolean,
): string | null {
  if (!model.enabled) return 'disabled';
  if (constraints.maxCostPerMTok !== undefined) {
    const blended = blendedPricePerMTok(model.price);
    if (blended > constraints.maxCostPerMTok) {
      return `blended price $${blended.toFixed(2)}/MTok exceeds the route's maxCostPerMTok $${constraints.maxCostPerMTok}`;
    }
  }
  if (constraints.maxCostPerRequestUsd !== undefined && belief.costPerRequestUsd > constraints.maxCostPerRequestUsd) {
    return `expected cost ${usd(belief.costPerRequestUsd)} per request exceeds the route's maxCostPerRequestUsd ${usd(constraints.maxCostPerRequestUsd)}`;
  }
  if (constraints.maxTtftMs !== undefined) {
    const ttft = belief.ttftP95Ms ?? belief.ttftP50Ms;
    if (ttft != null && ttft > constraints.maxTtftMs) {
      return `time to first token ${Math.round(ttft)} ms (${belief.ttftP95Ms != null ? 'p95' : 'p50'}) exceeds the route's maxTtftMs ${constraints.maxTtftMs} ms`;
    }
  }
  if (constraints.minQuality !== undefined && hasQualityEvidence && belief.expectedQuality < constraints.minQuality) {
    return `expected quality ${belief.expectedQuality.toFixed(3)} is below the route's minQuality ${constraints.minQuality}`;
  }
  return null;
}
