import { describe, expect, it } from 'vitest';
import { visibleRuns, type RecentRun } from './job-runs';

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
  routine: false,
  ...overrides,
});

const ingest = run('outcome-ingest', { result: { read: 4, inserted: 4, malformed: 0 }, outcome: '4 records stored', routine: true });
const probe = run('latency-probe', { result: { status: 'ok', model: 'm', samples: 2, errors: 0, costUsd: 0.001, spentTodayUsd: 0.01 }, routine: true });

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
