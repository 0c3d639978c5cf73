/**
 * Job counts per queue for the jobs page. BullMQ's own `completed` count is the number of
 * completed jobs still stored, which `removeOnComplete` caps (20 for optimize and
 * demo-traffic, 50 for outcome ingest, none at all for eval items): after a while it says
 * nothing about how much work was done. The real number comes from BullMQ's metrics: every
 * worker started by `startJobs` collects them (`workerMetrics`), which keeps a per-queue
 * counter of finished jobs in Redis that job removal does not touch.
 */
import { MetricsTime, type MetricsOptions, type Queue } from 'bullmq';

/**
 * Metrics settings of every worker (BullMQ wants the same on all workers of a queue): a
 * completed/failed counter plus per-minute data points for two weeks, BullMQ's recommended
 * window (about 120 KB of Redis per queue).
 */
export const workerMetrics: MetricsOptions = { maxDataPoints: MetricsTime.TWO_WEEKS };

const retainedStates = ['waiting', 'active', 'delayed', 'completed', 'failed', 'waiting-children', 'prioritized'] as const;

export type QueueCounts = Record<(typeof retainedStates)[number], number> & {
  /**
   * Jobs completed since metrics were first collected on this queue (a Redis counter kept by
   * the workers; never lower than `completedRetained`, so an install that predates metrics
   * shows at least what it still stores).
   */
  completed: number;
  /** Completed jobs still stored (BullMQ's own count, capped by `removeOnComplete`). */
  completedRetained: number;
  /** Jobs that failed for good (attempts used up) since metrics were first collected; at least `failed`. */
  failedTotal: number;
};

/** Counts of one queue: jobs in each state, and the real totals of completed and failed jobs. */
export async function queueCounts(queue: Queue): Promise<QueueCounts> {
  // Start/end 0..0: the counter is in the metadata; the data points are not needed.
  const [counts, completed, failed] = await Promise.all([
    queue.getJobCounts(...retainedStates),
    queue.getMetrics('completed', 0, 0),
    queue.getMetrics('failed', 0, 0),
  ]);
  const state = (name: (typeof retainedStates)[number]) => counts[name] ?? 0;
  return {
    waiting: state('waiting'),
    active: state('active'),
    delayed: state('delayed'),
    failed: state('failed'),
    'waiting-children': state('waiting-children'),
    prioritized: state('prioritized'),
    completed: Math.max(completed.meta.count, state('completed')),
    completedRetained: state('completed'),
    failedTotal: Math.max(failed.meta.count, state('failed')),
  };
}
