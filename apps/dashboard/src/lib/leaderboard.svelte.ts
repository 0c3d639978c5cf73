import { rankWithTies, wilsonInterval } from '@switchyard/core/ranking';
import { errorText, getJson } from './api';
import type { Leaderboard, LeaderboardRow } from './types';

export type SortKey = 'rank' | 'model' | 'quality' | 'latencyP50Ms' | 'ttftP50Ms' | 'tokensPerSecond' | 'blendedPricePerMTok' | 'uptime' | 'share';

const value = (row: LeaderboardRow, key: SortKey): number | string | null => {
  switch (key) {
    case 'rank':
      return row.rank;
    case 'model':
      return row.model;
    case 'quality':
      return row.quality.mean;
    case 'uptime':
      return row.uptime['24h'];
    case 'share':
      return row.traffic.share24h;
    default:
      return row[key];
  }
};

/** Quality of a row restricted to one dataset and/or category (pooled over matching cells, Wilson interval as the API's). */
export function cellQuality(row: LeaderboardRow, dataset: string, category: string): LeaderboardRow['quality'] {
  if (!dataset && !category) return row.quality;
  const cells = row.cells.filter((cell) => (!dataset || cell.dataset === dataset) && (!category || cell.category === category));
  const n = cells.reduce((sum, cell) => sum + cell.n, 0);
  if (n === 0) return { n: 0, mean: null, interval: null };
  const mean = cells.reduce((sum, cell) => sum + (cell.mean ?? 0) * cell.n, 0) / n;
  return { n, mean, interval: wilsonInterval(mean, n) };
}

/**
 * Leaderboard page state: rows from /api/leaderboard (raw: replaced whole on refresh),
 * filters and sort applied client-side so typing in search is instant.
 */
export class LeaderboardState {
  data = $state.raw<Leaderboard | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  search = $state('');
  provider = $state('');
  dataset = $state('');
  category = $state('');
  sortKey = $state<SortKey>('rank');
  sortDescending = $state(false);

  rows = $derived.by(() => {
    const data = this.data;
    if (!data) return [];
    const needle = this.search.trim().toLowerCase();
    const scoped = this.dataset || this.category ? rankWithTies(data.items.map((row) => ({ ...row, quality: cellQuality(row, this.dataset, this.category) }))) : data.items;
    const filtered = scoped
      .filter((row) => !this.provider || row.provider === this.provider)
      .filter((row) => !needle || row.model.toLowerCase().includes(needle) || (row.displayName ?? '').toLowerCase().includes(needle));
    const direction = this.sortDescending ? -1 : 1;
    return filtered.sort((a, b) => {
      const left = value(a, this.sortKey);
      const right = value(b, this.sortKey);
      // Equal keys (a shared rank) keep the ranking's order: by mean quality, then model.
      if (left === right) return (b.quality.mean ?? -Infinity) - (a.quality.mean ?? -Infinity) || a.model.localeCompare(b.model);
      if (left === null) return 1;
      if (right === null) return -1;
      return (left < right ? -1 : 1) * direction;
    });
  });

  constructor(private readonly fetchLeaderboard: () => Promise<Leaderboard> = () => getJson<Leaderboard>('/api/leaderboard')) {}

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.data = await this.fetchLeaderboard();
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.loading = false;
    }
  }

  sortBy(key: SortKey): void {
    if (this.sortKey === key) this.sortDescending = !this.sortDescending;
    else {
      this.sortKey = key;
      // Bigger is better for these; smaller is better for rank, latency and price.
      this.sortDescending = ['quality', 'tokensPerSecond', 'uptime', 'share'].includes(key);
    }
  }
}
