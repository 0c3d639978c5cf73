/**
 * buildPolicy: evidence in, policy document out (pure, deterministic given `seed`).
 *
 * How it works: for every route, the candidates are filtered by the hard constraints
 * (objective.ts; each exclusion keeps its reason), then for every category with evidence
 * (and always `general`) the eligible models get Thompson-sampling weights
 * (thompson-sampling.ts) from their Beta posteriors (evidence.ts) and the route's utility.
 * With `settings.algorithm = 'contextual'` each category also gets an IRT-logistic
 * contextual model (contextual-training.ts) that the router uses to move traffic toward the
 * model predicted best for each prompt. A naive-Bayes category classifier is trained when
 * labelled items are given (else the parent's is kept). Every route gets a plain-English
 * `why`.
 */
import { DEFAULT_CATEGORY, parseModelId, type OptimizerConfig, type RouteConfig } from '@switchyard/core';
import {
  DEFAULT_FEATURE_SPEC,
  POLICY_SCHEMA_VERSION,
  featurize,
  parsePolicyDocument,
  policyHash,
  sameFeatureSpec,
  type CategoryPolicy,
  type ContextualPolicy,
  type FeatureSpec,
  type ModelWeight,
  type PolicyDocument,
  type PromptFeatures,
  type RoutePolicy,
} from '@switchyard/policy';
import { trainClassifier, type LabelledText } from './classifier-training';
import { contextualPolicyFromFit, trainContextual, type ContextualFit, type ContextualObservation } from './contextual-training';
import { EvidenceModel, type EvidenceInput, type ModelBelief, type ModelInput } from './evidence';
import { constraintViolation, normalizationReference, utility, utilityPenalty, type Exclusion } from './objective';
import { createRandom } from './random';
import { thompsonWeights } from './thompson-sampling';

export const OPTIMIZER_VERSION = '1';

/** Knobs not in the config file (sensible defaults; the replay benchmark sets them). */
export interface OptimizerTuning {
  /** Share of traffic the contextual policy steers (rest follows the Thompson weights). */
  contextualStrength: number;
  /** Fewest graded (prompt, model) outcomes on a category before a contextual model is fitted. */
  minContextualObservations: number;
  /** Hashing of prompts for the contextual model. */
  featureSpec: FeatureSpec;
  /**
   * Share of the exploration floor kept by a model that is implausible as the best one (its
   * utility interval lies below the best model's; see thompson-sampling.ts). 1 gives every
   * eligible model the full floor.
   */
  implausibleFloorShare: number;
  /** Width of that plausibility interval, in posterior standard deviations. */
  plausibilityZ: number;
  /**
   * Concentration k of the Thompson weights: probabilities of being best computed as if each
   * model had k times its evidence (see thompson-sampling.ts); 1 is plain Thompson sampling.
   */
  sharpening: number;
  /** Share of the weights kept from plain Thompson sampling when sharpening ≠ 1 (exploration). */
  thompsonShare: number;
}

/** Hashing of the contextual model: fewer buckets than the classifier (n-grams overfit difficulty). */
export const CONTEXTUAL_FEATURE_SPEC: FeatureSpec = { ...DEFAULT_FEATURE_SPEC, dimensions: 256 };

export const DEFAULT_TUNING: OptimizerTuning = {
  contextualStrength: 0.9,
  minContextualObservations: 200,
  featureSpec: CONTEXTUAL_FEATURE_SPEC,
  implausibleFloorShare: 0.1,
  plausibilityZ: 2,
  sharpening: 8,
  thompsonShare: 0.1,
};

/** A graded outcome with its prompt, as text (featurized here) or already featurized. */
export interface ContextualTrainingItem {
  category: string;
  model: string;
  score: number;
  weight?: number;
  text?: string;
  /** Featurized with `tuning.featureSpec`; takes precedence over `text`. */
  features?: PromptFeatures;
}

export interface BuildPolicyInput extends EvidenceInput {
  routes: RouteConfig[];
  models: ModelInput[];
  /** Labelled items (eval items' text and category) to train the classifier. */
  classifierTrainingItems?: LabelledText[];
  /** Graded (prompt, model, score) outcomes to fit the contextual policy. */
  contextualItems?: ContextualTrainingItem[];
  parent: PolicyDocument | null;
  settings: OptimizerConfig;
  now: Date;
  seed: number;
  tuning?: Partial<OptimizerTuning>;
}

const round = (value: number, digits = 6): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

