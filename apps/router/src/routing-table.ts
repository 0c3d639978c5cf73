/**
 * The routing table: the published policy compiled, at swap time, into per-(route, category)
 * arrays the request path only indexes — models bound to their adapters, normalized draw
 * weights, the fallback order, the expected outcomes the hint constraints test, and the
 * `/v1/models` body. A swap replaces the whole table; a request keeps the table it started with.
 *
 * Cold start (no policy ever published, or a route the policy does not know): the optimizer's
 * `coldStartPolicy` — per route one `general` category over the route's models that meet its
 * price constraints; the cheapest gets `1 − exploration` of the weight and `exploration` is
 * spread uniformly over all of them, so every model keeps being measured until the optimizer
 * publishes a first policy. Its placeholder expectations are not used for hint constraints.
 */
import { blendedPricePerMTok, DEFAULT_CATEGORY, type Capabilities, type RouteConfig } from '@switchyard/core';
import { coldStartPolicy } from '@switchyard/optimizer';
import type { ContextualPolicy, ExpectedOutcome, PolicyDocument, RoutePolicy } from '@switchyard/policy';
import type { ModelBinding, ProviderSet } from '@switchyard/providers';

export const COLD_START_EXPLORATION = 0.2;
export const COLD_START_RULE = `no policy published yet: per route, the cheapest model meeting the route's constraints gets ${1 - COLD_START_EXPLORATION} of the traffic and ${COLD_START_EXPLORATION} is spread uniformly over all its candidates`;

export interface ModelEntry {
  id: string;
  binding: ModelBinding;
  /** Blended price (3:1 input:output) per 1M tokens. */
  blendedPrice: number;
  capabilities: Capabilities;
}

export interface CategoryTable {
  category: string;
  /** Models in fallback order (highest weight first). */
  entries: ModelEntry[];
  /** Draw weight of each entry (sums to 1 over entries, or all zero). */
  weights: number[];
  expected: Array<ExpectedOutcome | undefined>;
  /** `{model, weight}` list for decision records; shared, never mutated. */
  candidates: Array<{ model: string; weight: number }>;
  /** Per-prompt adjustment of the weights, when the policy has a contextual model here. */
  contextual?: { policy: ContextualPolicy; entryIndex: Int32Array } | undefined;
}

export interface RouteTable {
  name: string;
  config: RouteConfig;
  source: 'policy' | 'cold-start';
  categories: Map<string, CategoryTable>;
  /** `general`, or the first category when the policy has no `general`. */
  fallbackCategory: CategoryTable;
}

export interface RoutingTable {
  policyHash: string | null;
  algorithm: string;
  coldStart: boolean;
  loadedAt: string;
  routes: Map<string, RouteTable>;
  /** Routes whose policy had no usable model and fell back to the cold-start rule. */
  coldStartRoutes: string[];
  models: Map<string, ModelEntry>;
  /** The `/v1/models` response body, serialized once. */
  modelsListBody: string;
  document: PolicyDocument | undefined;
}

export interface CompileInput {
  providerSet: Pick<ProviderSet, 'models' | 'find'>;
  routes: readonly RouteConfig[];
  policy?: { hash: string; document: PolicyDocument } | undefined;
  now?: Date;
}

function modelEntries(providerSet: CompileInput['providerSet']): Map<string, ModelEntry> {
  const entries = new Map<string, ModelEntry>();
  for (const model of providerSet.models) {
    const binding = providerSet.find(model.id);
    if (!binding || !model.enabled) continue;
    entries.set(model.id, { id: model.id, binding, blendedPrice: blendedPricePerMTok(model.price), capabilities: model.capabilities });
  }
  return entries;
}

