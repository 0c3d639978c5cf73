/**
 * Jobs: schedules with their next run, recent completed and failed jobs with their errors,
 * queue counts, "optimize now" (used when a route is saved), and the queue UI (bull-board)
 * at /admin/queues — behind the admin auth hook that covers /admin/*.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { QueueEvents } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { httpErrorResponse, SwitchyardError } from '@switchyard/core';
import { listProviders, type Db } from '@switchyard/db';
import {
  createBullConnection,
  evalItemQueueName,
  listSchedules,
  queueCounts,
  queueNames,
  QueueSet,
  recentJobs,
  requestOptimize,
  type QueueCounts,
} from '@switchyard/jobs';
import type { RouteContext } from '../context';
import { documented } from './route-schema';

/** A `<link rel="stylesheet">` to another origin (bull-board's Google Fonts). */
const THIRD_PARTY_STYLESHEET = /<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*\brel="stylesheet"[^>]*>\s*/g;

const jobsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  state: z.enum(['completed', 'failed']).optional(),
  /**
   * Leave out routine runs: an outcome ingest that had nothing to do (every 2 s) and completed
   * demo-traffic ticks (every second). Failed runs are always listed.
   */
  hideIdle: z.enum(['true', 'false']).default('false'),
  /**
   * Leave out every routine run (`routine`: the idle ones, outcome ingests that dropped nothing,
   * probes without errors) and answer how many were left out, as `hiddenRoutine`.
   */
  hideRoutine: z.enum(['true', 'false']).default('false'),
});
const optimizeBody = z
  .object({
    reason: z.string().trim().min(1).max(200).default('requested through the API'),
    /** Wait for the run and answer with its result (bounded). */
    wait: z.boolean().default(false),
  })
  .prefault({});

/** Eval-item queues exist per provider; the catalog says which providers there are. */
const providerQueues = async (db: Db) => (await listProviders(db)).map((provider) => evalItemQueueName(provider.id));

/**
 * The body of GET /api/jobs: schedules with their next run, queue counts, recent completed and
 * failed jobs. A queue's `completed` is the real number of completed jobs (BullMQ's metrics
 * counter), not the few that `removeOnComplete` keeps (`completedRetained`); see queueCounts.
 */
export async function buildJobsOverview(db: Db, queues: QueueSet, query: z.infer<typeof jobsQuery>) {
  const extraQueues = await providerQueues(db);
  const [schedules, { recent, hiddenRoutine }] = await Promise.all([
    listSchedules(queues),
    recentJobs(queues, {
      limit: query.limit,
      extraQueues,
      hideIdle: query.hideIdle === 'true',
      hideRoutine: query.hideRoutine === 'true',
      ...(query.state ? { state: query.state } : {}),
    }),
  ]);
  const names = [...Object.values(queueNames), ...extraQueues];
  const counts: Record<string, QueueCounts> = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await queueCounts(queues.get(name))] as const)),
  );
  return { schedules, queues: counts, recent, hiddenRoutine, queueUi: '/admin/queues' };
}

export async function jobRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { queues } = context;
  let queueEvents: QueueEvents | undefined;
  app.addHook('onClose', async () => {
    await queueEvents?.close().catch(() => undefined);
  });

  app.get('/api/jobs', documented({ tags: ['jobs'], summary: 'Schedules with their next run, queue counts, recent completed and failed jobs', querystring: jobsQuery }), async (request) =>
    buildJobsOverview(context.db, queues, jobsQuery.parse(request.query)),
  );

  app.post(
    '/api/optimize',
    documented({
      tags: ['jobs'],
      summary: 'Run the optimizer now (requests coalesce); with wait, answer with its result: published or not, and why',
      body: optimizeBody,
    }),
    async (request, reply) => {
      const body = optimizeBody.parse(request.body ?? {});
      const jobId = await requestOptimize(queues, body.reason);
      if (!body.wait || !jobId) return reply.code(202).send({ jobId, status: 'queued' });
      queueEvents ??= new QueueEvents(queueNames.optimize, { connection: createBullConnection(context.config.redisUrl), prefix: queues.prefix });
      const job = await queues.get(queueNames.optimize).getJob(jobId);
      if (!job) return reply.code(202).send({ jobId, status: 'queued' });
      try {
        const result: unknown = await job.waitUntilFinished(queueEvents, 60_000);
        return reply.code(200).send({ jobId, status: 'completed', result });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/timed out/i.test(message)) throw new SwitchyardError('timeout', `optimize job ${jobId} did not finish within 60 s (is a worker running?)`);
        throw new SwitchyardError('internal', `optimize job ${jobId} failed: ${message}`);
      }
    },
  );

  // The queue UI. Eval-item queues follow the catalog: a provider added later shows up.
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath('/admin/queues');
  const adapterFor = (name: string) => new BullMQAdapter(queues.get(name));
  const board = createBullBoard({
    queues: Object.values(queueNames).map(adapterFor),
    // @bull-board/fastify pins an older patch of @bull-board/api; the adapter contract is the same.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Switchyard queues' } },
  });
  const shown = new Set<string>(Object.values(queueNames));
  let refreshedAt = 0;
  // The board's plugin has its own error handler; map errors (401 from the admin hook) like the rest of the API.
  serverAdapter.setErrorHandler((error) => {
    const response = httpErrorResponse(error);
    return { status: response.status as 500, body: response.body };
  });
  // The board's own hooks, in a scope of their own: they run for the queue UI only.
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async () => {
        if (Date.now() - refreshedAt < 5_000) return;
        refreshedAt = Date.now();
        for (const name of await providerQueues(context.db).catch(() => [] as string[])) {
          if (shown.has(name)) continue;
          shown.add(name);
          board.addQueue(adapterFor(name));
        }
      });
      // bull-board's page links Google Fonts: a request to a third party from a self-hosted admin
      // page, which the CSP refuses anyway (a console error on every visit). The page is served
      // without that link and falls back to the system's sans-serif and monospace fonts.
      scope.addHook('onSend', async (_request, reply, payload) => {
        if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
        return payload.replace(THIRD_PARTY_STYLESHEET, '');
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: '/admin/queues' },
  );
}
