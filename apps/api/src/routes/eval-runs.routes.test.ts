import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys, type LiveEvent } from '@switchyard/core';
import { getEvalRun, insertEvalResult, updateEvalRun } from '@switchyard/db';
import { registerBundledDatasets, bundledDatasetsDir } from '../bundled-datasets';
import { auth, seedCatalog, startTestApi, type TestApi } from './api-test-harness';

let api: TestApi;
let versionId: string;

beforeAll(async () => {
  api = await startTestApi();
  await seedCatalog(api);
  const registered = await registerBundledDatasets(api.database.db, bundledDatasetsDir);
  versionId = registered.find((entry) => entry.name.startsWith('openai-evals-chinese'))?.versionId ?? (registered[0]?.versionId as string);
}, 60_000);
afterAll(async () => {
  await api?.close();
}, 60_000);

async function start(body: Record<string, unknown>) {
  return api.app.inject({ method: 'POST', url: '/api/eval-runs', headers: auth, payload: body });
}

describe('POST /api/eval-runs', { timeout: 30_000 }, () => {
  it('starts a run on a dataset version, and by dataset name with a sample', async () => {
    const response = await start({ datasetVersionId: versionId, models: ['sim-a/mini', 'sim-b/pro'] });
    expect(response.statusCode).toBe(202);
    const run = response.json();
    expect(response.headers.location).toBe(`/api/eval-runs/${run.id}`);
    expect(run).toMatchObject({ datasetVersionId: versionId, models: ['sim-a/mini', 'sim-b/pro'], status: 'queued', done: 0, errors: 0 });
    expect(run.total).toBeGreaterThan(0);
    expect(run.total % 2).toBe(0);

    const byName = await start({ dataset: 'gsm8k', models: ['sim-a/large'], sample: 7, settings: { maxTokens: 200 } });
    expect(byName.statusCode).toBe(202);
    expect(byName.json()).toMatchObject({ total: 7, dataset: 'gsm8k', settings: { maxTokens: 200, sample: 7 } });
  });

  it('rejects unknown datasets (404), unknown models and malformed bodies (400)', async () => {
    expect((await start({ dataset: 'nope', models: ['sim-a/mini'] })).statusCode).toBe(404);
    const unknownModel = await start({ datasetVersionId: versionId, models: ['sim-a/unknown'] });
    expect(unknownModel.statusCode).toBe(400);
    expect(unknownModel.json().error.message).toMatch(/unknown model/);
    expect((await start({ datasetVersionId: versionId, models: [] })).statusCode).toBe(400);
    expect((await start({ models: ['sim-a/mini'] })).statusCode).toBe(400);
    expect((await start({ datasetVersionId: 'not-a-hash', models: ['sim-a/mini'] })).statusCode).toBe(400);
    const malformed = await api.app.inject({ method: 'POST', url: '/api/eval-runs', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"models": [' });
    expect(malformed.statusCode).toBe(400);
  });

  it('requires the admin token', async () => {
    expect((await api.app.inject({ method: 'POST', url: '/api/eval-runs', payload: { dataset: 'x', models: ['sim-a/mini'] } })).statusCode).toBe(401);
    expect((await api.app.inject({ method: 'GET', url: '/api/eval-runs', headers: { authorization: 'Bearer wrong-token-0000000000' } })).statusCode).toBe(401);
  });
});

describe('GET /api/eval-runs', { timeout: 30_000 }, () => {
  it('lists runs newest first, paginated', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/eval-runs?limit=1', headers: auth });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.items).toHaveLength(1);
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.nextOffset).toBe(1);
    const next = (await api.app.inject({ method: 'GET', url: '/api/eval-runs?limit=1&offset=1', headers: auth })).json();
    expect(next.items[0].id).not.toBe(body.items[0].id);
    expect((await api.app.inject({ method: 'GET', url: '/api/eval-runs?limit=0', headers: auth })).statusCode).toBe(400);
  });

  it('shows one run with per-model results and intervals, and its per-item results', async () => {
    const run = (await start({ dataset: 'gsm8k', models: ['sim-a/mini', 'sim-b/pro'], sample: 10, force: true })).json();
    const items = await api.database.db.selectFrom('dataset_items').select(['item_id', 'category']).where('version_id', '=', run.datasetVersionId).execute();
    const stored = await getEvalRun(api.database.db, run.id);
    // Results as the workers write them: mini gets 3 of 10 right, pro 9 of 10 (one call failed).
    let index = 0;
    for (const item of items.slice(0, 10)) {
      for (const [model, correct, failed] of [
        ['sim-a/mini', index < 3, false],
        ['sim-b/pro', index < 8, index === 9],
      ] as const) {
        await insertEvalResult(api.database.db, {
          run_id: run.id,
          dataset_version_id: run.datasetVersionId,
          item_id: item.item_id,
          model_id: model,
          category: item.category,
          settings_hash: stored!.settings_hash,
          score: failed ? null : correct ? 1 : 0,
          error_code: failed ? 'upstream' : null,
          cost_usd: 0.001,
          latency_ms: 100 + index,
        });
      }
      index += 1;
    }
    await updateEvalRun(api.database.db, run.id, { status: 'running', done: 20, errors: 1 });

    const response = await api.app.inject({ method: 'GET', url: `/api/eval-runs/${run.id}`, headers: auth });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ id: run.id, status: 'running', done: 20, total: 20, errors: 1 });
    const mini = body.results.find((result: { model: string }) => result.model === 'sim-a/mini');
    const pro = body.results.find((result: { model: string }) => result.model === 'sim-b/pro');
    expect(mini).toMatchObject({ n: 10, errors: 0, mean: 0.3 });
    expect(mini.interval.low).toBeLessThan(0.3);
    expect(mini.interval.high).toBeGreaterThan(0.3);
    expect(pro).toMatchObject({ n: 9, errors: 1 });
    expect(pro.mean).toBeCloseTo(8 / 9);
    expect(mini.categories[0]).toMatchObject({ category: 'math', n: 10 });

    const results = await api.app.inject({ method: 'GET', url: `/api/eval-runs/${run.id}/results?model=sim-b/pro&limit=5`, headers: auth });
    expect(results.statusCode).toBe(200);
    expect(results.json().items).toHaveLength(5);
    expect(results.json().nextOffset).toBe(5);
    expect(results.json().items.every((row: { model: string }) => row.model === 'sim-b/pro')).toBe(true);
  });

  it('answers 404 for a missing run and 400 for a malformed id', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/api/eval-runs/00000000-0000-4000-8000-000000000000', headers: auth })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'GET', url: '/api/eval-runs/nope', headers: auth })).statusCode).toBe(400);
    expect((await api.app.inject({ method: 'GET', url: '/api/eval-runs/00000000-0000-4000-8000-000000000000/events', headers: auth })).statusCode).toBe(404);
  });
});