function formatUsd(value: number): string {
  if (value === 0) return '$0';
  return value >= 0.01 ? `$${value.toFixed(4)}` : `$${value.toPrecision(2)}`;
}

function qualityInterval(belief: ModelBelief): [number, number] {
  const a = belief.qualityAlpha;
  const b = belief.qualityBeta;
  const mean = a / (a + b);
  const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
  return [round(Math.max(0, mean - 1.96 * sd), 4), round(Math.min(1, mean + 1.96 * sd), 4)];
}

function providerOf(id: string): string {
  try {
    return parseModelId(id).provider;
  } catch {
    return 'unknown';
  }
}

function modelsSection(models: readonly ModelInput[]): PolicyDocument['models'] {
  const out: PolicyDocument['models'] = {};
  for (const model of [...models].sort((a, b) => a.id.localeCompare(b.id))) {
    out[model.id] = {
      provider: providerOf(model.id),
      price: { inputPerMTok: model.price.inputPerMTok, outputPerMTok: model.price.outputPerMTok },
      ...(model.contextWindow !== undefined ? { contextWindow: model.contextWindow } : {}),
      ...(model.capabilities !== undefined ? { capabilities: model.capabilities } : {}),
    };
  }
  return out;
}

/** Candidates of a route: its list, or every enabled model. */
function candidatesOf(route: RouteConfig, models: readonly ModelInput[]): string[] {
  return route.candidates.length > 0 ? [...route.candidates] : models.filter((model) => model.enabled).map((model) => model.id);
}

function findParentContextual(parent: PolicyDocument | null, category: string, spec: FeatureSpec): ContextualPolicy | undefined {
  if (!parent) return undefined;
  for (const route of Object.values(parent.routes)) {
    const contextual = route.categories[category]?.contextual;
    if (contextual && sameFeatureSpec(contextual.features, spec)) return contextual;
  }
  return undefined;
}

