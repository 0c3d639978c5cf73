import { describe, expect, it } from 'vitest';
import { isRoutineRun, visibleRuns, type RecentRun } from './job-runs';

const run = (queue: string, overrides: Partial<RecentRun> = {}): RecentRun => ({
  queue,
  id: '1',
  name: queue,
  state: 'completed',
  attemptsMade: 1,
  finishedAt: '2026-11-22T07:23:00.000Z',
  processedAt: '2026-11-22T07:22:59.000Z',
  durationMs: 1000,
  result: null,
  error: null,
  data: null,
  subject: null,
  outcome: null,
  idle: false,
  ...overrides,
});

const ingest = run('outcome-ingest', { result: { read: 4, inserted: 4, malformed: 0 }, outcome: '4 records stored' });
const probe = run('latency-probe', { result: { status: 'ok', model: 'm', samples: 2, errors: 0, costUsd: 0.001, spentTodayUsd: 0.01 } });

describe('isRoutineRun', () => {
  it('counts successful ingests, clean probes and demo ticks as routine', () => {
    expect(isRoutineRun(ingest)).toBe(true);
    expect(isRoutineRun(probe)).toBe(true);
    expect(isRoutineRun(run('demo-traffic', { result: { sent: 1 } }))).toBe(true);
  });
  it('keeps failures, probes that were refused or saw errors, ingests that dropped rows, evals and optimizer runs', () => {
    expect(isRoutineRun(run('outcome-ingest', { state: 'failed', error: 'redis down' }))).toBe(false);
    expect(isRoutineRun(run('latency-probe', { state: 'failed', error: 'timeout' }))).toBe(false);
    expect(isRoutineRun(run('latency-probe', { result: { status: 'ok', samples: 2, errors: 1 } }))).toBe(false);
    expect(isRoutineRun(run('latency-probe', { result: { status: 'budget_exhausted', message: 'over budget' } }))).toBe(false);
    expect(isRoutineRun(run('outcome-ingest', { result: { read: 5, inserted: 3, malformed: 2 } }))).toBe(false);
    expect(isRoutineRun(run('eval-run', { result: { done: 10, errors: 0 } }))).toBe(false);
    expect(isRoutineRun(run('optimize', { result: { published: false, reason: 'no change' } }))).toBe(false);
    expect(isRoutineRun(run('catalog-sync', { result: { models: 8 } }))).toBe(false);
  });
});

describe('visibleRuns', () => {
  const runs = [ingest, probe, ingest, run('eval-run'), probe, run('optimize', { state: 'failed', error: 'boom' })];
  it('hides routine runs and counts them', () => {
    const { shown, hidden } = visibleRuns(runs, { hideRoutine: true, limit: 100 });
    expect(shown.map((entry) => entry.queue)).toEqual(['eval-run', 'optimize']);
    expect(hidden).toBe(4);
  });
  it('lists everything, up to the limit, when asked to', () => {
    expect(visibleRuns(runs, { hideRoutine: false, limit: 5 })).toEqual({ shown: runs.slice(0, 5), hidden: 0 });
  });
});
