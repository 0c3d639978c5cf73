import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decisionAggregates, recentDecisions } from '@switchyard/db';
import type { ApiContext } from '../context';
import { cursorParameter, documented, encodeCursor, notFound } from './route-schema';

const listQuery = z.object({
  route: z.string().max(100).optional(),
  model: z.string().max(200).optional(),
  status: z.union([z.enum(['ok', 'error']), z.coerce.number().int().min(100).max(599)]).optional(),
  cursor: cursorParameter.optional().describe('The `nextCursor` of the previous page: the next page, exactly (no row skipped or repeated)'),
  before: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Only decisions older than this time. Paging by `nextBefore` (milliseconds) skips the decisions sharing its millisecond; page by `cursor`'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
/** How `model` and `status` filter GET /api/decisions, for the API docs (the rules of `recentDecisions`). */
const listDescription =
  'Filters follow the aggregates\' counting. `model=X` lists the requests that count for X (served by X, else chosen for it). ' +
  '`model=X&status=error` lists the requests that count an error for X: any request with a failed call by X (even one another ' +
  'model then served), and any request counting for X whose failure no failed call records (e.g. a stream cut after its first token); `status=ok` with `model=X` ' +
  'lists the requests counting for X that count no error for X. Without `model`, `status=error` lists every request that ' +
  'failed or had a failed call, `status=ok` the rest. A numeric `status` is the exact HTTP status. ' +
  'Pages: pass `nextCursor` as `cursor` for the next page (null on the last). `nextBefore`, the time of the last row to the ' +
  'millisecond, is kept for older callers: used as `before` it skips the decisions that share that millisecond.';
const aggregateQuery = z.object({
  hours: z.coerce.number().positive().max(168).default(24),
  route: z.string().max(100).optional(),
});
const idParams = z.object({ requestId: z.string().min(1).max(200) });

/** Route decisions: recent (filterable, keyset-paginated) and aggregates per route × model. */
export async function decisionRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { db } = context;

  app.get(
    '/api/decisions',
    documented({ tags: ['decisions'], summary: 'Recent routing decisions, newest first', description: listDescription, querystring: listQuery }),
    async (request) => {
      const query = listQuery.parse(request.query);
      const rows = await recentDecisions(db, {
        limit: query.limit,
        ...(query.route ? { route: query.route } : {}),
        ...(query.model ? { model: query.model } : {}),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.before ? { before: new Date(query.before) } : {}),
        ...(query.cursor === undefined ? {} : { after: query.cursor }),
      });
      const items = rows.slice(0, query.limit);
      const last = rows.length > query.limit ? items[items.length - 1] : undefined;
      return { items, nextCursor: last ? encodeCursor(last.request_id) : null, nextBefore: last ? new Date(last.at).toISOString() : null };
    },
  );

  app.get(
    '/api/decisions/aggregates',
    documented({ tags: ['decisions'], summary: 'Requests, errors, latency and spend per route and model', querystring: aggregateQuery }),
    async (request) => {
      const query = aggregateQuery.parse(request.query);
      const items = await decisionAggregates(db, { sinceMs: query.hours * 3600_000, ...(query.route ? { route: query.route } : {}) });
      return { hours: query.hours, items };
    },
  );

  app.get('/api/decisions/:requestId', documented({ tags: ['decisions'], summary: 'One decision by request id', params: idParams }), async (request) => {
    const { requestId } = idParams.parse(request.params);
    const row = await db.selectFrom('route_decisions').selectAll().where('request_id', '=', requestId).executeTakeFirst();
    if (!row) throw notFound(`Decision ${requestId}`);
    return row;
  });
}
