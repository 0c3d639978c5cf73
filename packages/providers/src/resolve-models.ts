/**
 * From configuration to the concrete list of providers and models Switchyard serves:
 * configured providers with their configured models (or a vendor's default models from the
 * price catalog when a provider came from an env key alone), or — when no real provider is
 * configured and the simulator is not off — the simulated fleet.
 */
import {
  capabilitiesSchema,
  formatModelId,
  type Capabilities,
  type ModelConfig,
  type Price,
  type ProviderConfig,
  type SwitchyardConfig,
} from '@switchyard/core';
import { loadPriceCatalog, type PriceCatalog } from './catalog';
import { getVendor } from './registry';
import { loadFleet, simulatorProviderConfigs, simulatorProviders, type Fleet } from './simulator/fleet';

export type PriceSource = 'config' | 'catalog' | 'fleet';

export interface ResolvedModel {
  /** `provider/model`. */
  id: string;
  providerId: string;
  upstreamName: string;
  displayName: string;
  price: Price;
  /** Where the price came from. Models with no known price (local vLLM/Ollama) are free, source `config`. */
  priceSource: PriceSource;
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities: Capabilities;
  enabled: boolean;
}

export interface ResolvedModels {
  providers: ProviderConfig[];
  models: ResolvedModel[];
}

export interface ResolveModelsOptions {
  catalog?: PriceCatalog;
  /** The simulator fleet (default: `config.simulator.fleetFile` or the bundled fleet). */
  fleet?: Fleet;
  /** Host the simulator is reached at (default 127.0.0.1). */
  simulatorHost?: string;
}

const FREE: Price = { inputPerMTok: 0, outputPerMTok: 0 };

/** Should the simulated fleet be registered as providers? */
export function usesSimulator(config: SwitchyardConfig): boolean {
  if (config.simulator.mode === 'on') return true;
  if (config.simulator.mode === 'off') return false;
  return !config.providers.some((provider) => provider.enabled);
}

/** OpenRouter vendor prefixes that differ from the catalog's vendor ids. */
const vendorAliases: Record<string, string> = { mistralai: 'mistral', xai: 'x-ai' };

function catalogEntry(catalog: PriceCatalog, provider: ProviderConfig, upstreamName: string) {
  const source = getVendor(provider.type)?.catalog;
  if (!source) return undefined;
  if (source.vendorPrefixed) {
    const slash = upstreamName.indexOf('/');
    if (slash <= 0) return undefined;
    const vendor = upstreamName.slice(0, slash);
    return catalog.find(vendorAliases[vendor] ?? vendor, upstreamName.slice(slash + 1));
  }
  const prefix = source.modelPrefix ?? '';
  const name = prefix && upstreamName.startsWith(prefix) ? upstreamName.slice(prefix.length) : upstreamName;
  return catalog.find(source.provider, name);
}

function fromConfig(catalog: PriceCatalog, provider: ProviderConfig, model: ModelConfig): ResolvedModel {
  const upstreamName = model.upstreamName ?? model.id.slice(model.id.indexOf('/') + 1);
  const entry = catalogEntry(catalog, provider, upstreamName);
  const price = model.price ?? entry?.price;
  const contextWindow = model.contextWindow ?? entry?.contextWindow;
  return {
    id: model.id,
    providerId: provider.id,
    upstreamName,
    displayName: model.displayName ?? entry?.name ?? upstreamName,
    price: price ?? FREE,
    priceSource: model.price || !entry ? 'config' : 'catalog',
    ...(contextWindow === undefined ? {} : { contextWindow }),
    ...(model.maxOutputTokens === undefined ? {} : { maxOutputTokens: model.maxOutputTokens }),
    capabilities: model.capabilities,
    enabled: model.enabled && provider.enabled,
  };
}

function vendorDefaults(catalog: PriceCatalog, provider: ProviderConfig): ResolvedModel[] {
  const vendor = getVendor(provider.type);
  const names = vendor?.defaultModels ?? [];
  const capabilities = capabilitiesSchema.parse({});
  return names.map((upstreamName) => {
    const entry = catalogEntry(catalog, provider, upstreamName);
    return {
      id: formatModelId(provider.id, upstreamName),
      providerId: provider.id,
      upstreamName,
      displayName: entry ? `${entry.name} (${vendor?.displayName ?? provider.type})` : upstreamName,
      price: entry?.price ?? FREE,
      priceSource: entry ? 'catalog' : 'config',
      ...(entry?.contextWindow === undefined ? {} : { contextWindow: entry.contextWindow }),
      capabilities,
      enabled: provider.enabled,
    };
  });
}

/** The simulated fleet as providers and models. */
export function fleetModels(fleet: Fleet, port: number, host?: string): ResolvedModels {
  const providers = simulatorProviderConfigs(port, host);
  const models = fleet.models.map((model): ResolvedModel => {
    const providerId = simulatorProviders[model.format].id;
    return {
      id: formatModelId(providerId, model.name),
      providerId,
      upstreamName: model.name,
      displayName: model.displayName ?? model.name,
      price: model.price,
      priceSource: 'fleet',
      contextWindow: model.contextWindow,
      maxOutputTokens: model.maxOutputTokens,
      capabilities: model.capabilities,
      enabled: true,
    };
  });
  return { providers, models };
}

export function resolveModels(config: SwitchyardConfig, options: ResolveModelsOptions = {}): ResolvedModels {
  const catalog = options.catalog ?? loadPriceCatalog();
  const providers: ProviderConfig[] = [];
  const models: ResolvedModel[] = [];
  for (const provider of config.providers) {
    providers.push(provider);
    const configured = config.models.filter((model) => model.id.startsWith(`${provider.id}/`));
    if (configured.length > 0) models.push(...configured.map((model) => fromConfig(catalog, provider, model)));
    else models.push(...vendorDefaults(catalog, provider));
  }
  if (usesSimulator(config)) {
    const fleet = options.fleet ?? loadFleet(config.simulator.fleetFile);
    const simulated = fleetModels(fleet, config.simulator.port, options.simulatorHost);
    for (const provider of simulated.providers) {
      if (!providers.some((existing) => existing.id === provider.id)) providers.push(provider);
    }
    models.push(...simulated.models.filter((model) => !models.some((existing) => existing.id === model.id)));
  }
  return { providers, models };
}
