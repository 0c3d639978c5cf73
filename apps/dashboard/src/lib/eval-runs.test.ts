import { afterEach, describe, expect, it, vi } from 'vitest';
import { EvalRunList } from './eval-runs.svelte';
import { EvalRunWatch } from './eval-run.svelte';
import { LiveFeed } from './live.svelte';

afterEach(() => vi.unstubAllGlobals());

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const run = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
  id,
  datasetVersionId: 'a'.repeat(64),
  dataset: 'gsm8k',
  models: ['a/x', 'b/y'],
  status,
  trigger: 'first-start',
  total: 40,
  done: status === 'completed' ? 40 : 10,
  errors: 0,
  spendUsd: 0.01,
  etaMs: null,
  settings: {},
  error: null,
  createdAt: '2026-11-21T00:00:00Z',
  startedAt: '2026-11-21T00:00:01Z',
  finishedAt: status === 'completed' ? '2026-11-21T00:01:00Z' : null,
  ...extra,
});

describe('EvalRunList', () => {
  it('lists the recent runs from GET /api/eval-runs, with a status filter', async () => {
    const fetchMock = vi.fn(async () => json({ items: [run('r1', 'running'), run('r0', 'completed')], limit: 20, offset: 0, total: 7, nextOffset: 20 }));
    vi.stubGlobal('fetch', fetchMock);
    const list = new EvalRunList();
    await list.load();
    expect(fetchMock).toHaveBeenCalledWith('/api/eval-runs?limit=20', expect.anything());
    expect(list.items.map((item) => item.id)).toEqual(['r1', 'r0']);
    expect(list.total).toBe(7);
    list.status = 'running';
    await list.load();
    expect(fetchMock).toHaveBeenLastCalledWith('/api/eval-runs?limit=20&status=running', expect.anything());
  });

  it('cancels one run and shows its new status in place', async () => {
    const fetchMock = vi.fn(async (path: string) => (path.endsWith('/cancel') ? json(run('r1', 'cancelled')) : json({ items: [run('r1', 'running'), run('r0', 'completed')], limit: 20, offset: 0, nextOffset: null })));
    vi.stubGlobal('fetch', fetchMock);
    const list = new EvalRunList();
    await list.load();
    await list.cancel('r1');
    expect(fetchMock).toHaveBeenCalledWith('/api/eval-runs/r1/cancel', expect.objectContaining({ method: 'POST' }));
    expect(list.items.map((item) => item.status)).toEqual(['cancelled', 'completed']);
    expect(list.error).toBeNull();
  });

  it('reports a failed load', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: { message: 'nope' } }), { status: 500 })));
    const list = new EvalRunList();
    await list.load();
    expect(list.error).toBe('nope');
    expect(list.loading).toBe(false);
  });
});

describe('EvalRunWatch.open', () => {
  it('shows a finished run (progress and results) without following it', async () => {
    const detail = { ...run('r0', 'completed'), reused: 0, results: [{ model: 'a/x', n: 40, errors: 0, mean: 0.5, interval: { low: 0.35, high: 0.65 }, totalCostUsd: 0.01, latencyMs: null, categories: [] }] };
    const fetchMock = vi.fn(async () => json(detail));
    vi.stubGlobal('fetch', fetchMock);
    const feed = new LiveFeed();
    const watch = new EvalRunWatch(feed);
    await watch.open('r0');
    expect(fetchMock).toHaveBeenCalledWith('/api/eval-runs/r0', expect.anything());
    expect(watch.runId).toBe('r0');
    expect(watch.progress).toMatchObject({ status: 'completed', done: 40, total: 40 });
    expect(watch.results).toHaveLength(1);
    expect(watch.detail?.dataset).toBe('gsm8k');
    expect(watch.running).toBe(false);
    feed.dispatch({ type: 'eval-progress', runId: 'r0', done: 1, total: 40, errors: 0, spendUsd: 0, etaMs: null, status: 'running' });
    expect(watch.progress?.status).toBe('completed');
  });

  it('follows a run that is still going, and drops the one shown before', async () => {
    const fetchMock = vi.fn(async (path: string) => json({ ...run(path.split('/').at(-1)!, 'running'), reused: 0, results: [] }));
    vi.stubGlobal('fetch', fetchMock);
    const feed = new LiveFeed();
    const watch = new EvalRunWatch(feed);
    await watch.open('r1');
    await watch.open('r2');
    expect(watch.running).toBe(true);
    feed.dispatch({ type: 'eval-progress', runId: 'r1', done: 39, total: 40, errors: 0, spendUsd: 0, etaMs: null, status: 'running' });
    expect(watch.progress?.done).toBe(10);
    feed.dispatch({ type: 'eval-progress', runId: 'r2', done: 20, total: 40, errors: 0, spendUsd: 0.02, etaMs: 5000, status: 'running' });
    expect(watch.progress).toMatchObject({ done: 20, status: 'running' });
    expect(watch.fraction).toBe(0.5);
    watch.stop();
  });
});
