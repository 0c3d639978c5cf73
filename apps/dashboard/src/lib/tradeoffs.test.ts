import { describe, expect, it } from 'vitest';
import { expectedPoint, expectedPoints, paretoFrontier, placeLabels, previewPoint, priceAxis, priceTick, routePreview, sameRouteSettings } from './tradeoffs';
import type { LeaderboardRow, PolicyDocument } from './types';

describe('paretoFrontier', () => {
  it('keeps only undominated points, sorted by x', () => {
    const frontier = paretoFrontier([
      { model: 'cheap-bad', x: 0.1, quality: 0.4 },
      { model: 'dominated', x: 1, quality: 0.45 },
      { model: 'mid', x: 0.5, quality: 0.7 },
      { model: 'best', x: 10, quality: 0.9 },
      { model: 'worse-and-pricier', x: 12, quality: 0.85 },
    ]);
    expect(frontier.map((point) => point.model)).toEqual(['cheap-bad', 'mid', 'best']);
  });
  it('handles ties on x by keeping the better one', () => {
    expect(paretoFrontier([{ model: 'a', x: 1, quality: 0.5 }, { model: 'b', x: 1, quality: 0.6 }]).map((point) => point.model)).toEqual(['b']);
  });
});

describe('expectedPoint', () => {
  const document = {
    schemaVersion: 1,
    parentHash: null,
    createdAt: '2026-11-21T00:00:00Z',
    generator: { algorithm: 'manual' },
    models: { 'a/x': { provider: 'a', price: { inputPerMTok: 1, outputPerMTok: 5 } }, 'b/y': { provider: 'b', price: { inputPerMTok: 0.1, outputPerMTok: 0.5 } } },
    routes: {},
  } as PolicyDocument;
  it('weight-averages quality, price and latency of the general category', () => {
    const point = expectedPoint(
      'auto',
      {
        objective: { quality: 1, cost: 0.3, latency: 0.1 },
        constraints: {},
        candidates: [],
        why: '',
        categories: {
          general: {
            fallbackOrder: [],
            models: [
              { model: 'a/x', weight: 0.25, expected: { quality: 0.9, costPerRequestUsd: 0.01, ttftP50Ms: 100, ttftP95Ms: 150, latencyP50Ms: 1000, latencyP95Ms: 2000 } },
              { model: 'b/y', weight: 0.75, expected: { quality: 0.5, costPerRequestUsd: 0.001, ttftP50Ms: 50, ttftP95Ms: 80, latencyP50Ms: null, latencyP95Ms: null } },
            ],
          },
        },
      },
      document,
      new Map(),
    );
    expect(point!.quality).toBeCloseTo(0.6);
    expect(point!.blendedPricePerMTok).toBeCloseTo(0.25 * 2 + 0.75 * 0.2);
    expect(point!.latencyP50Ms).toBe(1000);
  });
});

describe('previewPoint', () => {
  const rows = [
    { model: 'a/strong', enabled: true, quality: { n: 100, mean: 0.9, interval: [0.8, 0.95] }, blendedPricePerMTok: 10, latencyP50Ms: 2000, ttftP50Ms: 900, ttftP95Ms: 1800 },
    { model: 'b/cheap', enabled: true, quality: { n: 100, mean: 0.6, interval: [0.5, 0.7] }, blendedPricePerMTok: 0.1, latencyP50Ms: 300, ttftP50Ms: 100, ttftP95Ms: 200 },
  ] as LeaderboardRow[];
  const settings = (objective: { quality: number; cost: number; latency: number }, constraints = {}, candidates: string[] = []) => ({ objective, constraints, candidates });
  it('moves toward quality when cost weighs nothing, toward the cheap model when it weighs a lot', () => {
    const qualityFirst = previewPoint(rows, settings({ quality: 1, cost: 0, latency: 0 }))!;
    const costFirst = previewPoint(rows, settings({ quality: 1, cost: 3, latency: 0 }))!;
    expect(qualityFirst.quality).toBeGreaterThan(0.85);
    expect(costFirst.quality).toBeLessThan(0.65);
    expect(costFirst.blendedPricePerMTok).toBeLessThan(qualityFirst.blendedPricePerMTok);
  });
  it('respects candidates and returns null without data', () => {
    expect(previewPoint(rows, settings({ quality: 1, cost: 0, latency: 0 }, {}, ['b/cheap']))!.quality).toBeCloseTo(0.6);
    expect(previewPoint([], settings({ quality: 1, cost: 0, latency: 0 }))).toBeNull();
  });
  it('applies the constraints it can check, and says why a model is out', () => {
    const capped = previewPoint(rows, settings({ quality: 1, cost: 0, latency: 0 }, { maxCostPerMTok: 1, maxCostPerRequestUsd: null }))!;
    expect(capped.quality).toBeCloseTo(0.6);
    expect(capped.excluded).toEqual([{ model: 'a/strong', reason: expect.stringMatching(/price \$10\.0\/M > max \$1\.00\/M/) }]);
    expect(previewPoint(rows, settings({ quality: 1, cost: 0, latency: 0 }, { maxTtftMs: 1000 }))!.weights.get('a/strong')).toBeUndefined();
    expect(previewPoint(rows, settings({ quality: 1, cost: 3, latency: 0 }, { minQuality: 0.7 }))!.quality).toBeCloseTo(0.9);
    // An empty constraint (null, 0) is no constraint, as the API stores it.
    expect(previewPoint(rows, settings({ quality: 1, cost: 0, latency: 0 }, { maxCostPerMTok: 0, minQuality: null }))!.excluded).toEqual([]);
  });
});

