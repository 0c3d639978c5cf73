import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURE_SPEC,
  classify,
  contextualScores,
  createPromptFeatures,
  drawModel,
  featureCount,
  featurize,
  forEachLinearFeature,
  linearDot,
  requestWeights,
  type CategoryPolicy,
  type Classifier,
  type FeatureSpec,
} from './index';

const spec: FeatureSpec = { dimensions: 64, ngrams: [1, 2], lengthBuckets: [4, 16] };

describe('featurize', () => {
  it('hashes lower-cased words into unigram and bigram buckets, once per bucket', () => {
    const a = featurize('Hello World hello', spec);
    const b = featurize('hello   world, HELLO', spec);
    const asMap = (features: typeof a) => new Map(Array.from(features.indices.slice(0, features.size), (index, position) => [index, features.counts[position]]));
    expect(asMap(a)).toEqual(asMap(b));
    let total = 0;
    for (let position = 0; position < a.size; position += 1) total += a.counts[position] as number;
    expect(total).toBe(3 + 2); // three unigrams, two bigrams
    expect(new Set(a.indices.slice(0, a.size)).size).toBe(a.size);
    expect(a.words).toBe(3);
  });

  it('treats numbers as one token and counts them, lines and length', () => {
    const features = featurize('Add 12 and 345\nthen 7', spec);
    expect(features.numbers).toBe(3);
    expect(features.lines).toBe(2);
    expect(features.tokens).toBe(Math.ceil('Add 12 and 345\nthen 7'.length / 4));
    expect(features.lengthBucket).toBe(1);
    const same = featurize('add 99 and 1\nthen 100000', spec);
    expect(Array.from(same.indices.slice(0, same.size)).sort()).toEqual(Array.from(features.indices.slice(0, features.size)).sort());
  });

  it('splits CJK text into one word per character', () => {
    expect(featurize('小鸡我爱你', spec).words).toBe(5);
  });

  it('reuses a holder and grows it for long texts', () => {
    const holder = createPromptFeatures(2);
    const text = Array.from({ length: 500 }, (_, index) => `word${index}`).join(' ');
    featurize(text, DEFAULT_FEATURE_SPEC, holder);
    expect(holder.size).toBeGreaterThan(400);
    featurize('short', DEFAULT_FEATURE_SPEC, holder);
    expect(holder.size).toBe(1);
    expect(holder.counts[0]).toBe(1);
  });

  it('linearDot equals the sum over forEachLinearFeature', () => {
    const features = featurize('a b c 1 2\nd e', spec);
    const weights = Array.from({ length: featureCount(spec) }, (_, index) => Math.sin(index + 1));
    let expected = 0;
    forEachLinearFeature(features, spec, (index, value) => {
      expected += (weights[index] as number) * value;
    });
    expect(linearDot(weights, features, spec)).toBeCloseTo(expected, 12);
    // Dense-only weights ignore the hashed part.
    expect(linearDot(weights.slice(0, 5), features, spec)).toBeCloseTo(
      (weights[features.lengthBucket] as number) + (weights[3] as number) * (Math.log1p(2) / 4) + (weights[4] as number) * (Math.log1p(2) / 4),
      12,
    );
  });
});

describe('classify', () => {
  it('picks the category whose buckets the prompt uses, with its posterior as confidence', () => {
    const dimensions = 64;
    const math = featurize('solve the equation', { ...spec, dimensions });
    const logLikelihoods = new Array<number>(2 * dimensions).fill(Math.log(1 / dimensions));
    for (let position = 0; position < math.size; position += 1) logLikelihoods[math.indices[position] as number] = Math.log(0.2);
    const classifier: Classifier = {
      kind: 'naive-bayes',
      dimensions,
      ngrams: [1, 2],
      categories: ['math', 'writing'],
      logPriors: [Math.log(0.5), Math.log(0.5)],
      logLikelihoods,
      minConfidence: 0.5,
    };
    const result = classify(classifier, 'Solve the equation');
    expect(result.category).toBe('math');
    expect(result.confidence).toBeGreaterThan(0.9);
    const neutral = classify(classifier, 'zzz');
    expect(neutral.confidence).toBeLessThan(0.9);
    // A fitted temperature softens the posterior without changing the winner; without one
    // (older policies) the raw posterior is used, as before.
    const tempered = classify({ ...classifier, temperature: 4 }, 'Solve the equation');
    expect(tempered.category).toBe('math');
    expect(tempered.confidence).toBeLessThan(result.confidence);
    expect(tempered.confidence).toBeGreaterThan(0.5);
    expect(classify({ ...classifier, temperature: 1 }, 'Solve the equation').confidence).toBeCloseTo(result.confidence, 12);
  });
});

