import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { LeaderboardState, cellQuality } from './leaderboard.svelte';
import type { Leaderboard, LeaderboardRow } from './types';

function row(model: string, overrides: Partial<LeaderboardRow> = {}): LeaderboardRow {
  return {
    model,
    displayName: null,
    provider: model.split('/')[0]!,
    enabled: true,
    status: 'ok',
    price: { inputPerMTok: 1, outputPerMTok: 2 },
    blendedPricePerMTok: 1.25,
    quality: { n: 100, mean: 0.5, interval: [0.4, 0.6] },
    cells: [],
    rank: 1,
    tied: false,
    latencyP50Ms: 500,
    latencyP95Ms: 900,
    ttftP50Ms: 100,
    ttftP95Ms: 200,
    tokensPerSecond: 50,
    probeSamples24h: 10,
    lastProbeAt: null,
    uptime: { '1h': 1, '24h': 1, '7d': 1 },
    traffic: { requests24h: 0, share24h: 0, errors24h: 0 },
    spendUsd: { evals: 0, probes24h: 0, traffic24h: 0 },
    ...overrides,
  };
}

const data: Leaderboard = {
  items: [
    row('a/strong', {
      rank: 1,
      quality: { n: 200, mean: 0.9, interval: [0.85, 0.94] },
      blendedPricePerMTok: 10,
      cells: [
        { dataset: 'math', category: 'math', n: 100, mean: 0.95, errors: 0, interval: [0.89, 0.98] },
        { dataset: 'code', category: 'code', n: 100, mean: 0.85, errors: 0, interval: [0.77, 0.91] },
      ],
    }),
    row('b/cheap', {
      rank: 2,
      quality: { n: 200, mean: 0.6, interval: [0.53, 0.67] },
      blendedPricePerMTok: 0.2,
      cells: [
        { dataset: 'math', category: 'math', n: 100, mean: 0.3, errors: 0, interval: [0.22, 0.4] },
        { dataset: 'code', category: 'code', n: 100, mean: 0.9, errors: 0, interval: [0.83, 0.94] },
      ],
    }),
    row('b/unknown', { rank: null, quality: { n: 0, mean: null, interval: null }, blendedPricePerMTok: 1 }),
  ],
  datasets: ['code', 'math'],
  categories: ['code', 'math'],
  providers: ['a', 'b'],
  generatedAt: new Date().toISOString(),
};

describe('LeaderboardState', () => {
  it('loads, sorts by rank with unranked last, and flips sort direction', async () => {
    const state = new LeaderboardState(async () => data);
    await state.load();
    flushSync();
    expect(state.rows.map((entry) => entry.model)).toEqual(['a/strong', 'b/cheap', 'b/unknown']);
    state.sortBy('blendedPricePerMTok');
    expect(state.rows.map((entry) => entry.model)).toEqual(['b/cheap', 'b/unknown', 'a/strong']);
    state.sortBy('blendedPricePerMTok');
    expect(state.rows.map((entry) => entry.model)).toEqual(['a/strong', 'b/unknown', 'b/cheap']);
    state.sortBy('quality');
    expect(state.sortDescending).toBe(true);
    expect(state.rows[0]!.model).toBe('a/strong');
    expect(state.rows.at(-1)!.model).toBe('b/unknown');
  });

  it('filters by provider and search, and re-ranks within a category', async () => {
    const state = new LeaderboardState(async () => data);
    await state.load();
    state.provider = 'b';
    expect(state.rows.map((entry) => entry.model)).toEqual(['b/cheap', 'b/unknown']);
    state.provider = '';
    state.search = 'STRONG';
    expect(state.rows.map((entry) => entry.model)).toEqual(['a/strong']);
    state.search = '';
    state.category = 'code';
    // On code the two overlap: both rank 1, tied, the higher mean on code first.
    const code = state.rows.filter((entry) => entry.rank !== null);
    expect(code.map((entry) => [entry.model, entry.rank, entry.tied])).toEqual([
      ['b/cheap', 1, true],
      ['a/strong', 1, true],
    ]);
    expect(code[0]!.quality.mean).toBeCloseTo(0.9);
    expect(code[0]!.quality.mean!).toBeGreaterThan(code[1]!.quality.mean!);
  });

  it('lists models sharing a rank by mean quality, not by name (as the API ranks them)', async () => {
    const tied = {
      ...data,
      items: [
        row('sage/think', { rank: 1, tied: true, quality: { n: 60, mean: 0.826, interval: [0.71, 0.9] } }),
        row('titan/ultra', { rank: 1, tied: true, quality: { n: 300, mean: 0.864, interval: [0.82, 0.9] } }),
      ],
    };
    const state = new LeaderboardState(async () => tied);
    await state.load();
    expect(state.rows.map((entry) => entry.model)).toEqual(['titan/ultra', 'sage/think']);
  });

  it('keeps the error when loading fails', async () => {
    const state = new LeaderboardState(async () => {
      throw new Error('boom');
    });
    await state.load();
    expect(state.error).toBe('boom');
    expect(state.loading).toBe(false);
    expect(state.rows).toEqual([]);
  });
});

describe('cellQuality', () => {
  it('pools matching cells with a Wilson interval', () => {
    const pooled = cellQuality(data.items[0]!, 'math', '');
    expect(pooled.n).toBe(100);
    expect(pooled.mean).toBeCloseTo(0.95);
    expect(pooled.interval![0]).toBeLessThan(0.95);
    expect(pooled.interval![1]).toBeGreaterThan(0.95);
    expect(cellQuality(data.items[0]!, 'nope', '')).toEqual({ n: 0, mean: null, interval: null });
  });
});
