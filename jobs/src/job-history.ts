/** Recent completed and failed jobs across queues, with their errors (jobs API, dashboard). */
import type { Job } from 'bullmq';
import { jobIsIdle, jobIsRoutine, jobOutcome, jobSubject } from './job-summary';
import { queueNames, type QueueSet } from './queues';

export interface RecentJob {
  queue: string;
  id: string | null;
  name: string;
  state: 'completed' | 'failed';
  attemptsMade: number;
  finishedAt: string | null;
  processedAt: string | null;
  durationMs: number | null;
  /** The job's return value (completed) — e.g. a probe that refused its budget says so here. */
  result: unknown;
  error: string | null;
  data: unknown;
  /** What the job was about (the probed model, the eval run…), or null. */
  subject: string | null;
  /** How it ended, in a line, read from `result`; null when failed or nothing telling. */
  outcome: string | null;
  /** Completed with nothing to do (an ingest of an empty stream). */
  idle: boolean;
  /** Completed as routine background work (see `jobIsRoutine`): hidden by default on the Jobs page. */
  routine: boolean;
}

function toRecent(queue: string, state: RecentJob['state'], job: Job): RecentJob {
  const result = state === 'completed' ? (job.returnvalue ?? null) : null;
  return {
    queue,
    id: job.id ?? null,
    name: job.name,
    state,
    attemptsMade: job.attemptsMade,
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    processedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
    durationMs: job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : null,
    result,
    error: state === 'failed' ? (job.failedReason ?? 'failed') : null,
    data: job.data,
    subject: jobSubject(queue, job.data),
    outcome: jobOutcome(queue, result),
    idle: jobIsIdle(queue, result),
    routine: jobIsRoutine(queue, result),
  };
}

export async function recentJobs(
  queues: QueueSet,
  options: { limit?: number; state?: RecentJob['state']; extraQueues?: readonly string[]; hideIdle?: boolean; hideRoutine?: boolean } = {},
): Promise<{ recent: RecentJob[]; hiddenRoutine: number }> {
  const limit = Math.min(options.limit ?? 50, 500);
  const names = [...Object.values(queueNames), ...(options.extraQueues ?? [])];
  const out: RecentJob[] = [];
  let hiddenRoutine = 0;
  for (const name of names) {
    const queue = queues.get(name);
    for (const state of ['completed', 'failed'] as const) {
      if (options.state && options.state !== state) continue;
      const jobs = await queue.getJobs([state], 0, limit - 1, false);
      for (const job of jobs) {
        if (!job) continue;
        const recent = toRecent(name, state, job);
        // Idle runs are routine ones, so hiding routine runs hides (and counts) them too.
        if (options.hideRoutine && recent.routine) hiddenRoutine += 1;
        else if (!(options.hideIdle && recent.idle)) out.push(recent);
      }
    }
  }
  return { recent: out.sort((left, right) => (right.finishedAt ?? '').localeCompare(left.finishedAt ?? '')).slice(0, limit), hiddenRoutine };
}