function policyCategory(
  category: string,
  policy: RoutePolicy['categories'][string],
  models: Map<string, ModelEntry>,
  coldStart: boolean,
): CategoryTable | undefined {
  const weightOf = new Map<string, { weight: number; expected: ExpectedOutcome }>();
  for (const item of policy.models) if (models.has(item.model)) weightOf.set(item.model, { weight: item.weight, expected: item.expected });
  const order: string[] = [];
  for (const id of policy.fallbackOrder) if (models.has(id) && !order.includes(id)) order.push(id);
  const rest = [...weightOf.entries()].filter(([id]) => !order.includes(id)).sort((a, b) => b[1].weight - a[1].weight);
  for (const [id] of rest) order.push(id);
  if (order.length === 0) return undefined;
  const entries = order.map((id) => models.get(id) as ModelEntry);
  const raw = order.map((id) => weightOf.get(id)?.weight ?? 0);
  const total = raw.reduce((sum, weight) => sum + weight, 0);
  const weights = raw.map((weight) => (total > 0 ? weight / total : 0));
  const contextual = policy.contextual && policy.contextual.models.length > 0 && policy.contextual.strength > 0 ? policy.contextual : undefined;
  return {
    category,
    entries,
    weights,
    expected: order.map((id) => (coldStart ? undefined : weightOf.get(id)?.expected)),
    candidates: entries.map((entry, index) => ({ model: entry.id, weight: weights[index] as number })),
    contextual: contextual
      ? { policy: contextual, entryIndex: Int32Array.from(contextual.models.map((model) => order.indexOf(model.model))) }
      : undefined,
  };
}

function policyRoute(name: string, config: RouteConfig, policy: RoutePolicy, models: Map<string, ModelEntry>, source: RouteTable['source']): RouteTable | undefined {
  const categories = new Map<string, CategoryTable>();
  for (const [category, categoryPolicy] of Object.entries(policy.categories)) {
    const table = policyCategory(category, categoryPolicy, models, source === 'cold-start');
    if (table) categories.set(category, table);
  }
  const fallbackCategory = categories.get(DEFAULT_CATEGORY) ?? categories.values().next().value;
  if (!fallbackCategory) return undefined;
  return { name, config, source, categories, fallbackCategory };
}

function routeConfigFromPolicy(name: string, policy: RoutePolicy): RouteConfig {
  return { name, candidates: policy.candidates, objective: policy.objective, constraints: policy.constraints };
}

/** Compile routes, models and the published policy (if any) into a routing table. */
export function compileRoutingTable(input: CompileInput): RoutingTable {
  const models = modelEntries(input.providerSet);
  const routes = new Map<string, RouteTable>();
  const coldStartRoutes: string[] = [];
  const document = input.policy?.document;
  const configs = new Map(input.routes.map((route) => [route.name, route]));
  if (document) for (const [name, policy] of Object.entries(document.routes)) if (!configs.has(name)) configs.set(name, routeConfigFromPolicy(name, policy));
  const missing: RouteConfig[] = [];
  for (const [name, config] of configs) {
    const policy = document?.routes[name];
    const compiled = policy ? policyRoute(name, config, policy, models, 'policy') : undefined;
    if (compiled) routes.set(name, compiled);
    else missing.push(config);
  }
  if (missing.length > 0) {
    const cold = coldStartPolicy(missing, input.providerSet.models);
    for (const config of missing) {
      const policy = cold.routes[config.name];
      const compiled = policy ? policyRoute(config.name, config, policy, models, 'cold-start') : undefined;
      if (!compiled) continue;
      routes.set(config.name, compiled);
      if (document) coldStartRoutes.push(config.name);
    }
  }
  const created = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const data: Array<{ id: string; object: 'model'; created: number; owned_by: string }> = [];
  for (const name of routes.keys()) data.push({ id: name === 'auto' ? 'auto' : `auto:${name}`, object: 'model', created, owned_by: 'switchyard' });
  for (const entry of models.values()) data.push({ id: entry.id, object: 'model', created, owned_by: entry.binding.model.providerId });
  return {
    policyHash: input.policy?.hash ?? null,
    algorithm: document ? document.generator.algorithm : 'cold-start',
    coldStart: !document,
    loadedAt: (input.now ?? new Date()).toISOString(),
    routes,
    coldStartRoutes,
    models,
    modelsListBody: JSON.stringify({ object: 'list', data }),
    document,
  };
}
