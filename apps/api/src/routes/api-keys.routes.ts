import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { modelIdSchema, redisKeys, routeNameSchema } from '@switchyard/core';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from '@switchyard/db';
import type { ApiContext } from '../context';
import { actorOf, documented, notFound } from './route-schema';

const createBody = z.object({
  name: z.string().min(1).max(100),
  routes: z.array(routeNameSchema).max(50).optional(),
  models: z.array(modelIdSchema).max(200).optional(),
  rateLimitPerMin: z.number().int().positive().max(1_000_000).optional(),
});
const idParams = z.object({ id: z.uuid() });
const listQuery = z.object({ includeRevoked: z.enum(['true', 'false']).default('false') });

function keyView(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    routes: row.routes,
    models: row.models,
    rateLimitPerMin: row.rate_limit_per_min,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** Router API keys: create (the key is returned once), list, revoke (routers told through Redis). */
export async function apiKeyRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { db, redis, config } = context;

  app.get('/api/api-keys', documented({ tags: ['api-keys'], summary: 'API keys (never the key itself)', querystring: listQuery }), async (request) => {
    const query = listQuery.parse(request.query);
    const rows = await listApiKeys(db);
    return { items: rows.filter((row) => query.includeRevoked === 'true' || row.revoked_at === null).map(keyView) };
  });

  app.post('/api/api-keys', documented({ tags: ['api-keys'], summary: 'Create a key; the plaintext is in this response only', body: createBody }), async (request, reply) => {
    const body = createBody.parse(request.body ?? {});
    const created = await createApiKey(
      db,
      { name: body.name, routes: body.routes ?? null, models: body.models ?? null, rateLimitPerMin: body.rateLimitPerMin ?? null },
      actorOf(request),
    );
    return reply.code(201).header('cache-control', 'no-store').send({ ...keyView(created.row), key: created.key });
  });

  app.delete('/api/api-keys/:id', documented({ tags: ['api-keys'], summary: 'Revoke a key', params: idParams }), async (request) => {
    const { id } = idParams.parse(request.params);
    if (!(await revokeApiKey(db, id, actorOf(request)))) throw notFound(`Active API key ${id}`);
    await redis.publish(redisKeys(config.redisPrefix).apiKeysChannel, id).catch(() => undefined);
    return { revoked: id };
  });
}
