export { vendors, providerTypes, envProviderPresets, createAdapter, exportDeployments, getVendor } from './registry';
export type { VendorRegistration } from './vendor';
export { resolveModels, fleetModels, usesSimulator } from './resolve-models';
export type { ResolvedModel, ResolvedModels, ResolveModelsOptions, PriceSource } from './resolve-models';
export { createProviderSet } from './provider-set';
export type { ProviderSet, ModelBinding } from './provider-set';
export { loadPriceCatalog, parsePriceCatalog, PriceCatalog, DEFAULT_CATALOG_PATH } from './catalog';
export type { PriceCatalogEntry } from './catalog';
export { countTokens, estimateRequestTokens, warmTokenizer } from './tokenizer';
export { usageWithCost } from './cost';
export type { RawUsage } from './cost';
export { parseRetryAfterHeader, parseDuration, retryAfterFromHeaders, retryAfterFromBody } from './http/retry-after';
export { codeForStatus, errorFromResponse } from './http/error-mapping';
export { SseParser } from './http/sse';
export type { SseEvent } from './http/sse';
export { HttpAdapter } from './http/http-adapter';
export type { WireFormat, StreamDecoder, DecodedResponse } from './http/http-adapter';
export { createOpenAiCompatibleAdapter, openAiCompatibleFormat } from './openai-compatible/openai-compatible-adapter';
export type { OpenAiCompatiblePreset, OpenAiCompatibleQuirks } from './openai-compatible/openai-compatible-preset';
export { createAnthropicAdapter, encodeAnthropicRequest, ANTHROPIC_VERSION, JSON_TOOL_NAME } from './anthropic/anthropic-adapter';
export { createGeminiAdapter, encodeGeminiRequest } from './gemini/gemini-adapter';
export {
  fleetSchema,
  fleetModelSchema,
  latencyModelSchema,
  reliabilityModelSchema,
  loadFleet,
  skillFor,
  simulatorFormats,
  simulatorProviders,
  simulatorProviderConfigs,
  DEFAULT_FLEET_PATH,
} from './simulator/fleet';
export type { Fleet, FleetInput, FleetModel, LatencyModel, ReliabilityModel, SimulatorFormat } from './simulator/fleet';
export { collectStream } from './collect-stream';