describe('routePreview', () => {
  const entry = (model: string, weight: number, quality: number, latencyP50Ms: number) => ({
    model,
    weight,
    expected: { quality, costPerRequestUsd: 0.001, ttftP50Ms: 100, ttftP95Ms: 150, latencyP50Ms, latencyP95Ms: latencyP50Ms * 2 },
  });
  const route = {
    objective: { quality: 1, cost: 0.3, latency: 0.1 },
    constraints: { maxTtftMs: 1500 },
    candidates: [],
    why: '',
    categories: {
      code: { fallbackOrder: [], models: [entry('a/strong', 1, 0.99, 2500)] },
      general: { fallbackOrder: [], models: [entry('a/strong', 0.2, 0.85, 2000), entry('b/cheap', 0.8, 0.8, 600)] },
    },
  };
  const document = {
    schemaVersion: 1,
    parentHash: null,
    createdAt: '2026-11-21T00:00:00Z',
    generator: { algorithm: 'thompson' },
    models: {},
    routes: { auto: route, fast: { ...route, objective: { quality: 1, cost: 0.1, latency: 1 } } },
  } as unknown as PolicyDocument;
  // The leaderboard's own figures differ from the policy's expectations, as they do live.
  const rows = [
    { model: 'a/strong', enabled: true, quality: { n: 100, mean: 0.9, interval: [0.8, 0.95] }, blendedPricePerMTok: 10, latencyP50Ms: 2000, ttftP50Ms: 900, ttftP95Ms: 1200 },
    { model: 'b/cheap', enabled: true, quality: { n: 100, mean: 0.6, interval: [0.5, 0.7] }, blendedPricePerMTok: 0.26249999999999996, latencyP50Ms: 300, ttftP50Ms: 100, ttftP95Ms: 200 },
  ] as LeaderboardRow[];
  const unchanged = { objective: { quality: 1, cost: 0.3, latency: 0.1 }, constraints: { maxTtftMs: 1500, minQuality: null, maxCostPerMTok: null }, candidates: [] };

  it('for an unchanged route is exactly the published expected point the Tradeoffs page shows', () => {
    const preview = routePreview({ name: 'auto', isNew: false, settings: unchanged, document, rows });
    const tradeoffs = expectedPoints(document, rows).find((point) => point.route === 'auto')!;
    expect(preview).toEqual({ kind: 'published', ...tradeoffs });
    expect(preview!.quality).toBeCloseTo(0.81);
    expect(preview!.latencyP50Ms).toBeCloseTo(880);
    // The leaderboard estimate would say something else: that is the disagreement this avoids.
    expect(previewPoint(rows, unchanged)!.quality).not.toBeCloseTo(0.81, 2);
  });
  it('for an edited or new route is an estimate, labelled as such', () => {
    expect(routePreview({ name: 'auto', isNew: false, settings: { ...unchanged, objective: { quality: 1, cost: 0.5, latency: 0.1 } }, document, rows })?.kind).toBe('estimate');
    expect(routePreview({ name: 'auto', isNew: false, settings: { ...unchanged, constraints: {} }, document, rows })?.kind).toBe('estimate');
    expect(routePreview({ name: 'auto', isNew: false, settings: { ...unchanged, candidates: ['b/cheap'] }, document, rows })?.kind).toBe('estimate');
    expect(routePreview({ name: 'auto', isNew: true, settings: unchanged, document, rows })?.kind).toBe('estimate');
    expect(routePreview({ name: 'other', isNew: false, settings: unchanged, document, rows })?.kind).toBe('estimate');
    expect(routePreview({ name: 'auto', isNew: false, settings: unchanged, document: null, rows })?.kind).toBe('estimate');
  });
  it('treats no candidates as every enabled model, as the optimizer resolves them in the published route', () => {
    const resolved = { ...document, routes: { auto: { ...route, candidates: ['b/cheap', 'a/strong'] } } } as unknown as PolicyDocument;
    expect(routePreview({ name: 'auto', isNew: false, settings: unchanged, document: resolved, rows })?.kind).toBe('published');
    // A model enabled or disabled since then: the optimizer would run on another set.
    const disabled = rows.map((row) => (row.model === 'b/cheap' ? { ...row, enabled: false } : row));
    expect(routePreview({ name: 'auto', isNew: false, settings: unchanged, document: resolved, rows: disabled })?.kind).toBe('estimate');
  });
  it('compares candidates as a set and constraints as the API stores them', () => {
    const withCandidates = { ...document, routes: { auto: { ...route, candidates: ['b/cheap', 'a/strong'] } } } as unknown as PolicyDocument;
    expect(routePreview({ name: 'auto', isNew: false, settings: { ...unchanged, candidates: ['a/strong', 'b/cheap'] }, document: withCandidates, rows })?.kind).toBe('published');
    expect(sameRouteSettings({ ...unchanged, constraints: { maxTtftMs: 1500, budgetPer1kUsd: 0 } }, { ...unchanged, constraints: { maxTtftMs: 1500 } })).toBe(true);
    expect(sameRouteSettings({ ...unchanged, constraints: { maxTtftMs: 1000 } }, { ...unchanged, constraints: { maxTtftMs: 1500 } })).toBe(false);
  });
});

