import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { apiKeyVariable, assertNoSecrets, decideRoute, exportPolicy, parsePolicyDocument, policyHash, type ExportDeployment, type PolicyDocument } from './index';

/** As the catalog describes the simulated fleet (sage-pro renamed upstream, to show it is used). */
const simulatedFleet: Record<string, ExportDeployment> = {
  'sim-openai/swift-mini': { upstreamName: 'swift-mini', baseUrl: 'http://127.0.0.1:7072/openai/v1' },
  'sim-anthropic/sage-pro': { litellmProvider: 'anthropic', upstreamName: 'sage-pro-2', baseUrl: 'http://127.0.0.1:7072/anthropic', defaultBaseUrl: 'https://api.anthropic.com' },
};

const fixture = (): PolicyDocument => parsePolicyDocument(JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'policy-v1.json'), 'utf8')));

describe('exportPolicy', () => {
  it('json: canonical text that parses back to the same document and hash', () => {
    const policy = fixture();
    const text = exportPolicy(policy, 'json');
    expect(text.startsWith('{"createdAt"')).toBe(true);
    const back = parsePolicyDocument(JSON.parse(text));
    expect(policyHash(back)).toBe(policyHash(policy));
  });

  it('litellm: YAML with one weighted deployment per model, env-referenced keys and fallbacks', () => {
    const policy = fixture();
    policy.routes.cheap = structuredClone(policy.routes.auto!);
    const text = exportPolicy(policy, 'litellm', { deployments: simulatedFleet });
    expect(text.split('\n')[0]).toBe(`# LiteLLM proxy config exported from Switchyard policy ${policyHash(policy)} (created ${policy.createdAt})`);
    const config = parse(text) as {
      model_list: Array<{ model_name: string; litellm_params: { model: string; api_key: string; api_base?: string; weight?: number } }>;
      router_settings: { routing_strategy: string; fallbacks: Array<Record<string, string[]>> };
    };
    const auto = config.model_list.filter((entry) => entry.model_name === 'auto');
    // LiteLLM's own model names: the simulator's OpenAI-compatible endpoint through `openai/`
    // with its base, the Anthropic-format one through `anthropic/` with the configured base.
    expect(auto.map((entry) => [entry.litellm_params.model, entry.litellm_params.api_base, entry.litellm_params.weight])).toEqual([
      ['openai/swift-mini', 'http://127.0.0.1:7072/openai/v1', 0.8],
      ['anthropic/sage-pro-2', 'http://127.0.0.1:7072/anthropic', 0.2],
    ]);
    expect(auto[0]?.litellm_params.api_key).toBe('os.environ/SIM_OPENAI_API_KEY');
    expect(config.model_list.some((entry) => entry.model_name === 'auto:cheap')).toBe(true);
    expect(config.router_settings.routing_strategy).toBe('simple-shuffle');
    expect(config.router_settings.fallbacks[0]).toEqual({ auto: ['sim-openai/swift-mini', 'sim-anthropic/sage-pro'] });
    // Every fallback target exists as a model group.
    const groups = new Set(config.model_list.map((entry) => entry.model_name));
    for (const fallback of config.router_settings.fallbacks) for (const list of Object.values(fallback)) for (const model of list) expect(groups.has(model)).toBe(true);
  });

  it('litellm: native providers by their LiteLLM prefix, api_base only where Switchyard does not call the public API', () => {
    const policy = fixture();
    const models = (deployments: Record<string, ExportDeployment>) =>
      (parse(exportPolicy(policy, 'litellm', { deployments })) as { model_list: Array<{ model_name: string; litellm_params: Record<string, unknown> }> }).model_list
        .filter((entry) => entry.model_name === 'auto')
        .map((entry) => ({ model: entry.litellm_params.model, api_base: entry.litellm_params.api_base }));
    expect(
      models({
        'sim-openai/swift-mini': { litellmProvider: 'together_ai', upstreamName: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', defaultBaseUrl: 'https://api.together.xyz/v1' },
        'sim-anthropic/sage-pro': { upstreamName: 'Qwen/Qwen2.5-7B-Instruct', defaultBaseUrl: 'http://127.0.0.1:8000/v1' },
      }),
    ).toEqual([
      { model: 'together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo', api_base: undefined },
      { model: 'openai/Qwen/Qwen2.5-7B-Instruct', api_base: 'http://127.0.0.1:8000/v1' },
    ]);
    // Without the catalog, the id is read as provider type / model name.
    expect(models({})).toEqual([
      { model: 'openai/swift-mini', api_base: undefined },
      { model: 'openai/sage-pro', api_base: undefined },
    ]);
  });

  it('portkey: the vendor model name goes into override_params', () => {
    const config = JSON.parse(exportPolicy(fixture(), 'portkey', { deployments: simulatedFleet })) as { targets: Array<{ targets?: Array<{ override_params: { model: string } }> }> };
    expect(config.targets[0]!.targets!.map((target) => target.override_params.model)).toEqual(['swift-mini', 'sage-pro-2']);
  });

  it('portkey: fallback on 429/5xx over a weighted loadbalance, no keys', () => {
    const text = exportPolicy(fixture(), 'portkey');
    const config = JSON.parse(text) as {
      strategy: { mode: string; on_status_codes: number[] };
      targets: Array<{ strategy?: { mode: string }; targets?: Array<{ provider: string; weight: number; override_params: { model: string } }>; provider?: string }>;
    };
    expect(config.strategy.mode).toBe('fallback');
    expect(config.strategy.on_status_codes).toEqual(expect.arrayContaining([429, 500, 502, 503]));
    const balance = config.targets[0]!;
    expect(balance.strategy?.mode).toBe('loadbalance');
    expect(balance.targets?.map((target) => [target.provider, target.override_params.model, target.weight])).toEqual([
      ['@sim-openai', 'swift-mini', 0.8],
      ['@sim-anthropic', 'sage-pro', 0.2],
    ]);
    expect(text).not.toMatch(/api_key/);
  });

  it('portkey: exports the route asked for, by policy or public name, and names the routes of an unknown one', () => {
    const policy = fixture();
    const cheap = structuredClone(policy.routes.auto!);
    cheap.categories.general!.models = [
      { ...cheap.categories.general!.models[0]!, weight: 1 },
      { ...cheap.categories.general!.models[1]!, weight: 0 },
    ];
    cheap.categories.general!.fallbackOrder = ['sim-openai/swift-mini'];
    policy.routes.cheap = cheap;
    const balanced = (options: { route?: string }) =>
      (JSON.parse(exportPolicy(policy, 'portkey', options)) as { targets: Array<{ targets?: Array<{ override_params: { model: string }; weight: number }> }> }).targets[0]!.targets!.map(
        (target) => [target.override_params.model, target.weight],
      );
    expect(balanced({})).toEqual([
      ['swift-mini', 0.8],
      ['sage-pro', 0.2],
    ]);
    expect(balanced({ route: 'cheap' })).toEqual([['swift-mini', 1]]);
    expect(balanced({ route: 'auto:cheap' })).toEqual([['swift-mini', 1]]);
    expect(() => exportPolicy(policy, 'portkey', { route: 'fast' })).toThrow('the policy has no route "fast"; its routes are auto, cheap');
    expect(() => exportPolicy(policy, 'portkey', { route: 'fast' })).toThrow(expect.objectContaining({ code: 'bad_request', param: 'route' }));
  });

  it('refuses a route for litellm (every route is exported) and json (the whole document)', () => {
    const policy = fixture();
    expect(() => exportPolicy(policy, 'litellm', { route: 'auto' })).toThrow(/portkey format only: the LiteLLM export has every route/);
    expect(() => exportPolicy(policy, 'json', { route: 'auto' })).toThrow(/portkey format only: the JSON export is the whole document/);
  });

  it('refuses to export anything that looks like a credential', () => {
    const policy = fixture();
    (policy.generator.settings as Record<string, unknown>).apiKey = 'sk-live-0123456789abcdefghijkl';
    expect(() => exportPolicy(policy, 'json')).toThrow(/credential/);
    expect(() => assertNoSecrets({ api_key: 'os.environ/OPENAI_API_KEY' })).not.toThrow();
    expect(() => assertNoSecrets({ note: 'Bearer abcdefghijklmnopqrstuvwxyz' })).toThrow(/credential/);
    expect(apiKeyVariable('together-ai')).toBe('TOGETHER_AI_API_KEY');
  });
});

describe('decideRoute', () => {
  it('uses general without a classifier and draws from the weights', () => {
    const policy = fixture();
    expect(decideRoute(policy, 'auto', 'hello', 0.1)).toEqual({
      category: 'general',
      confidence: null,
      weights: [
        { model: 'sim-openai/swift-mini', weight: 0.8 },
        { model: 'sim-anthropic/sage-pro', weight: 0.2 },
      ],
      model: 'sim-openai/swift-mini',
      fallbacks: ['sim-anthropic/sage-pro'],
    });
    expect(decideRoute(policy, 'auto', 'hello', 0.9)?.model).toBe('sim-anthropic/sage-pro');
    expect(decideRoute(policy, 'nope', 'hello', 0.1)).toBeNull();
  });
});
