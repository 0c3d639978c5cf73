import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { constraintsSchema, modelIdSchema, objectiveSchema, routeNameSchema, SwitchyardError, type RouteConfig } from '@switchyard/core';
import { announceRoutingChange, deleteRoute, getPolicyPin, getRoute, listAudit, listRoutes, routeRowToConfig, saveRoute, unknownModelIds, type Db, type RouteRow } from '@switchyard/db';
import { requestOptimize, type QueueSet } from '@switchyard/jobs';
import type { ApiContext, RouteContext } from '../context';
import { actorOf, documented, notFound } from './route-schema';

const nameParams = z.object({ name: routeNameSchema });
const routeFields = z.object({
  description: z.string().max(500).optional(),
  candidates: z.array(modelIdSchema).max(200).default([]),
  objective: objectiveSchema.prefault({}),
  constraints: constraintsSchema.prefault({}),
  enabled: z.boolean().default(true),
});
const createBody = routeFields.extend({ name: routeNameSchema });

/** A route as the API shows it: its config, who changed it last and when. */
function routeView(row: RouteRow) {
  return { ...routeRowToConfig(row), updatedBy: row.updated_by, updatedAt: row.updated_at, createdAt: row.created_at };
}

/** The body of GET /api/routes. */
export async function buildRouteList(db: Db) {
  const rows = await listRoutes(db);
  return { items: rows.map(routeView) };
}

/** A route may only name models the catalog knows: a typo would otherwise make a route that never serves. */
async function checkCandidates(db: Db, candidates: readonly string[]): Promise<void> {
  const { unknown } = await unknownModelIds(db, candidates);
  if (unknown.length === 0) return;
  throw new SwitchyardError(
    'bad_request',
    `Unknown candidate model${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}. Candidates are "provider/model" ids from GET /api/models (or leave the list empty for every enabled model).`,
    { param: 'candidates' },
  );
}

/**
 * Ask for an optimize run after a route changed, so the new objective turns into a
 * published policy without anyone touching code.
 */
async function askForOptimize(context: ApiContext, queues: QueueSet, reason: string): Promise<{ optimize: 'requested' | 'unavailable' | 'pinned'; pinnedBy?: string }> {
  // Routers pick the route change up now (a new route serves by the cold-start rule until a policy covers it).
  await announceRoutingChange(context.redis, context.config.redisPrefix, `routes:${reason}`);
  // A pinned policy is left alone: the change waits for learning to resume.
  const pin = await getPolicyPin(context.db);
  if (pin) return { optimize: 'pinned', pinnedBy: pin.by };
  try {
    await requestOptimize(queues, reason);
    return { optimize: 'requested' };
  } catch (error) {
    // The route is saved either way; the scheduled optimize run picks the change up later.
    context.logger.warn({ err: error, reason }, 'could not enqueue optimize');
    return { optimize: 'unavailable' };
  }
}

/** Routes: list, create, edit, delete (each audited with who and when), re-apply the config file. */
export async function routeRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { db, config, queues } = context;
  const requestOptimize = (_context: ApiContext, reason: string) => askForOptimize(context, queues, reason);

  app.get('/api/routes', documented({ tags: ['routes'], summary: 'Named routes with objectives and constraints' }), async () => buildRouteList(db));

  app.get('/api/routes/:name', documented({ tags: ['routes'], summary: 'One route and its change history', params: nameParams }), async (request) => {
    const { name } = nameParams.parse(request.params);
    const row = await getRoute(db, name);
    if (!row) throw notFound(`Route ${name}`);
    const history = await listAudit(db, { target: `route:${name}`, limit: 50 });
    return { ...routeView(row), history: history.map((entry) => ({ actor: entry.actor, action: entry.action, at: entry.at, detail: entry.detail })) };
  });

  app.post('/api/routes', documented({ tags: ['routes'], summary: 'Create a route (then optimize and publish)', body: createBody }), async (request, reply) => {
    const body = createBody.parse(request.body ?? {});
    if (await getRoute(db, body.name)) throw new SwitchyardError('conflict', `Route ${body.name} already exists`, { param: 'name' });
    await checkCandidates(db, body.candidates);
    const row = await saveRoute(db, body satisfies RouteConfig & { enabled: boolean }, actorOf(request));
    return reply.code(201).send({ ...routeView(row), ...(await requestOptimize(context, `route ${body.name} created`)) });
  });

  app.put(
    '/api/routes/:name',
    documented({ tags: ['routes'], summary: 'Create or replace a route (then optimize and publish)', params: nameParams, body: routeFields }),
    async (request) => {
      const { name } = nameParams.parse(request.params);
      const body = routeFields.parse(request.body ?? {});
      await checkCandidates(db, body.candidates);
      const row = await saveRoute(db, { ...body, name }, actorOf(request));
      return { ...routeView(row), ...(await requestOptimize(context, `route ${name} saved`)) };
    },
  );

  app.delete('/api/routes/:name', documented({ tags: ['routes'], summary: 'Delete a route', params: nameParams }), async (request) => {
    const { name } = nameParams.parse(request.params);
    if (name === 'auto') throw new SwitchyardError('bad_request', 'The default route `auto` cannot be deleted', { param: 'name' });
    if (!(await deleteRoute(db, name, actorOf(request)))) throw notFound(`Route ${name}`);
    return { deleted: name, ...(await requestOptimize(context, `route ${name} deleted`)) };
  });

  app.post(
    '/api/routes/apply-config',
    documented({
      tags: ['routes'],
      summary: "Re-apply the config file's routes (for teams that keep config in git)",
      description: 'Answers 409 and changes nothing when Switchyard started without a config file, or with one that declares no routes.',
    }),
    async (request) => {
      // Without a file (or without routes in it) there is nothing to re-apply: `config.routes` would be the built-in defaults.
      if (!context.configFile.exists) {
        throw new SwitchyardError(
          'conflict',
          `There is no config file to re-apply: ${context.configFile.path} did not exist when Switchyard started (set SWITCHYARD_CONFIG to use another path, then restart). Nothing was changed.`,
        );
      }
      if (!context.configFile.declaresRoutes) {
        throw new SwitchyardError('conflict', `The config file ${context.configFile.path} declares no \`routes\`, so there are none to re-apply. Nothing was changed.`);
      }
      const actor = `config-file (${actorOf(request)})`;
      for (const route of config.routes) await saveRoute(db, { ...route, enabled: true }, actor);
      return { applied: config.routes.map((route) => route.name), ...(await requestOptimize(context, 'config routes re-applied')) };
    },
  );
}