describe('placeLabels', () => {
  const options = { x: (point: { x: number }) => point.x, y: (point: { y: number }) => point.y, text: (point: { name: string }) => point.name, gap: 8, charWidth: 6, lineHeight: 10, mergeDistance: 12 };
  const bounds = { left: 0, top: 0, width: 400, height: 300 };
  const intersects = (a: { left: number; top: number; width: number; height: number }, b: typeof a) =>
    a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

  it('merges the labels of coincident points into one', () => {
    const placed = placeLabels(
      [
        { name: 'support', x: 100, y: 100 },
        { name: 'fast', x: 100, y: 100 },
        { name: 'nope', x: 103, y: 101 },
        { name: 'quality', x: 300, y: 50 },
      ],
      { ...options, bounds },
    );
    expect(placed.map((label) => label.text)).toEqual(['support, fast, nope', 'quality']);
  });
  it('puts neighbouring labels on different sides so no two boxes overlap', () => {
    const points = [
      { name: 'allround-m', x: 100, y: 100 },
      { name: 'cheap', x: 118, y: 104 },
      { name: 'auto', x: 140, y: 104 },
      { name: 'blitz-flash', x: 40, y: 150 },
      { name: 'numeric-7b', x: 52, y: 158 },
    ];
    const placed = placeLabels(points, { ...options, bounds, mergeDistance: 6, obstacles: points.map((point) => ({ ...point, radius: 4 })) });
    expect(placed).toHaveLength(points.length);
    for (const [index, label] of placed.entries()) for (const other of placed.slice(index + 1)) expect(intersects(label.box, other.box)).toBe(false);
    expect(new Set(placed.map((label) => label.side)).size).toBeGreaterThan(1);
  });
  it('leaves out a label with no room unless told to always place it, and keeps labels inside the bounds', () => {
    const taken = [{ left: 0, top: 0, width: 400, height: 300 }];
    expect(placeLabels([{ name: 'x', x: 100, y: 100 }], { ...options, bounds, avoid: taken })).toEqual([]);
    expect(placeLabels([{ name: 'x', x: 100, y: 100 }], { ...options, bounds, avoid: taken, always: true })).toHaveLength(1);
    const edge = placeLabels([{ name: 'titan-ultra', x: 395, y: 150 }], { ...options, bounds })[0]!;
    expect(edge.textAnchor).toBe('end');
    expect(edge.box.left + edge.box.width).toBeLessThanOrEqual(400);
  });
});

describe('priceAxis', () => {
  it('spans the prices with 1–2–5 ticks, all inside the domain', () => {
    const axis = priceAxis([0.135, 0.262, 3.44, 24]);
    expect(axis).toEqual({ domain: [0.1, 50], ticks: [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50] });
    expect(axis?.ticks.map(priceTick)).toEqual(['$0.10', '$0.20', '$0.50', '$1', '$2', '$5', '$10', '$20', '$50']);
  });
  it('keeps a price that sits on a step as the domain edge, and ignores what cannot go on a log axis', () => {
    expect(priceAxis([0, -1, Number.NaN, 2, 5])).toEqual({ domain: [2, 5], ticks: [2, 5] });
    expect(priceAxis([0.003])).toEqual({ domain: [0.002, 0.005], ticks: [0.002, 0.005] });
    expect(priceAxis([])).toBeNull();
    expect(priceTick(0.005)).toBe('$0.005');
  });
});
