import { afterEach, describe, expect, it, vi } from 'vitest';
import { EvalRunWatch } from './eval-run.svelte';
import { LiveFeed } from './live.svelte';

afterEach(() => vi.unstubAllGlobals());

describe('EvalRunWatch', () => {
  it('follows progress of its own run from the live stream and loads results when it completes', async () => {
    const run = {
      id: 'r1',
      models: ['a/x'],
      status: 'completed',
      done: 6,
      total: 6,
      errors: 0,
      spendUsd: 0.01,
      etaMs: 0,
      results: [{ model: 'a/x', n: 6, errors: 0, mean: 0.5, interval: { low: 0.2, high: 0.8 }, totalCostUsd: 0.01, latencyMs: null, categories: [] }],
    };
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(run), { status: 200, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    const feed = new LiveFeed();
    const watch = new EvalRunWatch(feed);
    watch.follow('r1');
    feed.dispatch({ type: 'eval-progress', runId: 'other', done: 1, total: 2, errors: 0, spendUsd: 0, etaMs: null, status: 'running' });
    expect(watch.progress).toBeNull();
    feed.dispatch({ type: 'eval-progress', runId: 'r1', done: 3, total: 6, errors: 1, spendUsd: 0.005, etaMs: 1000, status: 'running' });
    expect(watch.progress).toMatchObject({ done: 3, total: 6, status: 'running' });
    expect(watch.fraction).toBe(0.5);
    expect(watch.running).toBe(true);
    feed.dispatch({ type: 'eval-progress', runId: 'r1', done: 6, total: 6, errors: 1, spendUsd: 0.01, etaMs: 0, status: 'completed' });
    await vi.waitFor(() => expect(watch.results).toHaveLength(1));
    expect(fetchMock).toHaveBeenCalledWith('/api/eval-runs/r1', expect.anything());
    expect(watch.running).toBe(false);
    // Stopped: later events are ignored.
    feed.dispatch({ type: 'eval-progress', runId: 'r1', done: 0, total: 6, errors: 0, spendUsd: 0, etaMs: null, status: 'running' });
    expect(watch.progress?.status).toBe('completed');
  });

  it('cancels its run through the API and stops following it', async () => {
    // Answers both the cancel (a run) and the refresh after it (a run with its results).
    const cancelled = { id: 'r2', models: ['a/x'], status: 'cancelled', done: 2, total: 6, errors: 0, spendUsd: 0.002, etaMs: 0, reused: 0, results: [] };
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(cancelled), { status: 200, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    const feed = new LiveFeed();
    const watch = new EvalRunWatch(feed);
    watch.follow('r2');
    feed.dispatch({ type: 'eval-progress', runId: 'r2', done: 2, total: 6, errors: 0, spendUsd: 0.002, etaMs: 1000, status: 'running' });
    expect(watch.running).toBe(true);
    await watch.cancel();
    expect(fetchMock).toHaveBeenCalledWith('/api/eval-runs/r2/cancel', expect.objectContaining({ method: 'POST' }));
    expect(watch.progress).toMatchObject({ status: 'cancelled', done: 2 });
    expect(watch.running).toBe(false);
    expect(watch.error).toBeNull();
    expect(watch.results).toEqual([]);
    feed.dispatch({ type: 'eval-progress', runId: 'r2', done: 3, total: 6, errors: 0, spendUsd: 0.003, etaMs: 500, status: 'running' });
    expect(watch.progress?.status).toBe('cancelled');
  });
});
