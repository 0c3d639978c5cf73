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
 *
 * Models disabled in the catalog (the dashboard's switch, `PATCH /api/models`) are left out
 * everywhere: no route draws them and a direct request for one is refused. A route whose
 * policy has no model at all (every candidate broke a constraint, or none is enabled) is kept
 * as unusable, with the policy's reasons, so a request to it is refused with them instead of
 * being served by a model the route's constraints exclude.
 *
 * Direct requests (`provider/model`) get a one-model table each, so routing hints and content
 * checks apply to them exactly as to a route; their expectations are the `auto` route's.
 */
import { blendedPricePerMTok, DEFAULT_CATEGORY, publicRouteName, type Capabilities, type RouteConfig } from '@switchyard/core';
import { coldStartPolicy } from '@switchyard/optimizer';
import { type ContextualPolicy, type ExpectedOutcome, type PolicyDocument, type RoutePolicy } from '@switchyard/policy';
import type { ModelBinding, ProviderSet } from '@switchyard/providers';

export const COLD_START_EXPLORATION = 0.2;
export const COLD_START_RULE = `no policy published yet: per route, the cheapest model meeting the route's constraints gets ${1 - COLD_START_EXPLORATION} of the traffic and ${COLD_START_EXPLORATION} is spread uniformly over all its candidates`;

export interface ModelEntry {
  id: string;
  binding: ModelBinding;
  /** Blended price (3:1 input:output) per 1M tokens. */
  blendedPrice: number;
  capabilities: Capabilities;
  /** Context window in tokens, when known. */
  contextWindow?: number | undefined;
  /** Most output tokens the model produces per request, when known. */
  maxOutputTokens?: number | undefined;
}

export interface CategoryTable {
  category: string;
  /** Models in fallback order (highest weight first). */
  entries: ModelEntry[];
  /** Draw weight of each entry (sums to 1 over entries, or all zero). */
  weights: number[];
  expected: Array<ExpectedOutcome | undefined>;
  /** `{model, weight}` list for decision records; shared, never mutated. */
  candidates: ReadonlyArray<{ model: string; weight: number }>;
  /**
   * The smallest context window and output limit among the entries (Infinity when none is
   * known): a request within both skips the per-model limit checks, and the tokenizer.
   */
  limits: { contextWindow: number; maxOutputTokens: number };
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
  /**
   * Categories of the policy with no model to serve them here, and why: their requests are
   * refused rather than served by the fallback category's models, which the route's constraints
   * may exclude for them.
   */
  closedCategories: Map<string, string>;
}

export interface RoutingTable {
  policyHash: string | null;
  algorithm: string;
  coldStart: boolean;
  loadedAt: string;
  routes: Map<string, RouteTable>;
  /** Routes whose policy had no usable model and fell back to the cold-start rule. */
  coldStartRoutes: string[];
  /** Routes with no model to route to, and why (the policy's exclusions). */
  unusableRoutes: Map<string, string>;
  models: Map<string, ModelEntry>;
  /** One-model tables for direct `provider/model` requests. */
  direct: Map<string, CategoryTable>;
  /** Models the catalog has but are disabled. */
  disabled: ReadonlySet<string>;
  /** Categories the policy routes by (a hint naming another one routes as its route's fallback category). */
  categories: ReadonlySet<string>;
  /** The `/v1/models` response body, serialized once. */
  modelsListBody: string;
  document: PolicyDocument | undefined;
}

export interface CompileInput {
  providerSet: Pick<ProviderSet, 'models' | 'find'>;
  routes: readonly RouteConfig[];
  policy?: { hash: string; document: PolicyDocument } | undefined;
  /** Model ids disabled in the catalog (Postgres), beyond those disabled in config. */
  disabledModels?: ReadonlySet<string> | undefined;
  now?: Date;
}

function modelEntries(providerSet: CompileInput['providerSet'], disabled: ReadonlySet<string>): Map<string, ModelEntry> {
  const entries = new Map<string, ModelEntry>();
  for (const model of providerSet.models) {
    const binding = providerSet.find(model.id);
    if (!binding || !model.enabled || disabled.has(model.id)) continue;
    entries.set(model.id, {
      id: model.id,
      binding,
      blendedPrice: blendedPricePerMTok(model.price),
      capabilities: model.capabilities,
      contextWindow: model.contextWindow,
      maxOutputTokens: model.maxOutputTokens,
    });
  }
  return entries;
}

/** The smallest known context window and output limit of `entries`. */
function limitsOf(entries: readonly ModelEntry[]): CategoryTable['limits'] {
  let contextWindow = Infinity;
  let maxOutputTokens = Infinity;
  for (const entry of entries) {
    if (entry.contextWindow !== undefined) contextWindow = Math.min(contextWindow, entry.contextWindow);
    if (entry.maxOutputTokens !== undefined) maxOutputTokens = Math.min(maxOutputTokens, entry.maxOutputTokens);
  }
  return { contextWindow, maxOutputTokens };
}

/** A one-model table for direct requests to `entry`, with the expectations `expected` has for it. */
function directTable(entry: ModelEntry, expected: ExpectedOutcome | undefined): CategoryTable {
  return { category: '', entries: [entry], weights: [1], expected: [expected], candidates: [{ model: entry.id, weight: 1 }], limits: limitsOf([entry]) };
}

/** Why a route of the policy has no model: its exclusions, or that it has no candidate. */
function unusableReason(policy: RoutePolicy): string {
  if (policy.excluded.length === 0) return 'it has no enabled candidate model';
  return `no model meets its constraints: ${policy.excluded.map((entry) => `${entry.model} (${entry.reason})`).join('; ')}`;
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
    limits: limitsOf(entries),
    contextual: contextual
      ? { policy: contextual, entryIndex: Int32Array.from(contextual.models.map((model) => order.indexOf(model.model))) }
      : undefined,
  };
}

