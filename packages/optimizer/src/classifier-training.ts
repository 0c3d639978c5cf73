/**
 * Category classifier training.
 *
 * How it works: multinomial naive Bayes over hashed word n-grams (the featurizer of
 * @switchyard/policy). Per category it counts how often each hash bucket occurs in that
 * category's items; log P(bucket | category) = log((count + α) / (total + α·D)) with
 * Laplace smoothing α, and log P(category) from the item shares. Accuracy is measured on a
 * seeded, per-category held-out share of the items first; the stored classifier is then
 * retrained on every item. Coefficients are rounded to 4 decimals to keep the policy small.
 *
 * Calibration: naive Bayes treats overlapping n-grams as independent evidence, so its raw
 * posteriors are near 0 or 1 even when it is wrong — and on prompts unlike the training items
 * it is just as sure, which would send a summary request to the math route with "99.6 %".
 * The softmax temperature that minimizes the held-out items' negative log-likelihood
 * (temperature scaling, Guo et al. 2017) is stored with the classifier, and the router's
 * `minConfidence` then compares calibrated probabilities.
 */
import { DEFAULT_FEATURE_SPEC, argmax, classifierScores, createPromptFeatures, featurize, posterior, type Classifier, type FeatureSpec } from '@switchyard/policy';
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

/** Candidate temperatures (log-spaced); 1 is the raw posterior. */
export const TEMPERATURE_GRID = [1, 1.5, 2, 3, 4, 6, 8, 11, 15, 20, 30, 40, 60];
/** Default `minConfidence`: below a 70 % calibrated posterior the router uses `general`. */
export const DEFAULT_MIN_CONFIDENCE = 0.7;

export interface ClassifierTrainingResult {
  classifier: Classifier;
  /** Accuracy on the held-out items (null when too few items to hold any out). */
  heldOutAccuracy: number | null;
  heldOut: number;
  perCategory: Record<string, { heldOut: number; correct: number }>;
}

/** Mean negative log-likelihood of the true categories at `temperature`. */
export function heldOutLogLoss(scored: ReadonlyArray<{ scores: readonly number[]; truth: number }>, temperature: number): number {
  let total = 0;
  for (const { scores, truth } of scored) total -= Math.log(Math.max(1e-12, truth < 0 ? 0 : posterior(scores, truth, temperature)));
  return scored.length > 0 ? total / scored.length : 0;
}

/** The grid temperature with the lowest held-out log loss (the smaller one on a tie). */
export function fitTemperature(scored: ReadonlyArray<{ scores: readonly number[]; truth: number }>): number {
  let best = 1;
  let bestLoss = Infinity;
  for (const temperature of TEMPERATURE_GRID) {
    const loss = heldOutLogLoss(scored, temperature);
    if (loss < bestLoss - 1e-12) {
      bestLoss = loss;
      best = temperature;
    }
  }
  return best;
}

const round = (value: number): number => Math.round(value * 1e4) / 1e4;

/** Fit naive Bayes; the caller sets `minConfidence` (1 here: trial fits never decide). */
function fit(items: readonly LabelledText[], spec: FeatureSpec, alpha: number): Classifier {
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
    minConfidence: 1,
  };
}

/** Folds of the cross-validation that fits the temperature. */
export const CALIBRATION_FOLDS = 5;

/**
 * Every item scored by a classifier trained without it (`CALIBRATION_FOLDS`-fold, seeded):
 * with ~99 % accuracy a single held-out split holds one or two mistakes, too few to fit a
 * temperature on; every item held out once gives all of them.
 */
function crossValidatedScores(
  items: readonly LabelledText[],
  spec: FeatureSpec,
  alpha: number,
  random: ReturnType<typeof createRandom>,
): Array<{ scores: number[]; truth: number }> {
  if (items.length < CALIBRATION_FOLDS * 2) return [];
  const order = shuffleInPlace(items.map((_, index) => index), random);
  const features = createPromptFeatures(512);
  const scored: Array<{ scores: number[]; truth: number }> = [];
  for (let fold = 0; fold < CALIBRATION_FOLDS; fold += 1) {
    const held = order.filter((_, position) => position % CALIBRATION_FOLDS === fold);
    const heldSet = new Set(held);
    const trial = fit(items.filter((_, index) => !heldSet.has(index)), spec, alpha);
    for (const index of held) {
      const item = items[index] as LabelledText;
      scored.push({ scores: classifierScores(trial, featurize(item.text, spec, features), []), truth: trial.categories.indexOf(item.category) });
    }
  }
  return scored;
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
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
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
    const trial = fit(train, spec, alpha);
    const features = createPromptFeatures(512);
    let correct = 0;
    for (const item of test) {
      const scores = classifierScores(trial, featurize(item.text, spec, features), []);
      const entry = (perCategory[item.category] ??= { heldOut: 0, correct: 0 });
      entry.heldOut += 1;
      if (trial.categories[argmax(scores)] === item.category) {
        entry.correct += 1;
        correct += 1;
      }
    }
    heldOutAccuracy = correct / test.length;
  }
  const temperature = fitTemperature(crossValidatedScores(items, spec, alpha, random));
  const classifier = { ...fit(items, spec, alpha), minConfidence };
  if (heldOutAccuracy !== null) classifier.heldOutAccuracy = round(heldOutAccuracy);
  classifier.temperature = temperature;
  classifier.trainedOn = items.length;
  return { classifier, heldOutAccuracy, heldOut: test.length, perCategory };
}
