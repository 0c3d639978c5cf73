/**
 * Training the contextual policy: which model does well on *this* prompt?
 *
 * How it works: an item-response-theory model with a learned, feature-based difficulty.
 * For a prompt with feature vector x (a length bucket, numeric and line counts, hashed word
 * n-grams — see `featureCount` in @switchyard/policy), the probability that model m answers
 * well is σ(a_m + u_m·x_dense + b_m · (w·x)): `a_m` is the model's ability, `u_m` its own
 * response to the few dense length/shape features (some models fall off on long prompts
 * faster than others), `w·x` the prompt's easiness shared by every model and `b_m` how
 * strongly the model's success depends on it.
 * Because `w` is shared, every outcome of every model teaches it (the full-information
 * eval/warm-start items and the one-model-per-prompt live outcomes alike), which is what
 * makes it learnable from a few hundred prompts; a per-model linear model over thousands of
 * hashed features would not be. It is fitted by stochastic gradient descent on the
 * (weighted) logistic loss with AdaGrad steps, L2 on w and b pulled toward 1, in a seeded
 * order. Refits start from the previous policy's coefficients when the feature layout
 * matches, so the model is updated online between publishes rather than relearned.
 * The result is stored in the policy as `contextual` (kind `irt-logistic`): the router
 * evaluates σ(bias_m + discrimination_m · shared·x) − penalty_m in microseconds.
 */
import { denseFeatureCount, featureCount, forEachLinearFeature, type ContextualPolicy, type FeatureSpec, type PromptFeatures } from '@switchyard/policy';
import type { Random } from './random';

/** One graded outcome of one model on one prompt. */
export interface ContextualObservation {
  /** Featurized prompt (from `featurize(text, spec)`; do not reuse the holder across prompts). */
  features: PromptFeatures;
  model: string;
  /** Quality in [0, 1]. */
  score: number;
  /** Evidence weight (decay), default 1. */
  weight?: number;
}

export interface ContextualFit {
  spec: FeatureSpec;
  models: string[];
  ability: number[];
  /** Per model, weights over the dense features (length denseFeatureCount(spec)). */
  dense: number[][];
  discrimination: number[];
  shared: number[];
  observations: number;
}

export interface ContextualTrainingOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 on the shared difficulty weights (strong: hashed n-grams overfit easily). */
  l2?: number;
  /** L2 on the per-model dense weights. */
  denseL2?: number;
  random: Random;
  /** Previous coefficients to continue from (same spec). */
  init?: ContextualPolicy;
}

interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

const compiled = new WeakMap<PromptFeatures, SparseVector>();

function compile(features: PromptFeatures, spec: FeatureSpec): SparseVector {
  let vector = compiled.get(features);
  if (!vector) {
    const indices: number[] = [];
    const values: number[] = [];
    forEachLinearFeature(features, spec, (index, value) => {
      indices.push(index);
      values.push(value);
    });
    vector = { indices: Int32Array.from(indices), values: Float64Array.from(values) };
    compiled.set(features, vector);
  }
  return vector;
}

function logit(p: number): number {
  const clamped = Math.min(0.995, Math.max(0.005, p));
  return Math.log(clamped / (1 - clamped));
}

