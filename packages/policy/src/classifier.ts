/**
 * Category classifier evaluation (the router calls this per request).
 *
 * How it works: multinomial naive Bayes over hashed n-grams. The policy stores, per
 * category, log P(category) and log P(bucket | category) over `dimensions` buckets
 * (trained by packages/optimizer). Scoring adds, for each bucket present in the prompt,
 * count × log-likelihood to each category's log prior — only the buckets present are
 * touched, so a 1k-token prompt costs a few thousand additions. The softmax of the scores,
 * divided by the classifier's fitted `temperature`, gives the posterior; `confidence` is the
 * winner's posterior probability.
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

/** Log scores per category (log prior + log likelihoods), before the softmax; written into `out`. */
export function classifierScores(classifier: Classifier, features: PromptFeatures, out: number[]): number[] {
  const { categories, logPriors, logLikelihoods, dimensions } = classifier;
  for (let category = 0; category < categories.length; category += 1) {
    let score = logPriors[category] ?? -Infinity;
    const row = category * dimensions;
    for (let position = 0; position < features.size; position += 1) {
      score += (features.counts[position] as number) * (logLikelihoods[row + (features.indices[position] as number)] ?? 0);
    }
    out[category] = score;
  }
  out.length = categories.length;
  return out;
}

/** Classify already featurized text (features must come from `classifierFeatureSpec(classifier)`). */
export function classifyFeatures(classifier: Classifier, features: PromptFeatures): Classification {
  const scores = classifierScores(classifier, features, scratchScores);
  const best = argmax(scores);
  return { category: classifier.categories[best] as string, confidence: posterior(scores, best, classifier.temperature ?? 1) };
}

/** Index of the largest score. */
export function argmax(scores: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < scores.length; index += 1) if ((scores[index] as number) > (scores[best] as number)) best = index;
  return best;
}

/** Softmax probability of `scores[index]` at `temperature` (the router's confidence, the trainer's log loss). */
export function posterior(scores: readonly number[], index: number, temperature: number): number {
  let top = -Infinity;
  for (const score of scores) if (score > top) top = score;
  let total = 0;
  for (const score of scores) total += Math.exp((score - top) / temperature);
  return total > 0 ? Math.exp(((scores[index] as number) - top) / temperature) / total : 0;
}

/**
 * Category of a prompt under the policy's classifier: `{ category, confidence }`.
 * The caller falls back to `general` when `confidence < classifier.minConfidence`.
 */
export function classify(classifier: Classifier, text: string): Classification {
  return classifyFeatures(classifier, featurize(text, classifierFeatureSpec(classifier), sharedFeatures));
}
