import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEFAULT_CATEGORY, rankWithTies, SwitchyardError, wilsonInterval } from '@switchyard/core';
import { datasetNamesAndCategories, listModels, listProviders, probeStats, qualityCells, refreshEvalRollup, trafficShare, type Db, type ModelRow, type QualityCell } from '@switchyard/db';
import type { ApiContext } from '../context';
import { documented } from './route-schema';
import { modelView } from './models.routes';

const leaderboardQuery = z.object({
  dataset: z.string().max(200).optional(),
  category: z.string().max(64).optional(),
  provider: z.string().max(100).optional(),
  search: z.string().max(200).optional(),
  includeDisabled: z.enum(['true', 'false']).default('true'),
});

function pooled(cells: QualityCell[]) {
  const n = cells.reduce((sum, cell) => sum + cell.n, 0);
  if (n === 0) return { n: 0, mean: null, interval: null };
  const mean = cells.reduce((sum, cell) => sum + (cell.mean ?? 0) * cell.n, 0) / n;
  return { n, mean, interval: wilsonInterval(mean, n) };
}

/** How GET /api/leaderboard ranks, for the API docs (the same words as `rankWithTies`). */
const rankingDescription =
  'Rows are ordered by rank, then mean quality (highest first). A model\'s `rank` is 1 + the number of models whose 95% Wilson ' +
  'interval lies entirely above its own (their lower bound exceeds its upper bound). `tied` is true when its interval overlaps ' +
  'at least one other ranked model\'s, so the data cannot order them. Models sharing a rank ' +
  'always overlap; a tied model can also be alone at its rank (overlap is not transitive). Models without eval data have rank null.';

/**
 * A filter naming a dataset, category or provider that does not exist is a 400 listing the ones
 * that do (a typo would otherwise read as "no data"); one that exists but has no results yet is
 * an empty leaderboard. Only asks the database when a filter matched no result.
 */
async function assertKnownFilters(db: Db, query: z.infer<typeof leaderboardQuery>, cells: QualityCell[], models: ModelRow[]): Promise<void> {
  if (query.provider && !models.some((model) => model.provider_id === query.provider)) {
    // A configured provider without models yet is known: its leaderboard is just empty.
    const providers = (await listProviders(db)).map((provider) => provider.id);
    if (!providers.includes(query.provider)) {
      throw new SwitchyardError('bad_request', `Unknown provider "${query.provider}". Providers: ${providers.join(', ') || 'none'}`, { param: 'provider' });
    }
  }
  const datasetSeen = !query.dataset || cells.some((cell) => cell.dataset === query.dataset);
  const categorySeen = !query.category || query.category === DEFAULT_CATEGORY || cells.some((cell) => cell.category === query.category);
  if (datasetSeen && categorySeen) return;
  const known = await datasetNamesAndCategories(db);
  if (!datasetSeen && !known.names.includes(query.dataset as string)) {
    throw new SwitchyardError('bad_request', `Unknown dataset "${query.dataset}". Datasets: ${known.names.join(', ') || 'none'}`, { param: 'dataset' });
  }
  if (!categorySeen && !known.categories.includes(query.category as string)) {
    throw new SwitchyardError('bad_request', `Unknown category "${query.category}". Categories: ${known.categories.join(', ') || 'none'}`, { param: 'category' });
  }
}

/**
 * The body of GET /api/leaderboard. One row per model: quality (pooled over the filtered
 * datasets/categories, with a Wilson interval and the per-cell breakdown), rank with ties
 * (see `rankWithTies`: 1 + the models clearly above, tied when the interval overlaps
 * another's), probe latency (24 h), uptime (1 h / 24 h / 7 d), blended 3:1 price, spend,
 * traffic share.
 */
export async function buildLeaderboard(db: Db, query: z.infer<typeof leaderboardQuery>) {
  await refreshEvalRollup(db);
  const [models, allCells, probes, traffic] = await Promise.all([listModels(db), qualityCells(db), probeStats(db), trafficShare(db)]);
  await assertKnownFilters(db, query, allCells, models);
  const cells = allCells.filter(
    (cell) => (!query.dataset || cell.dataset === query.dataset) && (!query.category || cell.category === query.category),
  );
  const probesByModel = new Map(probes.map((entry) => [entry.model, entry]));
  const trafficByModel = new Map(traffic.map((entry) => [entry.model, entry]));
  const search = query.search?.toLowerCase();
  const rows = models
    .filter((model) => query.includeDisabled === 'true' || model.enabled)
    .filter((model) => !query.provider || model.provider_id === query.provider)
    .filter((model) => !search || model.id.toLowerCase().includes(search) || (model.display_name ?? '').toLowerCase().includes(search))
    .map((model) => {
      const own = cells.filter((cell) => cell.model === model.id);
      const quality = pooled(own);
      const probe = probesByModel.get(model.id);
      const share = trafficByModel.get(model.id);
      const view = modelView(model);
      return {
        model: model.id,
        displayName: model.display_name,
        provider: model.provider_id,
        enabled: model.enabled,
        status: model.status,
        price: view.price,
        blendedPricePerMTok: view.blendedPricePerMTok,
        quality,
        cells: own.map((cell) => ({
          dataset: cell.dataset,
          category: cell.category,
          n: cell.n,
          mean: cell.mean,
          errors: cell.errors,
          interval: cell.mean === null ? null : wilsonInterval(cell.mean, cell.n),
        })),
        latencyP50Ms: probe?.latencyP50Ms ?? null,
        latencyP95Ms: probe?.latencyP95Ms ?? null,
        ttftP50Ms: probe?.ttftP50Ms ?? null,
        ttftP95Ms: probe?.ttftP95Ms ?? null,
        tokensPerSecond: probe?.tokensPerSecond ?? null,
        probeSamples24h: probe?.samples ?? 0,
        lastProbeAt: probe?.lastProbeAt ?? null,
        uptime: probe?.uptime ?? { '1h': null, '24h': null, '7d': null },
        traffic: { requests24h: share?.requests ?? 0, share24h: share?.share ?? 0, errors24h: share?.errors ?? 0 },
        spendUsd: {
          evals: own.reduce((sum, cell) => sum + cell.costUsd, 0),
          probes24h: probe?.probeSpendUsd ?? 0,
          traffic24h: share?.spendUsd ?? 0,
        },
      };
    });
  return {
    items: rankWithTies(rows),
    datasets: [...new Set(allCells.map((cell) => cell.dataset))].sort(),
    categories: [...new Set(allCells.map((cell) => cell.category))].sort(),
    providers: [...new Set(models.map((model) => model.provider_id))].sort(),
    generatedAt: new Date().toISOString(),
  };
}

/** GET /api/leaderboard: see buildLeaderboard. */
export async function leaderboardRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  app.get(
    '/api/leaderboard',
    documented({
      tags: ['leaderboard'],
      summary: 'Per-model quality with intervals, latency, uptime, price, spend and traffic share',
      description: rankingDescription,
      querystring: leaderboardQuery,
    }),
    async (request) => buildLeaderboard(context.db, leaderboardQuery.parse(request.query)),
  );
}