describe('POST /api/eval-runs/:id/cancel', { timeout: 30_000 }, () => {
  it('cancels a queued run once (then 409), says so on the live channel, and answers 404/400 for unknown or malformed ids', async () => {
    const run = (await start({ dataset: 'gsm8k', models: ['sim-a/mini'], sample: 5, force: true })).json();
    const subscriber = api.redis.redis.duplicate();
    const events: LiveEvent[] = [];
    await subscriber.subscribe(redisKeys(api.context.config.redisPrefix).eventsChannel);
    subscriber.on('message', (_channel: string, message: string) => events.push(JSON.parse(message) as LiveEvent));

    const cancel = (id: string) => api.app.inject({ method: 'POST', url: `/api/eval-runs/${id}/cancel`, headers: auth });
    const response = await cancel(run.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: run.id, status: 'cancelled', error: 'cancelled by a user' });
    expect((await getEvalRun(api.database.db, run.id))?.status).toBe('cancelled');
    for (let wait = 0; wait < 50 && !events.some((event) => event.type === 'eval-progress' && event.runId === run.id); wait += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events.find((event) => event.type === 'eval-progress' && event.runId === run.id)).toMatchObject({ status: 'cancelled' });
    await subscriber.quit();

    const again = await cancel(run.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already cancelled/);
    expect((await cancel('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await cancel('nope')).statusCode).toBe(400);
    expect((await api.app.inject({ method: 'POST', url: `/api/eval-runs/${run.id}/cancel` })).statusCode).toBe(401);
  });

  it('shows no time left for a run that ended, however many items it did not do', async () => {
    const run = (await start({ dataset: 'gsm8k', models: ['sim-a/mini'], sample: 6, force: true })).json();
    // Running for a minute with 2 of 6 items done: the ETA is the pace times what is left.
    const items = await api.database.db.selectFrom('dataset_items').select('item_id').where('version_id', '=', run.datasetVersionId).limit(2).execute();
    for (const { item_id } of items) {
      await insertEvalResult(api.database.db, { run_id: run.id, dataset_version_id: run.datasetVersionId, item_id, model_id: 'sim-a/mini', category: 'math', settings_hash: 'h', score: 1, error_code: null, cost_usd: 0.001 });
    }
    await updateEvalRun(api.database.db, run.id, { status: 'running', started_at: new Date(Date.now() - 60_000), done: 2, spend_usd: 0.002 });
    const running = (await api.app.inject({ method: 'GET', url: `/api/eval-runs/${run.id}`, headers: auth })).json();
    expect(running.etaMs).toBeGreaterThan(100_000);

    const cancelled = (await api.app.inject({ method: 'POST', url: `/api/eval-runs/${run.id}/cancel`, headers: auth })).json();
    expect(cancelled).toMatchObject({ status: 'cancelled', done: 2, etaMs: null });
    expect((await api.app.inject({ method: 'GET', url: `/api/eval-runs/${run.id}`, headers: auth })).json()).toMatchObject({ status: 'cancelled', etaMs: null });
    const listed = (await api.app.inject({ method: 'GET', url: '/api/eval-runs?status=cancelled', headers: auth })).json();
    expect(listed.items.find((entry: { id: string }) => entry.id === run.id)).toMatchObject({ etaMs: null });

    // The same for a failed run and a completed one.
    await updateEvalRun(api.database.db, run.id, { status: 'failed' });
    expect((await api.app.inject({ method: 'GET', url: `/api/eval-runs/${run.id}`, headers: auth })).json()).toMatchObject({ status: 'failed', etaMs: null });
    await updateEvalRun(api.database.db, run.id, { status: 'completed' });
    expect((await api.app.inject({ method: 'GET', url: `/api/eval-runs/${run.id}`, headers: auth })).json()).toMatchObject({ status: 'completed', etaMs: null });
  });
});

describe('GET /api/eval-runs/:id/events', { timeout: 30_000 }, () => {
  it('streams the run progress as server-sent events and ends when the run completes', async () => {
    const run = (await start({ dataset: 'gsm8k', models: ['sim-a/mini'], sample: 4, force: true })).json();
    const address = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${address}/api/eval-runs/${run.id}/events`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
    };
    await readUntil(/event: progress/);
    expect(text).toContain('"done":0');

    // What a worker publishes while the run proceeds, then at the end.
    const publish = (event: LiveEvent) => api.redis.redis.publish(redisKeys(api.context.config.redisPrefix).eventsChannel, JSON.stringify(event));
    await publish({ type: 'eval-progress', runId: 'another-run', done: 1, total: 9, errors: 0, spendUsd: 0, etaMs: 10, status: 'running' });
    await publish({ type: 'eval-progress', runId: run.id, done: 2, total: 4, errors: 0, spendUsd: 0.01, etaMs: 500, status: 'running' });
    await publish({ type: 'eval-result', runId: run.id, model: 'sim-a/mini' });
    await publish({ type: 'eval-progress', runId: run.id, done: 4, total: 4, errors: 0, spendUsd: 0.02, etaMs: 0, status: 'completed' });
    await readUntil(/event: end/);
    await readUntil(/$^/); // drain to the end of the stream
    expect(text).toContain('"done":2');
    expect(text).toContain('event: result');
    expect(text).toContain('"status":"completed"');
    expect(text).not.toContain('another-run');
  });
});
