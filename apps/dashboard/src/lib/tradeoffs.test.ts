import { describe, expect, it } from 'vitest';
import { expectedPoint, paretoFrontier, previewPoint, priceAxis, priceTick } from './tradeoffs';
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
    { model: 'a/strong', enabled: true, quality: { n: 100, mean: 0.9, interval: [0.8, 0.95] }, blendedPricePerMTok: 10, latencyP50Ms: 2000 },
    { model: 'b/cheap', enabled: true, quality: { n: 100, mean: 0.6, interval: [0.5, 0.7] }, blendedPricePerMTok: 0.1, latencyP50Ms: 300 },
  ] as LeaderboardRow[];
  it('moves toward quality when cost weighs nothing, toward the cheap model when it weighs a lot', () => {
    const qualityFirst = previewPoint(rows, { quality: 1, cost: 0, latency: 0 })!;
    const costFirst = previewPoint(rows, { quality: 1, cost: 3, latency: 0 })!;
    expect(qualityFirst.quality).toBeGreaterThan(0.85);
    expect(costFirst.quality).toBeLessThan(0.65);
    expect(costFirst.blendedPricePerMTok).toBeLessThan(qualityFirst.blendedPricePerMTok);
  });
  it('respects candidates and returns null without data', () => {
    expect(previewPoint(rows, { quality: 1, cost: 0, latency: 0 }, ['b/cheap'])!.quality).toBeCloseTo(0.6);
    expect(previewPoint([], { quality: 1, cost: 0, latency: 0 })).toBeNull();
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