/** Fit the IRT-logistic contextual model on `observations` for `models`. */
export function trainContextual(
  observations: readonly ContextualObservation[],
  models: readonly string[],
  spec: FeatureSpec,
  options: ContextualTrainingOptions,
): ContextualFit {
  const size = featureCount(spec);
  const modelIndex = new Map(models.map((model, index) => [model, index]));
  const rows = observations.filter((row) => modelIndex.has(row.model));
  const ability = new Array<number>(models.length).fill(0);
  const discrimination = new Array<number>(models.length).fill(1);
  const shared = new Float64Array(size);
  const denseSize = denseFeatureCount(spec);
  const dense = models.map(() => new Float64Array(denseSize));
  const denseSquared = models.map(() => new Float64Array(denseSize).fill(1e-2));
  const init = options.init;
  const initialized = !!init && init.shared?.length === size && init.features.dimensions === spec.dimensions;
  // Ability starts at the logit of the (smoothed) mean score, or the previous fit.
  const sums = new Array<number>(models.length).fill(0);
  const counts = new Array<number>(models.length).fill(0);
  for (const row of rows) {
    const index = modelIndex.get(row.model) as number;
    sums[index] = (sums[index] as number) + (row.weight ?? 1) * row.score;
    counts[index] = (counts[index] as number) + (row.weight ?? 1);
  }
  for (let index = 0; index < models.length; index += 1) {
    ability[index] = logit(((sums[index] as number) + 1) / ((counts[index] as number) + 2));
  }
  if (initialized && init) {
    shared.set(init.shared ?? []);
    for (const entry of init.models) {
      const index = modelIndex.get(entry.model);
      if (index === undefined) continue;
      ability[index] = entry.bias;
      discrimination[index] = entry.discrimination ?? 1;
      (dense[index] as Float64Array).set(entry.weights.slice(0, denseSize));
    }
  }
  const epochs = options.epochs ?? (initialized ? 1 : 4);
  const learningRate = options.learningRate ?? 0.2;
  const l2 = options.l2 ?? 3e-2;
  const denseL2 = options.denseL2 ?? 1e-3;
  const squaredGradients = new Float64Array(size).fill(1e-2);
  const abilitySquared = new Array<number>(models.length).fill(1e-2);
  const discriminationSquared = new Array<number>(models.length).fill(1e-2);
  const vectors = rows.map((row) => compile(row.features, spec));
  const order = rows.map((_, index) => index);

  for (let epoch = 0; epoch < epochs; epoch += 1) {
    for (let index = order.length - 1; index > 0; index -= 1) {
      const other = options.random.integer(index + 1);
      const held = order[index] as number;
      order[index] = order[other] as number;
      order[other] = held;
    }
    for (const rowIndex of order) {
      const row = rows[rowIndex] as ContextualObservation;
      const vector = vectors[rowIndex] as SparseVector;
      const model = modelIndex.get(row.model) as number;
      let easiness = 0;
      for (let k = 0; k < vector.indices.length; k += 1) {
        easiness += (shared[vector.indices[k] as number] as number) * (vector.values[k] as number);
      }
      const a = ability[model] as number;
      const b = discrimination[model] as number;
      const own = dense[model] as Float64Array;
      let personal = 0;
      for (let k = 0; k < vector.indices.length; k += 1) {
        const feature = vector.indices[k] as number;
        if (feature >= denseSize) break;
        personal += (own[feature] as number) * (vector.values[k] as number);
      }
      const p = 1 / (1 + Math.exp(-(a + personal + b * easiness)));
      const gradient = (p - row.score) * (row.weight ?? 1);
      const gradientA = gradient + 1e-4 * a;
      abilitySquared[model] = (abilitySquared[model] as number) + gradientA * gradientA;
      ability[model] = a - (learningRate * gradientA) / Math.sqrt(abilitySquared[model] as number);
      const gradientB = gradient * easiness + 1e-2 * (b - 1);
      discriminationSquared[model] = (discriminationSquared[model] as number) + gradientB * gradientB;
      discrimination[model] = b - (learningRate * gradientB) / Math.sqrt(discriminationSquared[model] as number);
      const ownSquared = denseSquared[model] as Float64Array;
      for (let k = 0; k < vector.indices.length; k += 1) {
        const feature = vector.indices[k] as number;
        if (feature >= denseSize) break;
        const weight = own[feature] as number;
        const g = gradient * (vector.values[k] as number) + denseL2 * weight;
        ownSquared[feature] = (ownSquared[feature] as number) + g * g;
        own[feature] = weight - (learningRate * g) / Math.sqrt(ownSquared[feature] as number);
      }
      for (let k = 0; k < vector.indices.length; k += 1) {
        const feature = vector.indices[k] as number;
        const weight = shared[feature] as number;
        const g = gradient * b * (vector.values[k] as number) + l2 * weight;
        squaredGradients[feature] = (squaredGradients[feature] as number) + g * g;
        shared[feature] = weight - (learningRate * g) / Math.sqrt(squaredGradients[feature] as number);
      }
    }
  }
  return {
    spec,
    models: [...models],
    ability,
    dense: dense.map((weights) => Array.from(weights)),
    discrimination,
    shared: Array.from(shared),
    observations: rows.length,
  };
}

const round = (value: number): number => Math.round(value * 1e5) / 1e5;

/**
 * The policy's `contextual` member for a fit: per model bias = ability, discrimination,
 * penalty (from the route's objective), shared = difficulty weights.
 */
export function contextualPolicyFromFit(
  fit: ContextualFit,
  penalties: ReadonlyMap<string, number>,
  strength: number,
  only: ReadonlySet<string>,
): ContextualPolicy {
  const models: ContextualPolicy['models'] = [];
  fit.models.forEach((model, index) => {
    if (!only.has(model)) return;
    models.push({
      model,
      bias: round(fit.ability[index] as number),
      weights: (fit.dense[index] ?? []).map(round),
      discrimination: round(fit.discrimination[index] as number),
      penalty: round(penalties.get(model) ?? 0),
    });
  });
  return {
    kind: 'irt-logistic',
    link: 'logistic',
    features: { dimensions: fit.spec.dimensions, ngrams: [...fit.spec.ngrams], lengthBuckets: [...fit.spec.lengthBuckets] },
    models,
    shared: fit.shared.map(round),
    strength,
    trainedOn: fit.observations,
  };
}
