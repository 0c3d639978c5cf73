import { describe, expect, it } from 'vitest';
import { seededRandom } from '@switchyard/core';
import { bootstrapInterval, scoreInterval, wilsonInterval } from './intervals';
import { pairedComparison } from './paired';
import { summarize, type ScoredResult } from './summarize';

describe('wilsonInterval', () => {
  it('matches the textbook values', () => {
    // 8/10 at 95%: Wilson gives [0.4902, 0.9433].
    const interval = wilsonInterval(8, 10);
    expect(interval.low).toBeCloseTo(0.4902, 3);
    expect(interval.high).toBeCloseTo(0.9433, 3);
    const all = wilsonInterval(20, 20);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.8389, 3);
    expect(wilsonInterval(0, 0)).toMatchObject({ low: 0, high: 1 });
  });
  it('narrows with n', () => {
    const small = wilsonInterval(5, 10);
    const large = wilsonInterval(500, 1000);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });
});

describe('bootstrapInterval', () => {
  const values = Array.from({ length: 200 }, (_, index) => ((index * 37) % 101) / 100);
  it('is deterministic for a seed and covers the mean', () => {
    const first = bootstrapInterval(values, { seed: 7 })!;
    const second = bootstrapInterval(values, { seed: 7 })!;
    expect(first).toEqual(second);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(first.low).toBeLessThan(mean);
    expect(first.high).toBeGreaterThan(mean);
    expect(bootstrapInterval(values, { seed: 8 })).not.toEqual(first);
  });
  it('handles tiny inputs', () => {
    expect(bootstrapInterval([])).toBeNull();
    expect(bootstrapInterval([0.4])).toMatchObject({ low: 0.4, high: 0.4 });
  });
  it('scoreInterval picks Wilson for 0/1 and bootstrap otherwise', () => {
    expect(scoreInterval([1, 0, 1])?.method).toBe('wilson');
    expect(scoreInterval([1, 0.5, 1])?.method).toBe('bootstrap');
  });
  it('seededRandom stays in [0, 1)', () => {
    const random = seededRandom(3);
    for (let index = 0; index < 1000; index += 1) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});

describe('summarize', () => {
  const rows: ScoredResult[] = [
    { modelId: 'a/m1', datasetId: 'gsm', category: 'math', score: 1, costUsd: 0.002, latencyMs: 100 },
    { modelId: 'a/m1', datasetId: 'gsm', category: 'math', score: 0, costUsd: 0.002, latencyMs: 300 },
    { modelId: 'a/m1', datasetId: 'gsm', category: 'math', score: null, costUsd: 0, latencyMs: null },
    { modelId: 'a/m1', datasetId: 'gsm', category: 'code', score: 0.5, costUsd: 0.004, latencyMs: 200, ttftMs: 50 },
    { modelId: 'b/m2', datasetId: 'gsm', category: 'math', score: 1, costUsd: 0.01, latencyMs: 50 },
  ];
  it('groups per model, dataset and category, plus an overall row', () => {
    const summary = summarize(rows);
    expect(summary.map((row) => [row.modelId, row.category])).toEqual([
      ['a/m1', null],
      ['a/m1', 'code'],
      ['a/m1', 'math'],
      ['b/m2', null],
      ['b/m2', 'math'],
    ]);
    const math = summary.find((row) => row.modelId === 'a/m1' && row.category === 'math')!;
    expect(math).toMatchObject({ n: 2, errors: 1, mean: 0.5, totalCostUsd: 0.004 });
    expect(math.costPerItemUsd).toBeCloseTo(0.004 / 3);
    expect(math.interval?.method).toBe('wilson');
    expect(math.latencyMs?.p50).toBe(200);
    const overall = summary[0]!;
    expect(overall).toMatchObject({ n: 3, errors: 1 });
    expect(overall.interval?.method).toBe('bootstrap');
    expect(overall.ttftMs?.p50).toBe(50);
    expect(summarize(rows)).toEqual(summary);
  });
});

describe('pairedComparison', () => {
  const items = Array.from({ length: 300 }, (_, index) => `item-${index}`);
  it('calls a clear winner when the interval excludes 0', () => {
    const a = items.map((itemId, index) => ({ itemId, score: index % 10 < 8 ? 1 : 0 }));
    const b = items.map((itemId, index) => ({ itemId, score: index % 10 < 5 ? 1 : 0 }));
    const result = pairedComparison(a, b);
    expect(result.n).toBe(300);
    expect(result.difference).toBeCloseTo(0.3);
    expect(result.verdict).toBe('a');
    expect(result.interval!.low).toBeGreaterThan(0);
    expect(pairedComparison(b, a).verdict).toBe('b');
  });
  it('says tied when the difference is within noise', () => {
    const a = items.map((itemId, index) => ({ itemId, score: index % 2 }));
    const b = items.map((itemId, index) => ({ itemId, score: (index + (index % 7 === 0 ? 1 : 0)) % 2 }));
    const result = pairedComparison(a, b);
    expect(result.verdict).toBe('tied');
    expect(result.interval!.low).toBeLessThan(0);
    expect(result.interval!.high).toBeGreaterThan(0);
  });
  it('pairs only items both models scored', () => {
    const result = pairedComparison(
      [{ itemId: 'x', score: 1 }, { itemId: 'y', score: null }, { itemId: 'z', score: 1 }],
      [{ itemId: 'x', score: 0 }, { itemId: 'y', score: 1 }],
    );
    expect(result).toMatchObject({ n: 1, wins: 1, losses: 0, verdict: 'tied' });
  });
});
