import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { probeSeries, type Db } from '@switchyard/db';
import type { ApiContext } from '../context';
import { documented } from './route-schema';

const seriesQuery = z.object({
  /** Comma-separated model ids; empty = all. */
  models: z.string().max(4000).optional(),
  hours: z.coerce.number().positive().max(168).default(24),
  /** Bucket width; default gives about 60 points over the window. */
  bucketSeconds: z.coerce.number().int().min(10).max(86_400).optional(),
});

/** The body of GET /api/probes/series: bucketed probe latency percentiles per model over the window. */
export async function buildProbeSeries(db: Db, query: z.infer<typeof seriesQuery>) {
  const to = new Date();
  const from = new Date(to.getTime() - query.hours * 3600_000);
  const bucketSeconds = query.bucketSeconds ?? Math.max(60, Math.round((query.hours * 3600) / 60));
  const models = query.models ? query.models.split(',').map((model) => model.trim()).filter(Boolean) : undefined;
  const points = await probeSeries(db, { from, to, bucketSeconds, ...(models ? { models } : {}) });
  return { from: from.toISOString(), to: to.toISOString(), bucketSeconds, points };
}

/** Probe latency time series (bucketed percentiles), for the latency-over-time charts. */
export async function probeRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  app.get(
    '/api/probes/series',
    documented({ tags: ['probes'], summary: 'Bucketed probe latency percentiles per model', querystring: seriesQuery }),
    async (request) => buildProbeSeries(context.db, seriesQuery.parse(request.query)),
  );
}
