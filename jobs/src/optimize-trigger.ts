import { queueNames, type QueueSet } from './queues';

export interface OptimizeJobData {
  reason: string;
}

/**
 * Ask for an optimize run soon. Requests coalesce: while one is waiting, further requests
 * are dropped (BullMQ deduplication), so saving ten routes in a row runs it once or twice.
 */
export async function requestOptimize(queues: QueueSet, reason: string): Promise<string | undefined> {
  const job = await queues
    .get(queueNames.optimize)
    .add('optimize', { reason } satisfies OptimizeJobData, { deduplication: { id: 'optimize-requested' }, delay: 250, attempts: 2 });
  return job.id;
}
