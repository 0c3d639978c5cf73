/**
 * Export a policy for other gateways, so a team can take Switchyard's learned weights into the
 * gateway it already runs.
 *
 * - `json`: the canonical JSON of the document (sorted keys; its SHA-256 is the policy id).
 * - `litellm`: a LiteLLM proxy `config.yaml` (YAML). Every route becomes a model group named
 *   like Switchyard's public model name (`auto`, `auto:cheap`, …) with one deployment per model
 *   whose `litellm_params.weight` is the route's `general`-category weight (LiteLLM's
 *   `simple-shuffle` strategy draws deployments by weight); each model also gets a group of its
 *   own so `router_settings.fallbacks` can list the route's fallback order. A deployment names
 *   the model the way LiteLLM does (`<litellm provider>/<vendor model name>`, from the catalog's
 *   `deployments`), with `api_base` where Switchyard reaches the provider somewhere else than
 *   the vendor's public API (a configured base URL, vLLM, Ollama, any OpenAI-compatible server:
 *   those go through LiteLLM's `openai/` provider). Keys are `os.environ/<PROVIDER>_API_KEY`
 *   references.
 * - `portkey`: a Portkey gateway config (JSON) for one route (option `route`, default `auto`;
 *   a Portkey config is one strategy tree, so export each route separately): a `fallback`
 *   strategy on 429 and 5xx whose first target is a `loadbalance` over the weighted models and
 *   whose next targets follow the fallback order. Targets name providers by Portkey
 *   Model-Catalog slug (`@<provider>`) and the model (the vendor's name for it) through
 *   `override_params`; no key is included.
 * Per-category weights, the classifier and the contextual model have no equivalent in those
 * gateways: the `general` category (the fallback category) is exported. Secrets are never
 * exported: the output is checked and export fails if something that looks like a key slipped in.
 */
import { stringify } from 'yaml';
import { publicRouteName, SwitchyardError } from '@switchyard/core';
import { canonicalize, policyHash } from './canonical';
import type { CategoryPolicy, PolicyDocument, RoutePolicy } from './schema';

export const exportFormats = ['json', 'litellm', 'portkey'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportOptions {
  /**
   * Portkey only: which route to export, as named in the policy (`cheap`) or as clients
   * address it (`auto:cheap`); default `auto`, else the policy's first route. `litellm`
   * exports every route and `json` the whole document, so a route with them is refused.
   */
  route?: string;
  /** Category whose weights are exported (default `general`). */
  category?: string;
  /**
   * How each model is reached, by model id (from the catalog). A model without an entry is
   * exported through LiteLLM's `openai/` provider under the model part of its id.
   */
  deployments?: Readonly<Record<string, ExportDeployment>>;
  /** The stored version's hash, named in the LiteLLM header (default: the document's hash). */
  hash?: string;
}

/** What an export needs to know about where a model is served (never a key). */
export interface ExportDeployment {
  /**
   * LiteLLM's provider prefix (`together_ai`) when LiteLLM serves the vendor natively (each
   * vendor of `@switchyard/providers` declares it); every other model (vLLM, Ollama, any
   * OpenAI-compatible server) goes through LiteLLM's `openai/` provider with its base URL,
   * which is how Switchyard itself calls them.
   */
  litellmProvider?: string | undefined;
  /** The vendor's name of the model (`upstreamName`). */
  upstreamName: string;
  /** The provider's configured base URL, if any. */
  baseUrl?: string | undefined;
  /** The adapter's default base URL, used when none is configured. */
  defaultBaseUrl?: string | undefined;
}

/**
 * The policy route a per-route export covers (see `ExportOptions.route`). Throws a
 * `bad_request` naming the policy's routes when it has no such route.
 */
export function resolveExportRoute(policy: PolicyDocument, route?: string): string {
  const routes = Object.keys(policy.routes);
  if (route === undefined) {
    const fallback = 'auto' in policy.routes ? 'auto' : routes[0];
    if (fallback === undefined) throw new SwitchyardError('bad_request', 'the policy has no routes to export', { param: 'route' });
    return fallback;
  }
  const name = route.startsWith('auto:') ? route.slice('auto:'.length) : route;
  if (!Object.hasOwn(policy.routes, name)) {
    throw new SwitchyardError('bad_request', `the policy has no route "${route}"; its routes are ${routes.join(', ') || '(none)'}`, { param: 'route' });
  }
  return name;
}

function splitModelId(id: string): { provider: string; model: string } {
  const slash = id.indexOf('/');
  return slash > 0 ? { provider: id.slice(0, slash), model: id.slice(slash + 1) } : { provider: 'openai', model: id };
}

/** `OPENAI_API_KEY` for provider `openai`, `SIM_OPENAI_API_KEY` for `sim-openai`. */
export function apiKeyVariable(provider: string): string {
  return `${provider.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY`;
}

function categoryOf(route: RoutePolicy, category: string): CategoryPolicy | undefined {
  return route.categories[category] ?? route.categories.general ?? Object.values(route.categories)[0];
}

const round = (value: number): number => Math.round(value * 1e4) / 1e4;

const SECRET_KEY = /^(api[_-]?key|secret|password|authorization|token|access[_-]?token)$/i;
const SECRET_VALUE = /\b(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{10,}|AIza[0-9A-Za-z_-]{20,}|gsk_[A-Za-z0-9]{20,}|Bearer\s+[A-Za-z0-9._-]{16,})/;

/** Throws if `value` holds something that looks like a credential (env references are fine). */
export function assertNoSecrets(value: unknown, path = '$'): void {
  if (typeof value === 'string') {
    if (SECRET_VALUE.test(value)) throw new Error(`refusing to export: ${path} looks like a credential`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertNoSecrets(item, `${path}[${index}]`));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (SECRET_KEY.test(key) && typeof item === 'string' && !item.startsWith('os.environ/')) {
        throw new Error(`refusing to export: ${path}.${key} holds a literal credential`);
      }
      assertNoSecrets(item, `${path}.${key}`);
    }
  }
}

