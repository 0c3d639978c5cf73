/**
 * The policy to use before any evidence exists (also what the router uses when nothing was
 * ever published).
 *
 * How it works: per route, the enabled candidates that meet the price-based constraints
 * (maxCostPerMTok, and maxCostPerRequestUsd at a typical 400-in/300-out request) are sorted
 * by blended price. The cheapest takes `1 − explorationShare` of the traffic and every
 * eligible model (the cheapest included) shares `explorationShare` uniformly, so evidence
 * about every model starts to accumulate. Only the `general` category exists. `createdAt`
 * defaults to the Unix epoch so the document — and its hash — is stable for a given config.
 */
import { DEFAULT_CATEGORY, blendedPricePerMTok, costUsd, parseModelId, type RouteConfig } from '@switchyard/core';
import { POLICY_SCHEMA_VERSION, parsePolicyDocument, type PolicyDocument, type RoutePolicy } from '@switchyard/policy';
import { DEFAULT_INPUT_TOKENS, DEFAULT_OUTPUT_TOKENS, type ModelInput } from './evidence';

export interface ColdStartOptions {
  /** Share of traffic spread uniformly over the eligible models (default 0.2). */
  explorationShare?: number;
  now?: Date;
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/** Cold-start policy: cheapest eligible model first, uniform exploration over the rest. */
export function coldStartPolicy(routes: readonly RouteConfig[], models: readonly ModelInput[], options: ColdStartOptions = {}): PolicyDocument {
  const share = Math.min(1, Math.max(0, options.explorationShare ?? 0.2));
  const byId = new Map(models.map((model) => [model.id, model]));
  const out: Record<string, RoutePolicy> = {};
  for (const route of routes) {
    const candidates = route.candidates.length > 0 ? [...route.candidates] : models.filter((model) => model.enabled).map((model) => model.id);
    const excluded: Array<{ model: string; reason: string }> = [];
    const eligible: Array<{ model: ModelInput; cost: number; blended: number }> = [];
    for (const id of candidates) {
      const model = byId.get(id);
      if (!model) {
        excluded.push({ model: id, reason: 'not in the model catalog' });
        continue;
      }
      if (!model.enabled) {
        excluded.push({ model: id, reason: 'disabled' });
        continue;
      }
      const blended = blendedPricePerMTok(model.price);
      const cost = costUsd(model.price, { promptTokens: DEFAULT_INPUT_TOKENS, completionTokens: DEFAULT_OUTPUT_TOKENS });
      const { maxCostPerMTok, maxCostPerRequestUsd } = route.constraints;
      if (maxCostPerMTok !== undefined && blended > maxCostPerMTok) {
        excluded.push({ model: id, reason: `blended price $${blended.toFixed(2)}/MTok exceeds the route's maxCostPerMTok $${maxCostPerMTok}` });
        continue;
      }
      if (maxCostPerRequestUsd !== undefined && cost > maxCostPerRequestUsd) {
        excluded.push({ model: id, reason: `typical request cost $${cost.toPrecision(2)} exceeds the route's maxCostPerRequestUsd $${maxCostPerRequestUsd}` });
        continue;
      }
      eligible.push({ model, cost, blended });
    }
    eligible.sort((a, b) => a.blended - b.blended || a.model.id.localeCompare(b.model.id));
    const count = eligible.length;
    const entries = eligible.map((entry, index) => ({
      model: entry.model.id,
      weight: round((index === 0 ? 1 - share : 0) + share / count),
      expected: {
        quality: 0.5,
        costPerRequestUsd: round(entry.cost),
        ttftP50Ms: null,
        ttftP95Ms: null,
        latencyP50Ms: null,
        latencyP95Ms: null,
      },
      evidence: { evalSamples: 0, liveSamples: 0, feedbackSamples: 0, probeSamples: 0, sources: [] },
    }));
    const cheapest = eligible[0];
    out[route.name] = {
      objective: route.objective,
      constraints: route.constraints,
      candidates,
      categories: { [DEFAULT_CATEGORY]: { models: entries, fallbackOrder: entries.map((entry) => entry.model) } },
      why: cheapest
        ? `Cold start: no evidence yet, so the cheapest eligible model (${cheapest.model.id}, $${cheapest.blended.toFixed(2)}/MTok blended) takes ${Math.round((1 - share + share / count) * 100)}% and all ${count} eligible models share ${Math.round(share * 100)}% uniformly to start measuring them.${excluded.length > 0 ? ` Excluded: ${excluded.map((entry) => `${entry.model} (${entry.reason})`).join('; ')}.` : ''}`
        : 'Cold start: no enabled candidate meets the constraints; the route has no model.',
      excluded,
    };
  }
  const modelInfo: PolicyDocument['models'] = {};
  for (const model of [...models].sort((a, b) => a.id.localeCompare(b.id))) {
    let provider = 'unknown';
    try {
      provider = parseModelId(model.id).provider;
    } catch {
      // Ids without a provider prefix keep "unknown".
    }
    modelInfo[model.id] = { provider, price: { inputPerMTok: model.price.inputPerMTok, outputPerMTok: model.price.outputPerMTok } };
  }
  return parsePolicyDocument({
    schemaVersion: POLICY_SCHEMA_VERSION,
    parentHash: null,
    createdAt: (options.now ?? new Date(0)).toISOString(),
    generator: { algorithm: 'cold-start', version: '1', settings: { explorationShare: share } },
    models: modelInfo,
    routes: out,
  });
}
