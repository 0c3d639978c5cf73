import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '@switchyard/core';
import { trainClassifier } from '@switchyard/optimizer';
import { parsePolicyDocument, type PolicyDocument } from '@switchyard/policy';
import type { ModelBinding, ResolvedModel } from '@switchyard/providers';
import { compileClassifier, decideCategory } from './category';
import { contextualWeights } from './contextual-weights';
import { compileRoutingTable } from './routing-table';

function resolved(id: string, price: number): ResolvedModel {
  return {
    id,
    providerId: id.split('/')[0] as string,
    upstreamName: id.split('/')[1] as string,
    displayName: id,
    price: { inputPerMTok: price, outputPerMTok: price },
    priceSource: 'config',
    capabilities: { tools: true, json: true, vision: false, streaming: true },
    enabled: true,
  };
}

const models = [resolved('p/cheap', 0.1), resolved('p/mid', 1), resolved('p/dear', 10)];
const providerSet = {
  models,
  find: (id: string) => {
    const model = models.find((candidate) => candidate.id === id);
    return model ? ({ adapter: {} as ProviderAdapter, model, settings: { id, upstreamName: model.upstreamName, price: model.price } } as ModelBinding) : undefined;
  },
};
const routes = [
  { name: 'auto', candidates: [], objective: { quality: 1, cost: 0.3, latency: 0.1 }, constraints: {} },
  { name: 'cheap', candidates: [], objective: { quality: 1, cost: 1.5, latency: 0.05 }, constraints: { maxCostPerMTok: 2 } },
];

const expected = { quality: 0.8, costPerRequestUsd: 0.001, ttftP50Ms: 100, ttftP95Ms: 200, latencyP50Ms: 300, latencyP95Ms: 600 };

describe('compileRoutingTable', () => {
  it('cold start: cheapest eligible gets most, exploration over the rest, route constraints applied', () => {
    const table = compileRoutingTable({ providerSet, routes });
    expect(table.coldStart).toBe(true);
    const auto = table.routes.get('auto')?.fallbackCategory;
    expect(auto?.entries.map((entry) => entry.id)).toEqual(['p/cheap', 'p/mid', 'p/dear']);
    expect(auto?.weights[0]).toBeCloseTo(0.8 + 0.2 / 3, 5);
    expect(auto?.expected.every((value) => value === undefined)).toBe(true);
    expect(table.routes.get('cheap')?.fallbackCategory.entries.map((entry) => entry.id)).toEqual(['p/cheap', 'p/mid']);
    expect(JSON.parse(table.modelsListBody).data.map((model: { id: string }) => model.id)).toEqual(['auto', 'auto:cheap', 'p/cheap', 'p/mid', 'p/dear']);
  });

  it('policy: weights, fallback order, unknown models dropped, missing routes cold-started', () => {
    const document: PolicyDocument = parsePolicyDocument({
      schemaVersion: 1,
      parentHash: null,
      createdAt: '2026-11-21T00:00:00Z',
      generator: { algorithm: 'thompson' },
      routes: {
        auto: {
          objective: { quality: 1, cost: 0.3, latency: 0.1 },
          candidates: ['p/mid', 'p/dear', 'gone/model'],
          categories: {
            general: { models: [{ model: 'p/mid', weight: 0.3, expected }, { model: 'p/dear', weight: 0.6, expected }, { model: 'gone/model', weight: 0.1, expected }], fallbackOrder: ['p/dear', 'p/mid', 'gone/model'] },
          },
          why: 'test',
        },
      },
    });
    const table = compileRoutingTable({ providerSet, routes, policy: { hash: 'h1', document } });
    const general = table.routes.get('auto')?.fallbackCategory;
    expect(general?.entries.map((entry) => entry.id)).toEqual(['p/dear', 'p/mid']);
    expect(general?.weights[0]).toBeCloseTo(0.6 / 0.9, 5);
    expect(table.routes.get('cheap')?.source).toBe('cold-start');
    expect(table.coldStartRoutes).toEqual(['cheap']);
    expect(table.policyHash).toBe('h1');
  });

  it("runs the policy's classifier and contextual model", () => {
    const items = [
      ...['what is 12 times 7', 'solve 3x + 4 = 19 for x', 'compute the sum of 45 and 77', 'divide 144 by 12', 'what is 15 percent of 80', 'square root of 81 plus 6'].map((text) => ({ text, category: 'math' })),
      ...['write a poem about autumn leaves', 'draft a friendly email to a colleague', 'write a short story about a dragon', 'compose a haiku about the sea', 'write a toast for a wedding', 'describe a sunset in vivid prose'].map((text) => ({ text, category: 'writing' })),
    ];
    const { classifier } = trainClassifier(items, { heldOutShare: 0, minConfidence: 0.5 });
    const classify = compileClassifier(classifier);
    expect(decideCategory(undefined, classify, 'what is 25 times 4')).toEqual({ category: 'math', source: 'classifier' });
    expect(decideCategory('code', classify, 'what is 25 times 4')).toEqual({ category: 'code', source: 'hint' });
    expect(decideCategory(undefined, undefined, 'anything')).toEqual({ category: 'general', source: 'default' });

    const document = parsePolicyDocument({
      schemaVersion: 1,
      parentHash: null,
      createdAt: '2026-11-21T00:00:00Z',
      generator: { algorithm: 'contextual' },
      routes: {
        auto: {
          objective: { quality: 1, cost: 0.3, latency: 0.1 },
          candidates: ['p/mid', 'p/dear'],
          categories: {
            general: {
              models: [{ model: 'p/mid', weight: 0.5, expected }, { model: 'p/dear', weight: 0.5, expected }],
              fallbackOrder: ['p/mid', 'p/dear'],
              contextual: {
                kind: 'irt-logistic',
                link: 'logistic',
                features: { dimensions: 64, ngrams: [1], lengthBuckets: [] },
                models: [{ model: 'p/mid', bias: -3, weights: [] }, { model: 'p/dear', bias: 3, weights: [] }],
                strength: 0.6,
              },
            },
          },
          why: 'test',
        },
      },
    });
    const table = compileRoutingTable({ providerSet, routes, policy: { hash: 'h2', document } });
    const general = table.routes.get('auto')?.fallbackCategory;
    expect(general?.contextual).toBeDefined();
    const weights = contextualWeights(general!, 'some prompt');
    expect(weights?.[0]).toBeCloseTo(0.2, 5);
    expect(weights?.[1]).toBeCloseTo(0.8, 5);
  });
});
