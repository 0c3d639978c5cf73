import { defaultRoutes, optimizerConfigSchema, type EvalStat, type LiveStat, type RouteConfig } from '@switchyard/core';
import { decideRoute, featurize, parsePolicyDocument, policyHash, requestWeights } from '@switchyard/policy';
import { describe, expect, it } from 'vitest';
import { buildPolicy, coldStartPolicy, shouldPublish, type BuildPolicyInput, type ModelInput } from './index';

const models: ModelInput[] = [
  { id: 'openai/mini', price: { inputPerMTok: 0.15, outputPerMTok: 0.6 }, enabled: true },
  { id: 'anthropic/pro', price: { inputPerMTok: 3, outputPerMTok: 15 }, enabled: true },
  { id: 'groq/fast', price: { inputPerMTok: 0.05, outputPerMTok: 0.08 }, enabled: true },
  { id: 'openai/off', price: { inputPerMTok: 0.1, outputPerMTok: 0.1 }, enabled: false },
];
const route = (overrides: Partial<RouteConfig> = {}): RouteConfig => ({
  name: 'auto',
  candidates: [],
  objective: { quality: 1, cost: 0.3, latency: 0.1 },
  constraints: {},
  ...overrides,
});
const now = new Date('2026-11-21T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
const evalStats: EvalStat[] = [
  { model: 'openai/mini', category: 'math', n: 200, meanScore: 0.8, meanInputTokens: 300, meanOutputTokens: 200, source: 'eval:gsm8k_test' },
  { model: 'anthropic/pro', category: 'math', n: 200, meanScore: 0.95, meanInputTokens: 300, meanOutputTokens: 250, source: 'eval:gsm8k_test' },
  { model: 'groq/fast', category: 'math', n: 200, meanScore: 0.5, meanInputTokens: 300, meanOutputTokens: 200, source: 'eval:gsm8k_test' },
];
/** Labelled texts of two categories, enough to train a classifier. */
const twoCategoryItems = Array.from({ length: 40 }, (_, index) =>
  index % 2 === 0 ? { text: `compute ${index} plus ${index + 1}`, category: 'math' } : { text: `write a poem about the sea ${index}`, category: 'writing' },
);

const input = (overrides: Partial<BuildPolicyInput> = {}): BuildPolicyInput => ({
  routes: [route()],
  models,
  evalStats,
  liveStats: [],
  probeStats: [],
  parent: null,
  settings: optimizerConfigSchema.parse({}),
  now,
  seed: 1,
  ...overrides,
});
const weightOf = (policy: ReturnType<typeof buildPolicy>, model: string, category = 'math', routeName = 'auto') =>
  policy.routes[routeName]?.categories[category]?.models.find((entry) => entry.model === model)?.weight ?? 0;

describe('buildPolicy', () => {
  it('names a share under 1 % with one decimal in the why text, not as 0%', () => {
    const policy = buildPolicy(input({ routes: [route({ candidates: ['openai/mini', 'anthropic/pro'], objective: { quality: 1, cost: 2, latency: 0 } })] }));
    const pro = weightOf(policy, 'anthropic/pro');
    expect(pro).toBeGreaterThan(0);
    expect(pro).toBeLessThan(0.0095);
    expect(policy.routes.auto!.why).toContain(`then anthropic/pro ${(pro * 100).toFixed(1)}%`);
  });

  it('the default cheap route is cheap: it spends well under what auto spends, on models that pass its minQuality', () => {
    // Shaped like the simulated fleet: a few cheap models, mid-priced all-rounders and one very expensive model.
    const fleet: Array<[string, number, number, number]> = [
      ['sim/swift-mini', 0.08, 0.3, 0.5],
      ['sim/blitz-flash', 0.15, 0.6, 0.66],
      ['sim/allround-m', 0.8, 3.2, 0.74],
      ['sim/polyglot-pro', 1.25, 10, 0.8],
      ['sim/titan-ultra', 12, 60, 0.9],
    ];
    const policy = buildPolicy(
      input({
        routes: defaultRoutes,
        models: fleet.map(([id, inputPerMTok, outputPerMTok]) => ({ id, price: { inputPerMTok, outputPerMTok }, enabled: true })),
        evalStats: fleet.map(([model, , , meanScore]) => ({ model, category: 'general', n: 200, meanScore, meanInputTokens: 300, meanOutputTokens: 200, source: 'eval:mixed' })),
      }),
    );
    const expectedCost = (routeName: string) =>
      policy.routes[routeName]!.categories.general!.models.reduce((sum, entry) => sum + entry.weight * entry.expected.costPerRequestUsd, 0);
    expect(expectedCost('cheap')).toBeLessThan(expectedCost('auto') / 3);
    const top = [...policy.routes.cheap!.categories.general!.models].sort((a, b) => b.weight - a.weight)[0]!;
    expect(['sim/swift-mini', 'sim/blitz-flash']).toContain(top.model);
    expect(top.expected.quality).toBeGreaterThanOrEqual(0.3);
  });

  it('produces a valid, explained, deterministic policy', () => {
    const routes = [route({ candidates: models.map((model) => model.id) })];
    const a = buildPolicy(input({ routes }));
    const b = buildPolicy(input({ routes }));
    expect(policyHash(a)).toBe(policyHash(b));
    expect(() => parsePolicyDocument(JSON.parse(JSON.stringify(a)))).not.toThrow();
    const math = a.routes.auto!.categories.math!;
    expect(math.models.reduce((sum, entry) => sum + entry.weight, 0)).toBeCloseTo(1, 4);
    // Models that could still be the best keep the 2 % floor; a clearly worse one keeps a tenth of it.
    expect(math.models.every((entry) => entry.weight >= 0.002 - 1e-9)).toBe(true);
    expect(math.models[0]!.weight).toBeGreaterThan(0.02);
    const everyFloor = buildPolicy(input({ routes, tuning: { implausibleFloorShare: 1 } })).routes.auto!.categories.math!;
    expect(everyFloor.models.every((entry) => entry.weight >= 0.02 - 1e-9)).toBe(true);
    expect(a.routes.auto!.categories.general).toBeDefined();
    expect(a.routes.auto!.why).toMatch(/For math, .+ takes \d+%/);
    expect(a.routes.auto!.excluded).toEqual([{ model: 'openai/off', reason: 'disabled' }]);
    const pro = math.models.find((entry) => entry.model === 'anthropic/pro')!;
    expect(pro.evidence.evalSamples).toBe(50);
    expect(pro.evidence.sources).toContain('eval:gsm8k_test');
    expect(pro.expected.costPerRequestUsd).toBeCloseTo((300 * 3 + 250 * 15) / 1e6, 10);
    expect(buildPolicy(input({ routes, parent: a })).parentHash).toBe(policyHash(a));
    // Without a candidate list a route takes every enabled model.
    expect(buildPolicy(input()).routes.auto!.candidates).toEqual(['openai/mini', 'anthropic/pro', 'groq/fast']);
  });

  it('explains a route with no usable model instead of failing', () => {
    const policy = buildPolicy(input({ models: [{ ...models[3]! }], evalStats: [] }));
    expect(policy.routes.auto!.categories.general!.models).toEqual([]);
    expect(policy.routes.auto!.why).toMatch(/No enabled candidate/);
    const strict = buildPolicy(input({ routes: [route({ constraints: { maxCostPerMTok: 0.01 } })] }));
    expect(strict.routes.auto!.why).toMatch(/No model meets every constraint, so the route has no model/);
    expect(strict.routes.auto!.categories.math!.models).toEqual([]);
    expect(strict.routes.auto!.excluded.map((entry) => entry.model)).toEqual(['openai/mini', 'anthropic/pro', 'groq/fast']);
  });

  it('trades quality for cost according to λ_cost', () => {
    const cheap = buildPolicy(input({ routes: [route({ name: 'cheap', objective: { quality: 1, cost: 2, latency: 0 } })] }));
    const quality = buildPolicy(input({ routes: [route({ name: 'quality', objective: { quality: 1, cost: 0, latency: 0 } })] }));
    expect(weightOf(quality, 'anthropic/pro', 'math', 'quality')).toBeGreaterThan(0.9);
    expect(weightOf(cheap, 'openai/mini', 'math', 'cheap')).toBeGreaterThan(0.9);
  });

  it('with a budget, mixes the models around it so the expected spend meets it, and says so', () => {
    const costOf = (policy: ReturnType<typeof buildPolicy>) =>
      policy.routes.auto!.categories.math!.models.reduce((sum, entry) => sum + entry.weight * entry.expected.costPerRequestUsd, 0);
    const unbounded = buildPolicy(input({ routes: [route({ objective: { quality: 1, cost: 0, latency: 0 } })] }));
    const proCost = unbounded.routes.auto!.categories.math!.models.find((entry) => entry.model === 'anthropic/pro')!.expected.costPerRequestUsd;
    const miniCost = unbounded.routes.auto!.categories.math!.models.find((entry) => entry.model === 'openai/mini')!.expected.costPerRequestUsd;
    expect(weightOf(unbounded, 'anthropic/pro')).toBeGreaterThan(0.9);
    // A budget per 1,000 requests halfway between mini and pro: the two share the traffic.
    const budgetPer1kUsd = ((miniCost + proCost) / 2) * 1000;
    const budgeted = buildPolicy(input({ routes: [route({ objective: { quality: 1, cost: 0, latency: 0 }, constraints: { budgetPer1kUsd } })] }));
    expect(weightOf(budgeted, 'anthropic/pro')).toBeGreaterThan(0.35);
    expect(weightOf(budgeted, 'anthropic/pro')).toBeLessThan(0.65);
    expect(weightOf(budgeted, 'openai/mini')).toBeGreaterThan(0.35);
    expect(costOf(budgeted)).toBeLessThanOrEqual((budgetPer1kUsd / 1000) * 1.05);
    expect(budgeted.routes.auto!.why).toMatch(/at most \$[\d.]+ per 1,000 requests/);
  });

  it('excludes models that break a constraint, with the reason', () => {
    const policy = buildPolicy(
      input({
        routes: [route({ constraints: { maxCostPerMTok: 2, minQuality: 0.6 } })],
        probeStats: [{ model: 'openai/mini', n: 30, ttftP50Ms: 300, ttftP95Ms: 2500, latencyP50Ms: 900, latencyP95Ms: 3000 }],
      }),
    );
    const excluded = Object.fromEntries(policy.routes.auto!.excluded.map((entry) => [entry.model, entry.reason]));
    expect(excluded['anthropic/pro']).toMatch(/blended price \$6\.00\/MTok exceeds the route's maxCostPerMTok \$2/);
    expect(excluded['groq/fast']).toMatch(/expected quality 0\.5\d* is below the route's minQuality 0\.6/);
    expect(policy.routes.auto!.categories.math!.models.map((entry) => entry.model)).toEqual(['openai/mini']);
    const slow = buildPolicy(
      input({
        routes: [route({ constraints: { maxTtftMs: 1000 } })],
        probeStats: [{ model: 'openai/mini', n: 30, ttftP50Ms: 300, ttftP95Ms: 2500, latencyP50Ms: 900, latencyP95Ms: 3000 }],
      }),
    );
    expect(slow.routes.auto!.excluded.find((entry) => entry.model === 'openai/mini')?.reason).toMatch(/2500 ms \(p95\) exceeds the route's maxTtftMs 1000 ms/);
  });

  it('rates general by general requests and evals: grades of the category a specialist was routed for stay there', () => {
    // groq/fast is graded well on the math it was routed; on general it has only its evals (0.5 on math).
    const liveStats: LiveStat[] = [{ model: 'groq/fast', category: 'math', at: hoursAgo(1), requests: 500, errors: 0, feedbackCount: 500, feedbackSum: 480 }];
    const policy = buildPolicy(input({ liveStats }));
    const expectedIn = (category: string) => policy.routes.auto!.categories[category]!.models.find((entry) => entry.model === 'groq/fast')!.expected.quality;
    expect(expectedIn('math')).toBeGreaterThan(0.8);
    expect(expectedIn('general')).toBeLessThan(0.6);
    expect(policy.routes.auto!.categories.general!.models.find((entry) => entry.model === 'groq/fast')!.evidence.feedbackSamples).toBe(0);
  });

  it('counts grades of general requests in general, also when an eval defines general', () => {
    // The replay's warm start is an eval in `general`; its online grades must still move the belief.
    const generalEvals: EvalStat[] = evalStats.map((stat) => ({ ...stat, category: 'general' }));
    const liveStats: LiveStat[] = [{ model: 'groq/fast', category: 'general', at: hoursAgo(1), requests: 500, errors: 0, feedbackCount: 500, feedbackSum: 480 }];
    const policy = buildPolicy(input({ evalStats: generalEvals, liveStats }));
    const fast = policy.routes.auto!.categories.general!.models.find((entry) => entry.model === 'groq/fast')!;
    expect(fast.expected.quality).toBeGreaterThan(0.8);
    expect(fast.evidence.feedbackSamples).toBeGreaterThan(450);
  });

  it('applies minQuality per category: a specialist weak overall still serves its strong category', () => {
    const specialistStats: EvalStat[] = [
      ...evalStats,
      { model: 'groq/fast', category: 'code', n: 400, meanScore: 0.1, meanInputTokens: 300, meanOutputTokens: 200, source: 'eval:code' },
      { model: 'openai/mini', category: 'code', n: 400, meanScore: 0.7, meanInputTokens: 300, meanOutputTokens: 200, source: 'eval:code' },
    ];
    const boosted = specialistStats.map((stat) => (stat.model === 'groq/fast' && stat.category === 'math' ? { ...stat, meanScore: 0.95 } : stat));
    const policy = buildPolicy(input({ evalStats: boosted, routes: [route({ constraints: { minQuality: 0.5 } })] }));
    const modelsIn = (category: string) => policy.routes.auto!.categories[category]!.models.map((entry) => entry.model).sort();
    expect(modelsIn('math')).toContain('groq/fast');
    expect(modelsIn('code')).not.toContain('groq/fast');
    expect(modelsIn('general')).not.toContain('groq/fast');
    expect(policy.routes.auto!.excluded).toEqual(
      expect.arrayContaining([{ model: 'groq/fast', category: 'code', reason: expect.stringMatching(/^in code: expected quality 0\.1\d* is below the route's minQuality 0\.5$/) }]),
    );
  });

  it('with decay, follows a model that degrades; without decay, it would not', () => {
    const routes = [route({ objective: { quality: 1, cost: 0, latency: 0 } })];
    // anthropic/pro was excellent a week ago, and fails most graded requests in the last hours.
    const liveStats: LiveStat[] = [
      { model: 'anthropic/pro', category: 'math', at: hoursAgo(24 * 7), requests: 2000, errors: 0, judgeCount: 2000, judgeSum: 1960 },
      { model: 'anthropic/pro', category: 'math', at: hoursAgo(2), requests: 120, errors: 30, judgeCount: 90, judgeSum: 30 },
      { model: 'openai/mini', category: 'math', at: hoursAgo(2), requests: 120, errors: 0, judgeCount: 120, judgeSum: 100 },
    ];
    const decayed = buildPolicy(input({ routes, liveStats, settings: optimizerConfigSchema.parse({ halfLifeHours: 12 }) }));
    const undecayed = buildPolicy(input({ routes, liveStats, settings: optimizerConfigSchema.parse({ halfLifeHours: 100_000 }) }));
    expect(weightOf(undecayed, 'anthropic/pro')).toBeGreaterThan(0.9);
    expect(weightOf(decayed, 'anthropic/pro')).toBeLessThan(0.1);
    expect(weightOf(decayed, 'openai/mini')).toBeGreaterThan(0.8);
    const pro = decayed.routes.auto!.categories.math!.models.find((entry) => entry.model === 'anthropic/pro')!;
    expect(pro.expected.errorRate).toBeGreaterThan(0.1);
  });

  it('makes categories of eval datasets only: live outcomes under a category a client invented count in general', () => {
    const liveStats: LiveStat[] = [
      { model: 'openai/mini', category: 'junk1', at: hoursAgo(1), requests: 50, errors: 0, feedbackCount: 50, feedbackSum: 10 },
      { model: 'openai/mini', category: 'math', at: hoursAgo(1), requests: 50, errors: 0 },
    ];
    const policy = buildPolicy(input({ liveStats }));
    expect(Object.keys(policy.routes.auto!.categories).sort()).toEqual(['general', 'math']);
    const withoutJunk = buildPolicy(input({ liveStats: liveStats.slice(1) }));
    // The invented category's feedback still moved mini's pooled belief.
    const mini = (document: typeof policy) => document.routes.auto!.categories.general!.models.find((entry) => entry.model === 'openai/mini')!;
    expect(mini(policy).expected.quality).toBeLessThan(mini(withoutJunk).expected.quality);
  });

  it('fits a contextual policy and a classifier when asked', { timeout: 60_000 }, () => {
    const contextualItems = Array.from({ length: 300 }, (_, index) => {
      const long = index % 2 === 0;
      const text = long ? `a long and winding word problem number ${index} with many steps and clauses to follow` : `add ${index}`;
      return [
        { category: 'math', model: 'openai/mini', score: long ? 0 : 1, text },
        { category: 'math', model: 'anthropic/pro', score: 1, text },
      ];
    }).flat();
    const policy = buildPolicy(input({ contextualItems, classifierTrainingItems: twoCategoryItems, settings: optimizerConfigSchema.parse({ algorithm: 'contextual' }) }));
    expect(policy.generator.algorithm).toBe('contextual');
    const contextual = policy.routes.auto!.categories.math!.contextual!;
    expect(contextual.kind).toBe('irt-logistic');
    expect(contextual.models.map((entry) => entry.model).sort()).toEqual(['anthropic/pro', 'groq/fast', 'openai/mini']);
    expect(policy.classifier?.categories).toEqual(['math', 'writing']);
    expect(policy.classifier?.heldOutAccuracy).toBeGreaterThan(0.8);
    // What the router does per request: classify, score, mix, draw.
    const decision = decideRoute(policy, 'auto', 'compute 17 plus 25', 0.5)!;
    expect(decision.category).toBe('math');
    expect(decision.confidence).toBeGreaterThan(0.5);
    expect(decision.weights.reduce((sum, entry) => sum + entry.weight, 0)).toBeCloseTo(1);
    expect(decision.model).toBeDefined();
    expect(decision.fallbacks).not.toContain(decision.model);
    // Prompts like the ones the cheap model solved go to it; the others to the strong model.
    const math = policy.routes.auto!.categories.math!;
    const weightsFor = (text: string) => requestWeights(math, featurize(text, contextual.features));
    const top = (text: string) => [...weightsFor(text)].sort((a, b) => b.weight - a.weight)[0]!.model;
    expect(top('add 12')).toBe('openai/mini');
    expect(top('a long and winding word problem number 7 with many steps and clauses to follow')).toBe('anthropic/pro');
  });
});

describe('coldStartPolicy', () => {
  it('sends most traffic to the cheapest eligible model and explores the rest uniformly', () => {
    const policy = coldStartPolicy([route(), route({ name: 'capped', constraints: { maxCostPerMTok: 1 } })], models);
    const general = policy.routes.auto!.categories.general!;
    expect(general.models.map((entry) => entry.model)).toEqual(['groq/fast', 'openai/mini', 'anthropic/pro']);
    expect(general.models.map((entry) => entry.weight)).toEqual([0.8 + 0.2 / 3, 0.2 / 3, 0.2 / 3].map((value) => Math.round(value * 1e6) / 1e6));
    expect(policy.generator.algorithm).toBe('cold-start');
    expect(policy.routes.capped!.excluded.map((entry) => entry.model)).toEqual(['anthropic/pro']);
    const listed = coldStartPolicy([route({ candidates: ['openai/off', 'groq/fast', 'nope/x'] })], models);
    expect(listed.routes.auto!.excluded).toEqual([
      { model: 'openai/off', reason: 'disabled' },
      { model: 'nope/x', reason: 'not in the model catalog' },
    ]);
    expect(listed.routes.auto!.categories.general!.models.map((entry) => [entry.model, entry.weight])).toEqual([['groq/fast', 1]]);
    expect(policyHash(coldStartPolicy([route()], models))).toBe(policyHash(coldStartPolicy([route()], models)));
    expect(policy.routes.auto!.why).toMatch(/Cold start/);
  });
});

describe('shouldPublish', () => {
  it('publishes only material changes', () => {
    const base = buildPolicy(input());
    expect(shouldPublish(null, base, 0.05).publish).toBe(true);
    expect(shouldPublish(base, structuredClone(base), 0.05)).toMatchObject({ publish: false });
    const moved = structuredClone(base);
    const math = moved.routes.auto!.categories.math!;
    math.models[0]!.weight -= 0.2;
    math.models[1]!.weight += 0.2;
    const decision = shouldPublish(base, moved, 0.05);
    expect(decision.publish).toBe(true);
    expect(decision.reason).toMatch(/weights moved by up to 0\.400/);
    // With a minimum gain: moving traffic to the better model is published, away from it is not,
    // and nor is trading traffic between two models of the same expected utility.
    const [top, second] = [math.models[0]!, math.models[1]!];
    expect(top.expected.utility!).toBeGreaterThan(second.expected.utility!);
    expect(shouldPublish(moved, base, 0.05, 0.005)).toMatchObject({ publish: true, reason: expect.stringMatching(/expected utility \+0\.\d+ in auto\/math/) });
    expect(shouldPublish(base, moved, 0.05, 0.005)).toMatchObject({ publish: false, reason: expect.stringMatching(/nearly tied/) });
    const tied = structuredClone(moved);
    for (const entry of tied.routes.auto!.categories.math!.models) entry.expected.utility = 0.5;
    const tiedBase = structuredClone(base);
    for (const entry of tiedBase.routes.auto!.categories.math!.models) entry.expected.utility = 0.5;
    expect(shouldPublish(tiedBase, tied, 0.05, 0.005).publish).toBe(false);
    const jitter = structuredClone(base);
    jitter.routes.auto!.categories.math!.models[0]!.weight -= 0.01;
    jitter.routes.auto!.categories.math!.models[1]!.weight += 0.01;
    expect(shouldPublish(base, jitter, 0.05).publish).toBe(false);
    const removed = structuredClone(base);
    const dropped = removed.routes.auto!.categories.math!.models.pop()!;
    expect(shouldPublish(base, removed, 0.05).reason).toBe(`models changed: −${dropped.model} (auto/math)`);
    // A model that joins one category and leaves another is named once per direction, with its cells.
    const moves = structuredClone(removed);
    const firstCategory = Object.keys(moves.routes.auto!.categories).find((name) => name !== 'math');
    expect(firstCategory).toBeDefined();
    const from = moves.routes.auto!.categories[firstCategory!]!;
    const into = moves.routes.auto!.categories.math!;
    const leaving = from.models.find((entry) => !into.models.some((other) => other.model === entry.model))!;
    expect(leaving).toBeDefined();
    from.models = from.models.filter((entry) => entry !== leaving);
    into.models.push({ ...leaving, weight: 0 });
    const reason = shouldPublish(removed, moves, 0.05).reason;
    expect(reason).toContain(`+${leaving.model} (auto/math)`);
    expect(reason).toContain(`−${leaving.model} (auto/${firstCategory})`);
    // A new category is named as one, not as every model of it joining.
    const grown = structuredClone(base);
    grown.routes.auto!.categories.legal = structuredClone(grown.routes.auto!.categories.math!);
    expect(shouldPublish(base, grown, 0.05).reason).toBe('categories changed (added: legal; removed: none)');
  });
});

describe('shouldPublish and the classifier calibration', () => {
  it('publishes a calibration that appears or moves materially, not grid jitter', () => {
    const base = buildPolicy(input({ classifierTrainingItems: twoCategoryItems }));
    expect(base.classifier).toBeDefined();
    const withTemperature = (document: typeof base, temperature: number | undefined, minConfidence = base.classifier!.minConfidence) => {
      const copy = structuredClone(document);
      copy.classifier = { ...copy.classifier!, minConfidence };
      if (temperature === undefined) delete copy.classifier.temperature;
      else copy.classifier.temperature = temperature;
      return copy;
    };
    const uncalibrated = withTemperature(base, undefined);
    expect(shouldPublish(uncalibrated, withTemperature(base, 11), 0.05)).toMatchObject({ publish: true, reason: 'the classifier is now calibrated (temperature 11)' });
    expect(shouldPublish(withTemperature(base, 8), withTemperature(base, 11), 0.05).publish).toBe(false);
    expect(shouldPublish(withTemperature(base, 4), withTemperature(base, 11), 0.05).reason).toBe("the classifier's temperature moved (4 → 11)");
    expect(shouldPublish(withTemperature(base, 11, 0.5), withTemperature(base, 11, 0.7), 0.05).reason).toBe("the classifier's minConfidence changed (0.5 → 0.7)");
  });
});
