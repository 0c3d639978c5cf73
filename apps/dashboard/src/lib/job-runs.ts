/**
 * Which recent job runs the Jobs page lists. Routine runs are the background heartbeat that
 * succeeded: outcome ingests (one every 2 s), latency probes that measured without an error,
 * and demo-traffic ticks. They are hidden by default so failures, eval runs, optimizer runs,
 * catalog syncs and probes that were refused or saw errors stand out.
 */
import type { JobsOverview } from './types';

export type RecentRun = JobsOverview['recent'][number];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const ROUTINE_QUEUES = new Set(['outcome-ingest', 'demo-traffic']);

/** A completed run that is routine background work (see the module comment). */
export function isRoutineRun(run: RecentRun): boolean {
  if (run.state !== 'completed') return false;
  const result = isRecord(run.result) ? run.result : null;
  if (ROUTINE_QUEUES.has(run.queue)) return !(typeof result?.malformed === 'number' && result.malformed > 0);
  if (run.queue === 'latency-probe') return result?.status === 'ok' && result.errors === 0;
  return false;
}

/** The runs to list (at most `limit`) and how many routine runs were left out. */
export function visibleRuns(runs: readonly RecentRun[], options: { hideRoutine: boolean; limit: number }): { shown: RecentRun[]; hidden: number } {
  const kept = options.hideRoutine ? runs.filter((run) => !isRoutineRun(run)) : [...runs];
  return { shown: kept.slice(0, options.limit), hidden: runs.length - kept.length };
}
