import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueCounts } from '../src/queue-counts';
import { queueNames } from '../src/queues';
import { createJobsEnvironment, waitFor, type JobsEnvironment } from './harness';

let env: JobsEnvironment;

beforeAll(async () => {
  env = await createJobsEnvironment();
  await env.start({ kinds: ['ingest'] });
}, 60_000);
afterAll(async () => {
  await env?.close();
}, 60_000);

describe('queue counts', { timeout: 60_000 }, () => {
  it('counts every job the runtime completed, beyond what removeOnComplete keeps', async () => {
    const queue = env.queues.get(queueNames.outcomeIngest);
    const total = 25;
    await queue.addBulk(Array.from({ length: total }, (_, index) => ({ name: 'outcome-ingest', data: {}, opts: { jobId: `ingest-${index}`, removeOnComplete: { count: 2 } } })));
    const counts = await waitFor(async () => {
      const current = await queueCounts(queue);
      return current.waiting === 0 && current.active === 0 && current.completed >= total && current;
    }, 30_000);
    expect(counts).toMatchObject({ completed: total, completedRetained: 2, failed: 0, failedTotal: 0 });
  });
});
