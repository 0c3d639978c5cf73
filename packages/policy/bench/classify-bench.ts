/**
 * Micro-benchmark of the per-request policy work the router does: featurize + classify, and
 * contextual scoring, on a short prompt and a ~1k-token prompt.
 * `npx tsx packages/policy/bench/classify-bench.ts` → bench/results/classify.json
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DEFAULT_FEATURE_SPEC,
  classify,
  classifyFeatures,
  classifierFeatureSpec,
  contextualScores,
  createPromptFeatures,
  featureCount,
  featurize,
  requestWeights,
  type CategoryPolicy,
  type Classifier,
} from '../src/index';

const root = join(import.meta.dirname, '../../..');

// A realistic classifier: 8 categories over the default 2048 buckets (random log-likelihoods;
// the cost of scoring does not depend on the values).
function syntheticClassifier(): Classifier {
  const categories = ['code', 'finance', 'general', 'knowledge', 'language', 'math', 'reasoning', 'writing'];
  const dimensions = DEFAULT_FEATURE_SPEC.dimensions;
  let seed = 1;
  const next = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
  return {
    kind: 'naive-bayes',
    dimensions,
    ngrams: [1, 2],
    categories,
    logPriors: categories.map(() => Math.log(1 / categories.length)),
    logLikelihoods: Array.from({ length: categories.length * dimensions }, () => Math.log((next() + 0.01) / dimensions)),
    minConfidence: 0.5,
  };
}

function syntheticCategory(models: number): CategoryPolicy {
  const spec = { ...DEFAULT_FEATURE_SPEC, dimensions: 256 };
  const ids = Array.from({ length: models }, (_, index) => `provider${index}/model${index}`);
  return {
    models: ids.map((model) => ({
      model,
      weight: 1 / models,
      expected: { quality: 0.8, costPerRequestUsd: 0.001, ttftP50Ms: null, ttftP95Ms: null, latencyP50Ms: null, latencyP95Ms: null },
      evidence: { evalSamples: 0, liveSamples: 0, feedbackSamples: 0, probeSamples: 0, sources: [] },
    })),
    fallbackOrder: ids,
    contextual: {
      kind: 'irt-logistic',
      link: 'logistic',
      strength: 0.9,
      features: { dimensions: spec.dimensions, ngrams: [...spec.ngrams], lengthBuckets: [...spec.lengthBuckets] },
      shared: Array.from({ length: featureCount(spec) }, (_, index) => Math.sin(index) / 10),
      models: ids.map((model, index) => ({ model, bias: index / models, weights: Array.from({ length: 10 }, () => 0.1), discrimination: 1, penalty: 0.01 * index })),
    },
  };
}

function time(label: string, iterations: number, run: () => unknown): { label: string; iterations: number; microsecondsPerCall: number } {
  for (let warm = 0; warm < Math.min(2000, iterations); warm += 1) run();
  const started = performance.now();
  let sink = 0;
  for (let index = 0; index < iterations; index += 1) sink += run() ? 1 : 0;
  const elapsed = performance.now() - started;
  if (sink < 0) console.log(sink);
  return { label, iterations, microsecondsPerCall: Math.round(((elapsed * 1000) / iterations) * 1000) / 1000 };
}

const shortPrompt = 'What is the capital of Australia? Answer in one word.';
const gsm = readFileSync(join(root, 'datasets/gsm8k_test.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 40);
const longPrompt = gsm.map((line) => (JSON.parse(line) as { input: Array<{ content: string }> }).input.map((message) => message.content).join('\n')).join('\n\n').slice(0, 4200);

const classifier = syntheticClassifier();
const category = syntheticCategory(30);
const contextualSpec = category.contextual!.features;
const holder = createPromptFeatures(1024);
const contextHolder = createPromptFeatures(1024);
const longFeatures = featurize(longPrompt, classifierFeatureSpec(classifier), createPromptFeatures(1024));
const results = [
  time('featurize short', 200_000, () => featurize(shortPrompt, classifierFeatureSpec(classifier), holder).size),
  time('featurize ~1k tokens', 20_000, () => featurize(longPrompt, classifierFeatureSpec(classifier), holder).size),
  time('classify short (featurize + naive Bayes, 8 categories)', 200_000, () => classify(classifier, shortPrompt).confidence),
  time('classify ~1k tokens (featurize + naive Bayes, 8 categories)', 20_000, () => classify(classifier, longPrompt).confidence),
  time('naive Bayes only, ~1k tokens (features computed once)', 20_000, () => classifyFeatures(classifier, longFeatures).confidence),
  time('contextual scores ~1k tokens, 30 models (featurize + score)', 20_000, () => contextualScores(category.contextual!, featurize(longPrompt, contextualSpec, contextHolder))[0]),
  time('request weights short, 30 models (featurize + score + mix)', 200_000, () => requestWeights(category, featurize(shortPrompt, contextualSpec, contextHolder)).length),
];
const output = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  // The machine is shared; a high load average inflates every number here.
  loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  cpus: cpus().length,
  prompts: { shortChars: shortPrompt.length, longChars: longPrompt.length, longEstimatedTokens: Math.ceil(longPrompt.length / 4) },
  classifier: { categories: classifier.categories.length, dimensions: classifier.dimensions },
  results,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/classify.json'), `${JSON.stringify(output, null, 2)}\n`);
for (const result of results) console.log(`${result.label}: ${result.microsecondsPerCall} µs`);