/** A traffic share in the `why` text: whole percent, or one decimal under 1 % (an exploration floor is not "0%"). */
function sharePercent(weight: number): string {
  const percent = weight * 100;
  return percent > 0 && percent < 0.95 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`;
}

function explainRoute(
  tuning: OptimizerTuning,
  route: RouteConfig,
  eligible: readonly string[],
  excluded: readonly Exclusion[],
  categories: Record<string, CategoryPolicy>,
  settings: OptimizerConfig,
  fallbackNote: string | null,
): string {
  const parts: string[] = [];
  const objective = route.objective;
  parts.push(
    `Route "${route.name}" maximizes quality − ${objective.cost}×cost − ${objective.latency}×latency (cost and latency relative to the priciest and slowest eligible model).`,
  );
  if (route.constraints.budgetPer1kUsd !== undefined) {
    parts.push(
      `It spends at most ${formatUsd(route.constraints.budgetPer1kUsd)} per 1,000 requests on average: when the best model costs more, traffic is split between a model under the budget and one over it so the mix spends the budget.`,
    );
  }
  parts.push(`${eligible.length} model${eligible.length === 1 ? '' : 's'} eligible.`);
  if (excluded.length > 0) {
    parts.push(`Excluded: ${excluded.map((entry) => `${entry.model} (${entry.reason})`).join('; ')}.`);
  }
  if (fallbackNote) parts.push(fallbackNote);
  const general = categories[DEFAULT_CATEGORY];
  for (const [name, category] of Object.entries(categories)) {
    if (name !== DEFAULT_CATEGORY && category === general) continue;
    const top = category.models[0];
    if (!top) continue;
    const second = category.models[1];
    const evidence = top.evidence;
    const sources: string[] = [];
    if (evidence.evalSamples > 0) sources.push(`${Math.round(evidence.evalSamples)} eval items`);
    if (evidence.liveSamples > 0) sources.push(`${Math.round(evidence.liveSamples)} recent requests`);
    if (evidence.feedbackSamples > 0) sources.push(`${Math.round(evidence.feedbackSamples)} feedback scores`);
    let sentence = `For ${name}, ${top.model} takes ${sharePercent(top.weight)} (expected quality ${top.expected.quality.toFixed(2)}, ${formatUsd(top.expected.costPerRequestUsd)}/request${sources.length > 0 ? `; evidence: ${sources.join(', ')}` : '; no quality evidence yet'})`;
    if (second) sentence += `, then ${second.model} ${sharePercent(second.weight)}`;
    sentence += '.';
    if (category.contextual) {
      sentence += ` A contextual model steers ${Math.round(category.contextual.strength * 100)}% of requests to the model predicted best for each prompt.`;
    }
    parts.push(sentence);
  }
  const floor = `${(settings.explorationFloor * 100).toFixed(1)}%`;
  parts.push(
    tuning.implausibleFloorShare >= 1
      ? `Every eligible model keeps at least ${floor} of traffic so it stays measured; evidence halves in weight every ${settings.halfLifeHours} h.`
      : `Every eligible model that could still be the best keeps at least ${floor} of traffic so it stays measured (a clearly worse one keeps ${(settings.explorationFloor * tuning.implausibleFloorShare * 100).toPrecision(2)}%); evidence halves in weight every ${settings.halfLifeHours} h.`,
  );
  return parts.join(' ');
}

/** Build a candidate policy from the evidence. Deterministic given `input.seed`. */
export function buildPolicy(input: BuildPolicyInput): PolicyDocument {
  const settings = input.settings;
  const tuning: OptimizerTuning = { ...DEFAULT_TUNING, ...input.tuning };
  const evidence = new EvidenceModel(input, settings, input.now);
  const random = createRandom(input.seed);
  const modelsById = new Map(input.models.map((model) => [model.id, model]));

  let classifier = input.parent?.classifier;
  const labelled = input.classifierTrainingItems ?? [];
  if (labelled.length >= 10 && new Set(labelled.map((item) => item.category)).size >= 2) {
    classifier = trainClassifier(labelled, { seed: input.seed }).classifier;
  }

  // Contextual fits per category (quality does not depend on the route; penalties do).
  const fits = new Map<string, ContextualFit>();
  const observationsByCategory = new Map<string, ContextualObservation[]>();
  if (settings.algorithm === 'contextual') {
    for (const item of input.contextualItems ?? []) {
      const features = item.features ?? (item.text !== undefined ? featurize(item.text, tuning.featureSpec) : undefined);
      if (!features) continue;
      const observation: ContextualObservation = { features, model: item.model, score: item.score, weight: item.weight ?? 1 };
      for (const category of new Set([item.category, DEFAULT_CATEGORY])) {
        const list = observationsByCategory.get(category) ?? [];
        list.push(observation);
        observationsByCategory.set(category, list);
      }
    }
    const allModels = input.models.map((model) => model.id);
    for (const [category, observations] of [...observationsByCategory.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (observations.length < tuning.minContextualObservations) continue;
      const init = findParentContextual(input.parent, category, tuning.featureSpec);
      fits.set(
        category,
        trainContextual(observations, allModels, tuning.featureSpec, { random, ...(init ? { init } : {}) }),
      );
    }
  }

  const categoryNames = new Set(evidence.categories());
  for (const category of classifier?.categories ?? []) categoryNames.add(category);
  for (const category of observationsByCategory.keys()) categoryNames.add(category);
  const categoriesSorted = [...categoryNames].sort();

  const routes: Record<string, RoutePolicy> = {};
  for (const route of input.routes) {
    const candidates = candidatesOf(route, input.models);
    const { minQuality, ...routeWideConstraints } = route.constraints;
    const excluded: Exclusion[] = [];
    const excludedInCategories: Exclusion[] = [];
    const eligible: string[] = [];
    for (const id of candidates) {
      const model = modelsById.get(id);
      if (!model) {
        excluded.push({ model: id, reason: 'not in the model catalog' });
        continue;
      }
      const belief = evidence.belief(model, DEFAULT_CATEGORY);
      // minQuality is a per-category matter (a math specialist can be weak overall and strong
      // on math): it is applied below, per category, with the category's belief.
      const violation = constraintViolation(routeWideConstraints, model, belief, evidence.hasQualityEvidence(belief));
      if (violation) excluded.push({ model: id, reason: violation });
      else eligible.push(id);
    }
    // A route no model can serve within its constraints gets no model: the router refuses its
    // requests with these reasons, rather than serve them with a model the constraints exclude.
    let fallbackNote: string | null = null;
    const pool = eligible;
    if (pool.length === 0) {
      fallbackNote = candidates.some((id) => modelsById.get(id)?.enabled)
        ? 'No model meets every constraint, so the route has no model: its requests are refused with the reasons above until one does (or the constraints change).'
        : 'No enabled candidate: the route has no model.';
    }

    const categories: Record<string, CategoryPolicy> = {};
    for (const category of categoriesSorted) {
      const categoryPool =
        minQuality === undefined
          ? pool
          : pool.filter((id) => {
              const model = modelsById.get(id) as ModelInput;
              const belief = evidence.belief(model, category);
              const violation = constraintViolation({ minQuality }, model, belief, evidence.hasQualityEvidence(belief));
              if (violation) excludedInCategories.push({ model: id, category, reason: `in ${category}: ${violation}` });
              return violation === null;
            });
      const beliefs = categoryPool.map((id) => evidence.belief(modelsById.get(id) as ModelInput, category));
      const reference = normalizationReference(beliefs);
      const penalties = beliefs.map((belief) => utilityPenalty(route.objective, belief, reference));
      const weights = thompsonWeights(
        beliefs.map((belief, index) => ({
          qualityAlpha: belief.qualityAlpha,
          qualityBeta: belief.qualityBeta,
          // Sample the error rate only when failures were seen; otherwise it is ~0 and costs draws.
          ...(belief.errorAlpha > 0.2 ? { errorAlpha: belief.errorAlpha, errorBeta: belief.errorBeta } : {}),
          penalty: penalties[index] as number,
          costUsd: belief.costPerRequestUsd,
        })),
        {
          samples: settings.monteCarloSamples,
          floor: settings.explorationFloor,
          random,
          qualityWeight: route.objective.quality,
          implausibleFloorShare: tuning.implausibleFloorShare,
          plausibilityZ: tuning.plausibilityZ,
          sharpening: tuning.sharpening,
          thompsonShare: tuning.thompsonShare,
          ...(route.constraints.budgetPer1kUsd === undefined ? {} : { budgetPerRequestUsd: route.constraints.budgetPer1kUsd / 1000 }),
        },
      );
      const entries: ModelWeight[] = beliefs.map((belief, index) => ({
        model: belief.model,
        weight: round(weights[index] as number),
        expected: {
          quality: round(belief.expectedQuality, 4),
          qualityInterval: qualityInterval(belief),
          costPerRequestUsd: round(belief.costPerRequestUsd, 8),
          ttftP50Ms: belief.ttftP50Ms,
          ttftP95Ms: belief.ttftP95Ms,
          latencyP50Ms: belief.latencyP50Ms,
          latencyP95Ms: belief.latencyP95Ms,
          errorRate: round(belief.errorRate, 4),
          utility: round(utility(route.objective, belief.expectedQuality, penalties[index] as number), 4),
        },
        evidence: {
          evalSamples: round(belief.evalSamples, 2),
          liveSamples: round(belief.liveSamples, 2),
          feedbackSamples: round(belief.feedbackSamples, 2),
          probeSamples: belief.probeSamples,
          sources: belief.sources,
        },
      }));
      entries.sort((a, b) => b.weight - a.weight || a.model.localeCompare(b.model));
      const fallbackOrder = [...entries]
        .sort((a, b) => (b.expected.utility ?? 0) - (a.expected.utility ?? 0) || a.model.localeCompare(b.model))
        .map((entry) => entry.model);
      const categoryPolicy: CategoryPolicy = { models: entries, fallbackOrder };
      const fit = fits.get(category);
      if (fit && categoryPool.length > 1) {
        const penaltyByModel = new Map(categoryPool.map((id, index) => [id, (penalties[index] as number) / (route.objective.quality || 1)]));
        categoryPolicy.contextual = contextualPolicyFromFit(fit, penaltyByModel, tuning.contextualStrength, new Set(categoryPool));
      }
      categories[category] = categoryPolicy;
    }
    excluded.push(...excludedInCategories);
    if (pool.length > 0 && Object.values(categories).every((category) => category.models.length === 0)) {
      fallbackNote = 'No model meets minQuality in any category, so the route has no model: its requests are refused with the reasons above until one does.';
    }
    routes[route.name] = {
      objective: route.objective,
      constraints: route.constraints,
      candidates,
      categories,
      why: explainRoute(tuning, route, eligible, excluded, categories, settings, fallbackNote),
      excluded: excluded.map((entry) => ({ ...entry })),
    };
  }

  return parsePolicyDocument({
    schemaVersion: POLICY_SCHEMA_VERSION,
    parentHash: input.parent ? policyHash(input.parent) : null,
    createdAt: input.now.toISOString(),
    generator: {
      algorithm: settings.algorithm,
      version: OPTIMIZER_VERSION,
      settings: { ...settings, seed: input.seed },
    },
    models: modelsSection(input.models),
    routes,
    ...(classifier ? { classifier } : {}),
  });
}