/** Why a category of the policy has no model here. */
function closedReason(category: string, policy: RoutePolicy, categoryPolicy: RoutePolicy['categories'][string]): string {
  if (categoryPolicy.models.length > 0) return `none of its models (${categoryPolicy.models.map((entry) => entry.model).join(', ')}) is enabled here`;
  // The reason reads "in <category>: …"; policies from before exclusions carried their category only have that.
  const prefix = `in ${category}: `;
  const reasons = policy.excluded
    .filter((entry) => entry.category === category || (entry.category === undefined && entry.reason.startsWith(prefix)))
    .map((entry) => `${entry.model} (${entry.reason.startsWith(prefix) ? entry.reason.slice(prefix.length) : entry.reason})`);
  return reasons.length > 0 ? `no model meets the route's constraints there: ${reasons.join('; ')}` : 'the policy has no model for it';
}

function policyRoute(name: string, config: RouteConfig, policy: RoutePolicy, models: Map<string, ModelEntry>, source: RouteTable['source']): RouteTable | undefined {
  const categories = new Map<string, CategoryTable>();
  const closedCategories = new Map<string, string>();
  for (const [category, categoryPolicy] of Object.entries(policy.categories)) {
    const table = policyCategory(category, categoryPolicy, models, source === 'cold-start');
    if (table) categories.set(category, table);
    else closedCategories.set(category, closedReason(category, policy, categoryPolicy));
  }
  const fallbackCategory = categories.get(DEFAULT_CATEGORY) ?? categories.values().next().value;
  if (!fallbackCategory) return undefined;
  return { name, config, source, categories, fallbackCategory, closedCategories };
}

function routeConfigFromPolicy(name: string, policy: RoutePolicy): RouteConfig {
  return { name, candidates: policy.candidates, objective: policy.objective, constraints: policy.constraints };
}

/** Compile routes, models and the published policy (if any) into a routing table. */
export function compileRoutingTable(input: CompileInput): RoutingTable {
  const disabled = input.disabledModels ?? new Set<string>();
  const models = modelEntries(input.providerSet, disabled);
  const routes = new Map<string, RouteTable>();
  const coldStartRoutes: string[] = [];
  const unusableRoutes = new Map<string, string>();
  const document = input.policy?.document;
  const configs = new Map(input.routes.map((route) => [route.name, route]));
  if (document) for (const [name, policy] of Object.entries(document.routes)) if (!configs.has(name)) configs.set(name, routeConfigFromPolicy(name, policy));
  const missing: RouteConfig[] = [];
  for (const [name, config] of configs) {
    const policy = document?.routes[name];
    const compiled = policy ? policyRoute(name, config, policy, models, 'policy') : undefined;
    if (compiled) routes.set(name, compiled);
    // The optimizer found no model for the route: its reasons stand (a cold start would ignore them).
    else if (policy && Object.values(policy.categories).every((category) => category.models.length === 0)) unusableRoutes.set(name, unusableReason(policy));
    else missing.push(config);
  }
  if (missing.length > 0) {
    const catalog = input.providerSet.models.map((model) => (disabled.has(model.id) ? { ...model, enabled: false } : model));
    const cold = coldStartPolicy(missing, catalog);
    for (const config of missing) {
      const policy = cold.routes[config.name];
      const compiled = policy ? policyRoute(config.name, config, policy, models, 'cold-start') : undefined;
      if (!compiled) {
        if (policy) unusableRoutes.set(config.name, unusableReason(policy));
        continue;
      }
      routes.set(config.name, compiled);
      if (document) coldStartRoutes.push(config.name);
    }
  }
  const auto = routes.get('auto');
  const direct = new Map<string, CategoryTable>();
  for (const entry of models.values()) {
    const index = auto && auto.source === 'policy' ? auto.fallbackCategory.entries.indexOf(entry) : -1;
    direct.set(entry.id, directTable(entry, index >= 0 ? auto?.fallbackCategory.expected[index] : undefined));
  }
  const categories = new Set<string>([DEFAULT_CATEGORY]);
  for (const route of routes.values()) for (const name of [...route.categories.keys(), ...route.closedCategories.keys()]) categories.add(name);
  const created = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const data: Array<{ id: string; object: 'model'; created: number; owned_by: string }> = [];
  for (const name of routes.keys()) data.push({ id: publicRouteName(name), object: 'model', created, owned_by: 'switchyard' });
  for (const entry of models.values()) data.push({ id: entry.id, object: 'model', created, owned_by: entry.binding.model.providerId });
  return {
    policyHash: input.policy?.hash ?? null,
    algorithm: document ? document.generator.algorithm : 'cold-start',
    coldStart: !document,
    loadedAt: (input.now ?? new Date()).toISOString(),
    routes,
    coldStartRoutes,
    unusableRoutes,
    models,
    direct,
    disabled,
    categories,
    modelsListBody: JSON.stringify({ object: 'list', data }),
    document,
  };
}
