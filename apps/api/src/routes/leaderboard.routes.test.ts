import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { wilsonInterval } from '@switchyard/core';
import { auth, seedCatalog, startTestApi, type TestApi } from './api-test-harness';

describe('leaderboard, probes and decisions routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await seedCatalog(api);
    const db = api.database.db;
    const dataset = await db.insertInto('datasets').values({ name: 'math-mini' }).returning('id').executeTakeFirstOrThrow();
    await db
      .insertInto('dataset_versions')
      .values({ id: 'v1', dataset_id: dataset.id, item_count: 40, format: 'jsonl', categories: ['math'], report: '{}' })
      .execute();
    const run = await db
      .insertInto('eval_runs')
      .values({ dataset_version_id: 'v1', models: ['sim-a/mini', 'sim-a/large', 'sim-b/pro'], settings: '{}', settings_hash: 'h' })
      .returning('id')
      .executeTakeFirstOrThrow();
    // large: 36/40, pro: 35/40 (overlapping → tied), mini: 10/40 (clearly worse).
    const scores: Record<string, number> = { 'sim-a/large': 36, 'sim-b/pro': 35, 'sim-a/mini': 10 };
    const rows = Object.entries(scores).flatMap(([model, correct]) =>
      Array.from({ length: 40 }, (_, index) => ({
        run_id: run.id,
        dataset_version_id: 'v1',
        item_id: `i${index}`,
        model_id: model,
        category: 'math',
        settings_hash: 'h',
        score: index < correct ? 1 : 0,
        cost_usd: 0.001,
        created_at: sql<Date>`now() - interval '1 minute'`,
      })),
    );
    await db.insertInto('eval_results').values(rows).execute();
    // A result too fresh for the rollup (commit lag) and a reused copy: neither counted.
    await db
      .insertInto('eval_results')
      .values([
        { run_id: run.id, dataset_version_id: 'v1', item_id: 'fresh', model_id: 'sim-a/mini', category: 'math', settings_hash: 'h', score: 1 },
      ])
      .execute();
    const probe = (model: string, minutesAgo: number, ok: boolean, latency: number) => ({
      model_id: model,
      kind: 'latency',
      ok,
      latency_ms: latency,
      ttft_ms: latency / 4,
      output_tokens_per_s: 50,
      cost_usd: 0.0001,
      at: sql<Date>`now() - make_interval(mins => ${minutesAgo})`,
    });
    await db
      .insertInto('probe_samples')
      .values([
        probe('sim-a/mini', 5, true, 100),
        probe('sim-a/mini', 10, true, 200),
        probe('sim-a/mini', 15, true, 300),
        probe('sim-a/mini', 30, false, 0),
        probe('sim-a/mini', 60 * 30, false, 0),
        probe('sim-b/pro', 5, true, 1000),
      ])
      .execute();
    const decision = (id: string, route: string, model: string, status: number, minutesAgo: number) => ({
      request_id: id,
      at: sql<Date>`now() - make_interval(mins => ${minutesAgo})`,
      route,
      category: 'math',
      chosen_model: model,
      served_model: model,
      status,
      candidates: '[]',
      attempts: '[]',
      latency_ms: 100,
      cost_usd: 0.002,
    });
    await db
      .insertInto('route_decisions')
      .values([
        decision('r1', 'auto', 'sim-a/mini', 200, 1),
        decision('r2', 'auto', 'sim-a/mini', 200, 2),
        decision('r3', 'auto', 'sim-b/pro', 502, 3),
        decision('r4', 'cheap', 'sim-a/mini', 200, 4),
      ])
      .execute();
  });
  afterAll(async () => api.close());

  it('ranks with ties where intervals overlap and shows latency, uptime, price and share', async () => {
    const response = await api.app.inject({ url: '/api/leaderboard', headers: auth });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const byModel = Object.fromEntries(body.items.map((row: { model: string }) => [row.model, row]));
    expect(body.items.map((row: { model: string }) => row.model)).toEqual(['sim-a/large', 'sim-b/pro', 'sim-a/mini']);
    expect(byModel['sim-a/large']).toMatchObject({ rank: 1, tied: true });
    expect(byModel['sim-b/pro']).toMatchObject({ rank: 1, tied: true });
    expect(byModel['sim-a/mini']).toMatchObject({ rank: 3, tied: false });
    expect(byModel['sim-a/large']).not.toHaveProperty('interval');
    const mini = byModel['sim-a/mini'];
    expect(mini.quality.n).toBe(40);
    expect(mini.quality.mean).toBeCloseTo(0.25);
    expect(mini.quality.interval[0]).toBeCloseTo(wilsonInterval(0.25, 40)[0]);
    expect(mini.cells).toEqual([expect.objectContaining({ dataset: 'math-mini', category: 'math', n: 40 })]);
    expect(mini.latencyP50Ms).toBeCloseTo(200);
    expect(mini.uptime['1h']).toBeCloseTo(3 / 4);
    expect(mini.uptime['7d']).toBeCloseTo(3 / 5);
    expect(mini.traffic.share24h).toBeCloseTo(3 / 4);
    expect(mini.spendUsd.evals).toBeCloseTo(0.04);
    expect(mini.blendedPricePerMTok).toBeCloseTo(0.2);
    expect(body.datasets).toEqual(['math-mini']);
    expect(body.categories).toEqual(['math']);
  });

  it('refreshes incrementally and filters', async () => {
    const again = (await api.app.inject({ url: '/api/leaderboard?provider=sim-a&category=math', headers: auth })).json();
    expect(again.items.map((row: { model: string }) => row.model)).toEqual(['sim-a/large', 'sim-a/mini']);
    expect(again.items[1].quality.n).toBe(40);
    // A dataset that exists but has no results yet: an empty leaderboard. A typo: a 400 listing what exists.
    const db = api.database.db;
    const fresh = await db.insertInto('datasets').values({ name: 'code-mini' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('dataset_versions').values({ id: 'v-code', dataset_id: fresh.id, item_count: 5, format: 'jsonl', categories: ['code'], report: '{}' }).execute();
    for (const filter of ['dataset=code-mini', 'category=code']) {
      const none = await api.app.inject({ url: `/api/leaderboard?${filter}`, headers: auth });
      expect(none.statusCode).toBe(200);
      expect(none.json().items.every((row: { rank: number | null }) => row.rank === null)).toBe(true);
    }
    const refused = async (filter: string) => {
      const response = await api.app.inject({ url: `/api/leaderboard?${filter}`, headers: auth });
      expect(response.statusCode).toBe(400);
      return response.json().error as { message: string; param: string };
    };
    expect(await refused('dataset=unknown')).toEqual(expect.objectContaining({ message: 'Unknown dataset "unknown". Datasets: code-mini, math-mini', param: 'dataset' }));
    expect(await refused('category=zzz')).toEqual(expect.objectContaining({ message: 'Unknown category "zzz". Categories: code, math', param: 'category' }));
    expect((await refused('provider=nope')).message).toMatch(/^Unknown provider "nope"\. Providers: sim-a, sim-b/);
    // A configured provider without models yet is known.
    await db.insertInto('providers').values({ id: 'sim-c', type: 'openai-compatible' }).execute();
    const empty = await api.app.inject({ url: '/api/leaderboard?provider=sim-c', headers: auth });
    expect(empty.statusCode).toBe(200);
    expect(empty.json().items).toEqual([]);
  });

  it('refuses a category or dataset that only a deleted dataset had, listing the live ones', async () => {
    const db = api.database.db;
    const deleted = await db.insertInto('datasets').values({ name: 'poetry-retired', deleted_at: sql<Date>`now()` }).returning('id').executeTakeFirstOrThrow();
    await db
      .insertInto('dataset_versions')
      .values({ id: 'v-poetry', dataset_id: deleted.id, item_count: 3, format: 'jsonl', categories: ['math', 'poetry'], report: '{}' })
      .execute();
    for (const [filter, param] of [['category=poetry', 'category'], ['dataset=poetry-retired', 'dataset']]) {
      const response = await api.app.inject({ url: `/api/leaderboard?${filter}`, headers: auth });
      expect(response.statusCode, filter).toBe(400);
      const error = response.json().error as { message: string; param: string };
      expect(error.param).toBe(param);
      const listed = error.message.slice(error.message.indexOf('. ') + 2);
      expect(listed, filter).toMatch(/^(Categories|Datasets): .*math/);
      expect(listed, filter).not.toContain('poetry');
    }
    // A category the deleted dataset shares with a live one is still known.
    expect((await api.app.inject({ url: '/api/leaderboard?category=math', headers: auth })).statusCode).toBe(200);
  });

  it('serves bucketed probe series', async () => {
    const body = (await api.app.inject({ url: '/api/probes/series?hours=1&bucketSeconds=3600&models=sim-a/mini', headers: auth })).json();
    expect(body.bucketSeconds).toBe(3600);
    const samples = body.points.reduce((sum: number, point: { samples: number }) => sum + point.samples, 0);
    expect(samples).toBe(4);
    expect(body.points.every((point: { model: string }) => point.model === 'sim-a/mini')).toBe(true);
    expect((await api.app.inject({ url: '/api/probes/series?hours=999', headers: auth })).statusCode).toBe(400);
  });

  it('lists decisions filtered by route, model and status, with aggregates', async () => {
    const all = (await api.app.inject({ url: '/api/decisions?limit=2', headers: auth })).json();
    expect(all.items.map((row: { request_id: string }) => row.request_id)).toEqual(['r1', 'r2']);
    expect(all.nextBefore).not.toBeNull();
    const next = (await api.app.inject({ url: `/api/decisions?limit=2&before=${encodeURIComponent(all.nextBefore)}`, headers: auth })).json();
    expect(next.items.map((row: { request_id: string }) => row.request_id)).toEqual(['r3', 'r4']);
    const byCursor = (await api.app.inject({ url: `/api/decisions?limit=2&cursor=${encodeURIComponent(all.nextCursor)}`, headers: auth })).json();
    expect(byCursor.items.map((row: { request_id: string }) => row.request_id)).toEqual(['r3', 'r4']);
    const errors = (await api.app.inject({ url: '/api/decisions?status=error', headers: auth })).json();
    expect(errors.items.map((row: { request_id: string }) => row.request_id)).toEqual(['r3']);
    const cheap = (await api.app.inject({ url: '/api/decisions?route=cheap&model=sim-a/mini', headers: auth })).json();
    expect(cheap.items).toHaveLength(1);
    const aggregates = (await api.app.inject({ url: '/api/decisions/aggregates?hours=1', headers: auth })).json();
    expect(aggregates.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ route: 'auto', model: 'sim-a/mini', requests: 2, errors: 0 }),
        expect.objectContaining({ route: 'auto', model: 'sim-b/pro', requests: 1, errors: 1 }),
      ]),
    );
    expect((await api.app.inject({ url: '/api/decisions/r3', headers: auth })).json().status).toBe(502);
    expect((await api.app.inject({ url: '/api/decisions/nope', headers: auth })).statusCode).toBe(404);
    expect((await api.app.inject({ url: '/api/decisions?status=banana', headers: auth })).statusCode).toBe(400);
  });
});
