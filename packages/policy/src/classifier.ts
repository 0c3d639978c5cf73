/**
 * Category classifier evaluation (the router calls this per request).
 *
 * How it works: multinomial naive Bayes over hashed n-grams. The policy stores, per
 * category, log P(category) and log P(bucket | category) over `dimensions` buckets
 * (trained by packages/optimizer). Scoring adds, for each bucket present in the prompt,
 * count × log-likelihood to each category's log prior — only the buckets present are
 * touched, so a 1k-token prompt costs a few thousand additions. The softmax of the scores
 * gives the posterior; `confidence` is the winner's posterior probability.
 */
import { DEFAULT_FEATURE_SPEC, createPromptFeatures, featurize, type FeatureSpec, type PromptFeatures } from './features';
import type { Classifier } from './schema';

export interface Classification {
  category: string;
  /** Posterior probability of `category`, in [0, 1]. */
  confidence: number;
}

/** The feature spec a classifier was trained with (pass to `featurize`). */
export function classifierFeatureSpec(classifier: Classifier): FeatureSpec {
  return { dimensions: classifier.dimensions, ngrams: classifier.ngrams, lengthBuckets: DEFAULT_FEATURE_SPEC.lengthBuckets };
}

const scratchScores: number[] = [];
const sharedFeatures = createPromptFeatures(512);

/** Classify already featurized text (features must come from `classifierFeatureSpec(classifier)`). */
export function classifyFeatures(classifier: Classifier, features: PromptFeatures): Classification {
  const { categories, logPriors, logLikelihoods, dimensions } = classifier;
  const count = categories.length;
  let best = 0;
  let bestScore = -Infinity;
  for (let category = 0; category < count; category += 1) {
    let score = logPriors[category] ?? -Infinity;
    const row = category * dimensions;
    for (let position = 0; position < features.size; position += 1) {
      score += (features.counts[position] as number) * (logLikelihoods[row + (features.indices[position] as number)] ?? 0);
    }
    scratchScores[category] = score;
    if (score > bestScore) {
      bestScore = score;
      best = category;
    }
  }
  let total = 0;
  for (let category = 0; category < count; category += 1) total += Math.exp((scratchScores[category] as number) - bestScore);
  return { category: categories[best] as string, confidence: total > 0 ? 1 / total : 0 };
}

/**
 * Category of a prompt under the policy's classifier: `{ category, confidence }`.
 * The caller falls back to `general` when `confidence < classifier.minConfidence`.
 */
export function classify(classifier: Classifier, text: string): Classification {
  return classifyFeatures(classifier, featurize(text, classifierFeatureSpec(classifier), sharedFeatures));
}
