/**
 * Which recent job runs the Jobs page lists. Routine runs (the API's `routine`, decided by the
 * jobs package's `jobIsRoutine`: the background heartbeat that succeeded) are hidden by default,
 * so failures, eval runs, optimizer runs, catalog syncs and probes that were refused or saw
 * errors stand out.
 */
import type { JobsOverview } from './types';

export type RecentRun = JobsOverview['recent'][number];

/** The runs to list (at most `limit`) and how many routine runs were left out. */
export function visibleRuns(runs: readonly RecentRun[], options: { hideRoutine: boolean; limit: number }): { shown: RecentRun[]; hidden: number } {
  const kept = options.hideRoutine ? runs.filter((run) => !run.routine) : [...runs];
  return { shown: kept.slice(0, options.limit), hidden: runs.length - kept.length };
}
