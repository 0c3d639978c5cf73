/**
 * The routing policy document: an immutable, versioned JSON document that the optimizer
 * publishes and every router reads. Its id is the SHA-256 of its canonical serialization
 * (see canonical.ts). Unknown fields are preserved so newer writers do not break older
 * readers, and every earlier `schemaVersion` keeps parsing (fixtures in ./fixtures).
 */
import { z } from 'zod';
import { constraintsSchema, objectiveSchema } from '@switchyard/core';

export const POLICY_SCHEMA_VERSION = 1;

const probability = z.number().min(0).max(1);
const nonNegative = z.number().nonnegative();

/** What the optimizer expects of a model on (route, category). Latencies in ms, costs in USD. */
export const expectedOutcomeSchema = z.looseObject({
  quality: probability,
  /** Credible interval of quality, [low, high]. */
  qualityInterval: z.tuple([probability, probability]).optional(),
  costPerRequestUsd: nonNegative,
  ttftP50Ms: nonNegative.nullable(),
  ttftP95Ms: nonNegative.nullable(),
  latencyP50Ms: nonNegative.nullable(),
  latencyP95Ms: nonNegative.nullable(),
  errorRate: probability.optional(),
  /** quality − λ_cost·cost − λ_latency·latency in the route's normalized units. */
  utility: z.number().optional(),
});
export type ExpectedOutcome = z.infer<typeof expectedOutcomeSchema>;

export const evidenceSchema = z.looseObject({
  /** Effective (decayed) sample counts by source. */
  evalSamples: nonNegative.default(0),
  liveSamples: nonNegative.default(0),
  feedbackSamples: nonNegative.default(0),
  probeSamples: nonNegative.default(0),
  sources: z.array(z.string()).default([]),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const modelWeightSchema = z.looseObject({
  model: z.string(),
  /** Probability of being drawn; weights of a (route, category) sum to 1. */
  weight: probability,
  expected: expectedOutcomeSchema,
  evidence: evidenceSchema.prefault({}),
});
export type ModelWeight = z.infer<typeof modelWeightSchema>;

/**
 * Contextual policy (e.g. linear Thompson sampling / LinUCB): per model, a linear model of
 * quality over hashed prompt features. The router scores `bias + Σ w[i]·x[i]` per model.
 */
export const contextualModelSchema = z.looseObject({
  model: z.string(),
  bias: z.number(),
  /** Dense weights over the feature vector (length = featureCount(features), or empty). */
  weights: z.array(z.number()),
  /** Multiplier of the shared difficulty score `shared·x` (kind `irt-logistic`). */
  discrimination: z.number().optional(),
  /** Cost/latency part of the utility, subtracted from the predicted quality. */
  penalty: z.number().optional(),
});
export const contextualSchema = z.looseObject({
  kind: z.string(),
  features: z.looseObject({
    dimensions: z.number().int().positive(),
    ngrams: z.array(z.number().int().positive()).default([1, 2]),
    lengthBuckets: z.array(z.number()).default([]),
  }),
  models: z.array(contextualModelSchema),
  /** How much the contextual score may move a model's base weight (0 = ignore). */
  strength: z.number().min(0).default(1),
  /** `identity`: quality = bias + w·x; `logistic`: quality = σ(bias + w·x). */
  link: z.enum(['identity', 'logistic']).optional(),
  /** Weights shared by every model (e.g. prompt difficulty), scaled per model by `discrimination`. */
  shared: z.array(z.number()).optional(),
});
export type ContextualPolicy = z.infer<typeof contextualSchema>;

export const categoryPolicySchema = z.looseObject({
  models: z.array(modelWeightSchema),
  /** Order of models to try when the drawn one fails (highest weight first). */
  fallbackOrder: z.array(z.string()),
  contextual: contextualSchema.optional(),
});
export type CategoryPolicy = z.infer<typeof categoryPolicySchema>;

export const routePolicySchema = z.looseObject({
  objective: objectiveSchema,
  constraints: constraintsSchema.prefault({}),
  candidates: z.array(z.string()),
  /** Per category, and always `general` as the fallback category. */
  categories: z.record(z.string(), categoryPolicySchema),
  /** Human-readable explanation of the route's weights. */
  why: z.string(),
  /**
   * Models excluded by a hard constraint, with the reason; `category` when the exclusion holds
   * in that category only (a per-category `minQuality`), absent when it holds for the route.
   */
  excluded: z.array(z.looseObject({ model: z.string(), reason: z.string(), category: z.string().optional() })).default([]),
});
export type RoutePolicy = z.infer<typeof routePolicySchema>;

/** Multinomial naive Bayes over hashed n-grams; evaluated by the router per request. */
export const classifierSchema = z.looseObject({
  kind: z.literal('naive-bayes'),
  dimensions: z.number().int().positive(),
  ngrams: z.array(z.number().int().positive()).default([1, 2]),
  categories: z.array(z.string()).min(1),
  /** log P(category). */
  logPriors: z.array(z.number()),
  /** log P(feature | category): categories × dimensions, row-major. */
  logLikelihoods: z.array(z.number()),
  /** Below this posterior probability the router uses `general`. */
  minConfidence: probability.default(0.5),
  /**
   * Softmax temperature of the posterior, fitted on held-out items. Naive Bayes counts
   * overlapping n-grams as independent evidence, so its raw posteriors are far too sure of
   * themselves (also on prompts unlike anything it was trained on); dividing the log scores by
   * the temperature calibrates them. Absent in older policies: 1, the raw posterior.
   */
  temperature: z.number().positive().optional(),
  heldOutAccuracy: probability.optional(),
  trainedOn: z.number().int().nonnegative().optional(),
});
export type Classifier = z.infer<typeof classifierSchema>;

export const policyModelInfoSchema = z.looseObject({
  provider: z.string(),
  price: z.looseObject({ inputPerMTok: nonNegative, outputPerMTok: nonNegative }),
  contextWindow: z.number().int().positive().optional(),
  capabilities: z.record(z.string(), z.boolean()).optional(),
});

export const policyDocumentSchema = z.looseObject({
  schemaVersion: z.literal(1),
  parentHash: z.string().nullable(),
  createdAt: z.string(),
  generator: z.looseObject({
    /** `thompson`, `contextual`, `cold-start` or `manual`. */
    algorithm: z.string(),
    version: z.string().optional(),
    settings: z.record(z.string(), z.unknown()).default({}),
  }),
  models: z.record(z.string(), policyModelInfoSchema).default({}),
  routes: z.record(z.string(), routePolicySchema),
  classifier: classifierSchema.optional(),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>;

/** Parse a stored or uploaded document, upgrading earlier schema versions. */
export function parsePolicyDocument(value: unknown): PolicyDocument {
  return policyDocumentSchema.parse(value);
}