describe('contextual scoring', () => {
  const category = (strength: number): CategoryPolicy => ({
    models: [
      { model: 'p/cheap', weight: 0.7, expected: { quality: 0.8, costPerRequestUsd: 0.001, ttftP50Ms: null, ttftP95Ms: null, latencyP50Ms: null, latencyP95Ms: null }, evidence: { evalSamples: 0, liveSamples: 0, feedbackSamples: 0, probeSamples: 0, sources: [] } },
      { model: 'p/strong', weight: 0.3, expected: { quality: 0.9, costPerRequestUsd: 0.01, ttftP50Ms: null, ttftP95Ms: null, latencyP50Ms: null, latencyP95Ms: null }, evidence: { evalSamples: 0, liveSamples: 0, feedbackSamples: 0, probeSamples: 0, sources: [] } },
    ],
    fallbackOrder: ['p/cheap', 'p/strong'],
    contextual: {
      kind: 'irt-logistic',
      link: 'logistic',
      features: { dimensions: spec.dimensions, ngrams: [...spec.ngrams], lengthBuckets: [...spec.lengthBuckets] },
      strength,
      // Very short prompts (length bucket 0) are easy: the cheap model then does as well as the strong one.
      shared: [2, 0, -3],
      models: [
        { model: 'p/cheap', bias: 0.5, weights: [], discrimination: 1.5, penalty: 0.01 },
        { model: 'p/strong', bias: 1.5, weights: [], discrimination: 0.5, penalty: 0.1 },
      ],
    },
  });

  it('scores predicted quality minus penalty and steers easy prompts to the cheap model', () => {
    const policy = category(0.8);
    const easy = featurize('hi', spec);
    const hard = featurize('a long prompt with many many words in it', spec);
    const easyScores = contextualScores(policy.contextual!, easy);
    expect(easyScores[0]).toBeCloseTo(1 / (1 + Math.exp(-(0.5 + 1.5 * 2))) - 0.01, 10);
    expect(easyScores[0]!).toBeGreaterThan(easyScores[1]!);
    const hardScores = contextualScores(policy.contextual!, hard);
    expect(hardScores[1]!).toBeGreaterThan(hardScores[0]!);
    const easyWeights = requestWeights(policy, easy);
    expect(easyWeights.find((entry) => entry.model === 'p/cheap')?.weight).toBeCloseTo(0.2 * 0.7 + 0.8);
    const hardWeights = requestWeights(policy, hard);
    expect(hardWeights.find((entry) => entry.model === 'p/strong')?.weight).toBeCloseTo(0.2 * 0.3 + 0.8);
    expect(hardWeights.reduce((sum, entry) => sum + entry.weight, 0)).toBeCloseTo(1);
  });

  it('falls back to base weights without features or with strength 0, and draws by weight', () => {
    expect(requestWeights(category(0.8), null).map((entry) => entry.weight)).toEqual([0.7, 0.3]);
    expect(requestWeights(category(0), featurize('hi', spec)).map((entry) => entry.weight)).toEqual([0.7, 0.3]);
    const weights = [
      { model: 'a', weight: 0.25 },
      { model: 'b', weight: 0.75 },
    ];
    expect(drawModel(weights, 0.1)).toBe('a');
    expect(drawModel(weights, 0.3)).toBe('b');
    expect(drawModel(weights, 0.999)).toBe('b');
  });
});
