/**
 * Category classifier training.
 *
 * How it works: multinomial naive Bayes over hashed word n-grams (the featurizer of
 * @switchyard/policy). Per category it counts how often each hash bucket occurs in that
 * category's items; log P(bucket | category) = log((count + α) / (total + α·D)) with
 * Laplace smoothing α, and log P(category) from the item shares. Accuracy is measured on a
 * seeded, per-category held-out share of the items first; the stored classifier is then
 * retrained on every item. Coefficients are rounded to 4 decimals to keep the policy small.
 */
import { DEFAULT_FEATURE_SPEC, classifyFeatures, createPromptFeatures, featurize, type Classifier, type FeatureSpec } from '@switchyard/policy';
import { createRandom, shuffleInPlace } from './random';

export interface LabelledText {
  text: string;
  category: string;
}

export interface ClassifierTrainingOptions {
  spec?: Pick<FeatureSpec, 'dimensions' | 'ngrams'>;
  /** Laplace smoothing. */
  alpha?: number;
  /** Share of each category held out to measure accuracy. */
  heldOutShare?: number;
  minConfidence?: number;
  seed?: number;
}

export interface ClassifierTrainingResult {
  classifier: Classifier;
  /** Accuracy on the held-out items (null when too few items to hold any out). */
  heldOutAccuracy: number | null;
  heldOut: number;
  perCategory: Record<string, { heldOut: number; correct: number }>;
}

const round = (value: number): number => Math.round(value * 1e4) / 1e4;

function fit(items: readonly LabelledText[], spec: FeatureSpec, alpha: number, minConfidence: number): Classifier {
  const categories = [...new Set(items.map((item) => item.category))].sort();
  const dimensions = spec.dimensions;
  const counts = new Float64Array(categories.length * dimensions);
  const totals = new Float64Array(categories.length);
  const documents = new Float64Array(categories.length);
  const features = createPromptFeatures(512);
  for (const item of items) {
    const category = categories.indexOf(item.category);
    featurize(item.text, spec, features);
    documents[category] = (documents[category] as number) + 1;
    for (let position = 0; position < features.size; position += 1) {
      const cell = category * dimensions + (features.indices[position] as number);
      counts[cell] = (counts[cell] as number) + (features.counts[position] as number);
      totals[category] = (totals[category] as number) + (features.counts[position] as number);
    }
  }
  const logLikelihoods = new Array<number>(categories.length * dimensions);
  for (let category = 0; category < categories.length; category += 1) {
    const denominator = Math.log((totals[category] as number) + alpha * dimensions);
    for (let bucket = 0; bucket < dimensions; bucket += 1) {
      const cell = category * dimensions + bucket;
      logLikelihoods[cell] = round(Math.log((counts[cell] as number) + alpha) - denominator);
    }
  }
  return {
    kind: 'naive-bayes',
    dimensions,
    ngrams: [...spec.ngrams],
    categories,
    logPriors: categories.map((_, index) => round(Math.log((documents[index] as number) / items.length))),
    logLikelihoods,
    minConfidence,
  };
}

/** Train the naive-Bayes category classifier and measure its held-out accuracy. */
export function trainClassifier(items: readonly LabelledText[], options: ClassifierTrainingOptions = {}): ClassifierTrainingResult {
  const spec: FeatureSpec = {
    dimensions: options.spec?.dimensions ?? DEFAULT_FEATURE_SPEC.dimensions,
    ngrams: options.spec?.ngrams ?? DEFAULT_FEATURE_SPEC.ngrams,
    lengthBuckets: DEFAULT_FEATURE_SPEC.lengthBuckets,
  };
  if (items.length === 0) throw new RangeError('classifier training needs labelled items');
  const alpha = options.alpha ?? 0.1;
  const minConfidence = options.minConfidence ?? 0.5;
  const share = options.heldOutShare ?? 0.2;
  const random = createRandom(options.seed ?? 1);
  const byCategory = new Map<string, LabelledText[]>();
  for (const item of items) byCategory.set(item.category, [...(byCategory.get(item.category) ?? []), item]);
  const train: LabelledText[] = [];
  const test: LabelledText[] = [];
  for (const group of [...byCategory.keys()].sort().map((key) => byCategory.get(key) as LabelledText[])) {
    const shuffled = shuffleInPlace([...group], random);
    const holdOut = group.length >= 5 ? Math.max(1, Math.round(group.length * share)) : 0;
    test.push(...shuffled.slice(0, holdOut));
    train.push(...shuffled.slice(holdOut));
  }
  const perCategory: ClassifierTrainingResult['perCategory'] = {};
  let heldOutAccuracy: number | null = null;
  if (test.length > 0 && new Set(train.map((item) => item.category)).size > 0) {
    const trial = fit(train, spec, alpha, minConfidence);
    const features = createPromptFeatures(512);
    let correct = 0;
    for (const item of test) {
      const result = classifyFeatures(trial, featurize(item.text, spec, features));
      const entry = (perCategory[item.category] ??= { heldOut: 0, correct: 0 });
      entry.heldOut += 1;
      if (result.category === item.category) {
        entry.correct += 1;
        correct += 1;
      }
    }
    heldOutAccuracy = correct / test.length;
  }
  const classifier = fit(items, spec, alpha, minConfidence);
  if (heldOutAccuracy !== null) classifier.heldOutAccuracy = round(heldOutAccuracy);
  classifier.trainedOn = items.length;
  return { classifier, heldOutAccuracy, heldOut: test.length, perCategory };
}
