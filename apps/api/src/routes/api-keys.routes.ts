import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { modelIdSchema, redisKeys, routeNameSchema, type SwitchyardConfig } from '@switchyard/core';
import { assertApiKeyScopes, createApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from '@switchyard/db';
import type { ApiContext } from '../context';
import { actorOf, documented, notFound, parseStrictBody } from './route-schema';

const createBody = z.strictObject({
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

/** What a new key's creator must know when the router does not check keys at all. */
function routerAuthWarning(config: SwitchyardConfig): string | undefined {
  if (config.router.auth === 'on') return undefined;
  return 'Router auth is off (router.auth = "off"): the router accepts requests without a key, so this key and its routes, models and rate limit are not enforced. Switch it on with SWITCHYARD_ROUTER_AUTH=on (or "router": { "auth": "on" } in switchyard.config.json) and restart the router.';
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
    const body = parseStrictBody(createBody, request.body);
    await assertApiKeyScopes(db, body);
    const created = await createApiKey(
      db,
      { name: body.name, routes: body.routes ?? null, models: body.models ?? null, rateLimitPerMin: body.rateLimitPerMin ?? null },
      actorOf(request),
    );
    const warning = routerAuthWarning(config);
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({ ...keyView(created.row), key: created.key, ...(warning ? { warning } : {}) });
  });

  app.delete('/api/api-keys/:id', documented({ tags: ['api-keys'], summary: 'Revoke a key', params: idParams }), async (request) => {
    const { id } = idParams.parse(request.params);
    if (!(await revokeApiKey(db, id, actorOf(request)))) throw notFound(`Active API key ${id}`);
    await redis.publish(redisKeys(config.redisPrefix).apiKeysChannel, id).catch(() => undefined);
    return { revoked: id };
  });
}
