/**
 * Contextual policy evaluation (the router calls this per request).
 *
 * How it works: the policy stores, per (route, category), a linear model of each
 * candidate's quality over the prompt's feature vector (see `featureCount` in features.ts):
 * `z_m = bias_m + weights_m·x + discrimination_m·(shared·x)`. With `link: 'logistic'` the
 * predicted quality is σ(z_m), otherwise z_m itself. The shared term is an IRT-style
 * "difficulty" direction learned from every model's outcomes at once, so one dot product
 * serves all models. A model's score is its predicted utility: predicted quality minus its
 * `penalty` (the cost and latency part of the route's objective, precomputed by the
 * optimizer). Evaluating it is one pass over the prompt's distinct buckets per weight
 * vector: microseconds.
 *
 * `requestWeights` turns scores into the distribution the router draws from: the
 * category's base (Thompson) weights moved by `strength` toward the best-scoring model,
 * i.e. `(1 − s)·base + s·[m = argmax score]`. The base share keeps every model explored.
 */
import { classifierFeatureSpec, classifyFeatures } from './classifier';
import { createPromptFeatures, featurize, linearDot, type FeatureSpec, type PromptFeatures } from './features';
import type { CategoryPolicy, ContextualPolicy, PolicyDocument } from './schema';

/** The feature spec of a contextual policy (pass to `featurize`). */
export function contextualFeatureSpec(contextual: ContextualPolicy): FeatureSpec {
  return contextual.features;
}

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/**
 * Predicted quality in [0, 1] (logistic link) of every model of `contextual.models`, in that
 * order. `features` must come from `featurize(text, contextual.features)`.
 */
export function predictedQualities(contextual: ContextualPolicy, features: PromptFeatures): Float64Array {
  const spec = contextual.features;
  const shared = contextual.shared && contextual.shared.length > 0 ? linearDot(contextual.shared, features, spec) : 0;
  const logistic = contextual.link === 'logistic';
  const out = new Float64Array(contextual.models.length);
  for (let index = 0; index < contextual.models.length; index += 1) {
    const model = contextual.models[index]!;
    const z = model.bias + linearDot(model.weights, features, spec) + (model.discrimination ?? 0) * shared;
    out[index] = logistic ? sigmoid(z) : z;
  }
  return out;
}

/**
 * Per-model score (predicted utility = predicted quality − penalty) aligned with
 * `contextual.models`. Higher is better.
 */
export function contextualScores(contextual: ContextualPolicy, features: PromptFeatures): Float64Array {
  const out = predictedQualities(contextual, features);
  for (let index = 0; index < out.length; index += 1) out[index] = (out[index] as number) - (contextual.models[index]?.penalty ?? 0);
  return out;
}

/** Same as `contextualScores`, featurizing `text` first. */
export function contextualScoresForText(contextual: ContextualPolicy, text: string): Float64Array {
  return contextualScores(contextual, featurize(text, contextual.features));
}

export interface WeightedModel {
  model: string;
  weight: number;
}

/**
 * The distribution to draw a model from for one request: the base weights of the category,
 * moved toward the contextual policy's best-scoring model by `contextual.strength` (clamped
 * to [0, 1]). Without a contextual policy or features, the base weights. Models the
 * contextual policy does not know keep their base share only. Weights sum to 1.
 */
export function requestWeights(category: CategoryPolicy, features: PromptFeatures | null): WeightedModel[] {
  const models = category.models;
  const contextual = category.contextual;
  const strength = contextual ? Math.min(1, Math.max(0, contextual.strength)) : 0;
  let best = -1;
  if (contextual && features && strength > 0 && contextual.models.length > 0) {
    const positions = basePositions(category, contextual);
    const scores = contextualScores(contextual, features);
    let bestScore = -Infinity;
    for (let index = 0; index < scores.length; index += 1) {
      const position = positions[index] as number;
      if (position >= 0 && (scores[index] as number) > bestScore) {
        bestScore = scores[index] as number;
        best = position;
      }
    }
  }
  const out: WeightedModel[] = new Array(models.length);
  for (let index = 0; index < models.length; index += 1) {
    const entry = models[index]!;
    out[index] = {
      model: entry.model,
      weight: best < 0 ? entry.weight : (1 - strength) * entry.weight + (index === best ? strength : 0),
    };
  }
  return out;
}

// Per category policy: position in `models` of each contextual model (−1 when absent).
const positionCache = new WeakMap<ContextualPolicy, Int32Array>();
function basePositions(category: CategoryPolicy, contextual: ContextualPolicy): Int32Array {
  let positions = positionCache.get(contextual);
  if (!positions) {
    const byModel = new Map(category.models.map((entry, index) => [entry.model, index]));
    positions = Int32Array.from(contextual.models, (entry) => byModel.get(entry.model) ?? -1);
    positionCache.set(contextual, positions);
  }
  return positions;
}

/** Draw one model from weights with a uniform number `u` in [0, 1). */
export function drawModel(weights: readonly WeightedModel[], u: number): string | undefined {
  let total = 0;
  for (const entry of weights) total += entry.weight;
  let target = u * total;
  for (const entry of weights) {
    target -= entry.weight;
    if (target < 0) return entry.model;
  }
  return weights.at(-1)?.model;
}

export interface RoutingDecision {
  /** Category used: the classifier's, or `general` when unsure or the route lacks it. */
  category: string;
  /** Classifier confidence, or null without a classifier. */
  confidence: number | null;
  /** The distribution drawn from (base weights moved by the contextual policy). */
  weights: WeightedModel[];
  /** The drawn model (undefined when the category has no model). */
  model: string | undefined;
  /** Models to try, in order, if the drawn one fails (the drawn model excluded). */
  fallbacks: string[];
}

const decisionClassifierFeatures = createPromptFeatures(1024);
const decisionContextFeatures = createPromptFeatures(1024);

/**
 * Everything the router decides for one request on `route`, given the prompt text and a
 * uniform number `u` in [0, 1): classify (falling back to `general` below the classifier's
 * `minConfidence` or when the route has no policy for the category), featurize for the
 * contextual policy when the category has one, mix the weights and draw. Returns null when
 * the policy has no such route. Allocation is limited to the small result arrays.
 */
export function decideRoute(policy: PolicyDocument, route: string, text: string, u: number): RoutingDecision | null {
  const routePolicy = policy.routes[route];
  if (!routePolicy) return null;
  let category = 'general';
  let confidence: number | null = null;
  const classifier = policy.classifier;
  if (classifier) {
    const result = classifyFeatures(classifier, featurize(text, classifierFeatureSpec(classifier), decisionClassifierFeatures));
    confidence = result.confidence;
    if (result.confidence >= classifier.minConfidence && routePolicy.categories[result.category]) category = result.category;
  }
  const categoryPolicy = routePolicy.categories[category] ?? routePolicy.categories.general ?? Object.values(routePolicy.categories)[0];
  if (!categoryPolicy) return { category, confidence, weights: [], model: undefined, fallbacks: [] };
  const features = categoryPolicy.contextual ? featurize(text, categoryPolicy.contextual.features, decisionContextFeatures) : null;
  const weights = requestWeights(categoryPolicy, features);
  const model = drawModel(weights, u);
  return { category, confidence, weights, model, fallbacks: categoryPolicy.fallbackOrder.filter((entry) => entry !== model) };
}