/** The LiteLLM proxy config as an object (see `exportPolicy(doc, 'litellm')` for YAML). */
export function toLiteLlmConfig(policy: PolicyDocument, options: ExportOptions = {}) {
  const modelList: Array<{ model_name: string; litellm_params: Record<string, unknown>; model_info?: Record<string, unknown> }> = [];
  const fallbacks: Array<Record<string, string[]>> = [];
  const seen = new Set<string>();
  const params = (id: string): Record<string, unknown> => {
    const { provider, model } = splitModelId(id);
    const deployment: ExportDeployment = options.deployments?.[id] ?? { upstreamName: model };
    const native = deployment.litellmProvider;
    const apiBase = native === undefined ? (deployment.baseUrl ?? deployment.defaultBaseUrl) : deployment.baseUrl;
    return {
      model: `${native ?? 'openai'}/${deployment.upstreamName}`,
      ...(apiBase === undefined ? {} : { api_base: apiBase }),
      api_key: `os.environ/${apiKeyVariable(provider)}`,
    };
  };
  for (const [name, route] of Object.entries(policy.routes)) {
    const category = categoryOf(route, options.category ?? 'general');
    if (!category) continue;
    const group = publicRouteName(name);
    for (const entry of category.models) {
      if (entry.weight <= 0) continue;
      modelList.push({
        model_name: group,
        litellm_params: { ...params(entry.model), weight: round(entry.weight) },
        model_info: { id: `${group}:${entry.model}`, switchyard_expected_quality: entry.expected.quality },
      });
    }
    const order = category.fallbackOrder.length > 0 ? category.fallbackOrder : category.models.map((entry) => entry.model);
    if (order.length > 0) fallbacks.push({ [group]: order });
    for (const model of order) seen.add(model);
  }
  for (const model of [...seen].sort()) {
    modelList.push({ model_name: model, litellm_params: params(model) });
  }
  return {
    model_list: modelList,
    router_settings: { routing_strategy: 'simple-shuffle', num_retries: 1, fallbacks },
    litellm_settings: { drop_params: true },
  };
}

interface PortkeyTarget {
  provider?: string;
  override_params?: { model: string };
  weight?: number;
  strategy?: { mode: 'loadbalance' | 'fallback'; on_status_codes?: number[] };
  targets?: PortkeyTarget[];
}

/** The Portkey gateway config of one route as an object. */
export function toPortkeyConfig(policy: PolicyDocument, options: ExportOptions = {}): PortkeyTarget & { strategy: NonNullable<PortkeyTarget['strategy']> } {
  const route = policy.routes[resolveExportRoute(policy, options.route)]!;
  const category = categoryOf(route, options.category ?? 'general');
  const target = (id: string, weight?: number): PortkeyTarget => {
    const { provider, model } = splitModelId(id);
    const upstreamName = options.deployments?.[id]?.upstreamName ?? model;
    return { provider: `@${provider}`, override_params: { model: upstreamName }, ...(weight !== undefined ? { weight: round(weight) } : {}) };
  };
  const weighted = (category?.models ?? []).filter((entry) => entry.weight > 0);
  const order = category?.fallbackOrder ?? [];
  return {
    strategy: { mode: 'fallback', on_status_codes: [429, 500, 502, 503, 504] },
    targets: [
      { strategy: { mode: 'loadbalance' }, targets: weighted.map((entry) => target(entry.model, entry.weight)) },
      ...order.slice(0, 3).map((id) => target(id)),
    ],
  };
}

/**
 * Serialize `policy` for another gateway. `json` and `portkey` are JSON text; `litellm` is
 * YAML text (a LiteLLM proxy `config.yaml`).
 */
export function exportPolicy(policy: PolicyDocument, format: ExportFormat, options: ExportOptions = {}): string {
  if (options.route !== undefined && format !== 'portkey') {
    const scope = format === 'litellm' ? 'the LiteLLM export has every route (one model group each)' : 'the JSON export is the whole document';
    throw new SwitchyardError('bad_request', `route applies to the portkey format only: ${scope}`, { param: 'route' });
  }
  let text: string;
  let value: unknown;
  switch (format) {
    case 'json':
      value = policy;
      text = canonicalize(policy);
      break;
    case 'litellm':
      value = toLiteLlmConfig(policy, options);
      text = `# LiteLLM proxy config exported from Switchyard policy ${options.hash ?? policyHash(policy)} (created ${policy.createdAt})\n${stringify(value)}`;
      break;
    case 'portkey':
      value = toPortkeyConfig(policy, options);
      text = `${JSON.stringify(value, null, 2)}\n`;
      break;
    default:
      throw new Error(`unknown export format ${String(format)}`);
  }
  assertNoSecrets(value);
  return text;
}
