import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { blendedPricePerMTok, priceSchema, redisKeys, type LiveEvent } from '@switchyard/core';
import { announceRoutingChange, getModel, listModels, listProviders, probeStats, recordAudit, updateModel, type Db, type ModelRow } from '@switchyard/db';
import type { ApiContext } from '../context';
import { actorOf, documented, notFound, undocumented } from './route-schema';

const modelParams = z.object({ id: z.string().min(3).max(200) });
const listQuery = z.object({
  provider: z.string().optional(),
  enabled: z.enum(['true', 'false']).optional(),
});
const modelPatch = z
  .object({ enabled: z.boolean().optional(), price: priceSchema.optional(), displayName: z.string().max(200).optional() })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one of enabled, price, displayName');

/** A model as the API shows it: camelCase, the price with its blended 3:1 figure. */
export function modelView(row: ModelRow) {
  const price = {
    inputPerMTok: row.input_price_per_mtok,
    outputPerMTok: row.output_price_per_mtok,
    ...(row.cached_input_price_per_mtok === null ? {} : { cachedInputPerMTok: row.cached_input_price_per_mtok }),
  };
  return {
    id: row.id,
    provider: row.provider_id,
    upstreamName: row.upstream_name,
    displayName: row.display_name,
    price,
    priceSource: row.price_source,
    blendedPricePerMTok: blendedPricePerMTok(price),
    contextWindow: row.context_window,
    maxOutputTokens: row.max_output_tokens,
    capabilities: row.capabilities,
    enabled: row.enabled,
    status: row.status,
    statusDetail: row.status_detail,
    updatedAt: row.updated_at,
  };
}

/** The body of GET /api/models: every model (optionally one provider, enabled or not) with its latest probe stats. */
export async function buildModelList(db: Db, query: z.infer<typeof listQuery>) {
  const [rows, stats] = await Promise.all([listModels(db), probeStats(db)]);
  const byModel = new Map(stats.map((entry) => [entry.model, entry]));
  const items = rows
    .filter((row) => !query.provider || row.provider_id === query.provider)
    .filter((row) => query.enabled === undefined || String(row.enabled) === query.enabled)
    .map((row) => ({ ...modelView(row), stats: byModel.get(row.id) ?? null }));
  return { items, total: items.length };
}

/** Models and providers: list with latest stats, enable/disable, edit price (audited). */
export async function modelRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { db, redis, config } = context;

  app.get('/api/providers', documented({ tags: ['models'], summary: 'Configured providers' }), async () => {
    const rows = await listProviders(db);
    return {
      items: rows.map((row) => ({ id: row.id, type: row.type, baseUrl: row.base_url, enabled: row.enabled, status: row.status, statusDetail: row.status_detail })),
    };
  });

  app.get('/api/models', documented({ tags: ['models'], summary: 'Models with prices and their latest probe stats', querystring: listQuery }), async (request) =>
    buildModelList(db, listQuery.parse(request.query)),
  );

  // A model id is `provider/model`: documented with the slash encoded (`%2F`), and answered
  // with it as is too (`/api/models/sim-openai/swift-mini`), on an undocumented twin route.
  const idOf = (request: FastifyRequest): string => {
    const params = request.params as Record<string, string | undefined>;
    return modelParams.parse({ id: params.id ?? params['*'] }).id;
  };
  const getOne = async (request: FastifyRequest) => {
    const id = idOf(request);
    const row = await getModel(db, id);
    if (!row) throw notFound(`Model ${id}`);
    return modelView(row);
  };
  app.get('/api/models/:id', documented({ tags: ['models'], summary: 'One model', params: modelParams }), getOne);
  app.get('/api/models/*', undocumented(), getOne);

  const patchOne = async (request: FastifyRequest) => {
    const id = idOf(request);
    const patch = modelPatch.parse(request.body ?? {});
    const before = await getModel(db, id);
    if (!before) throw notFound(`Model ${id}`);
    const row = await updateModel(db, id, {
      ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
      ...(patch.displayName === undefined ? {} : { display_name: patch.displayName }),
      ...(patch.price
        ? {
            input_price_per_mtok: patch.price.inputPerMTok,
            output_price_per_mtok: patch.price.outputPerMTok,
            cached_input_price_per_mtok: patch.price.cachedInputPerMTok ?? null,
            price_source: 'user',
          }
        : {}),
    });
    if (!row) throw notFound(`Model ${id}`);
    const actor = actorOf(request);
    await recordAudit(db, {
      actor,
      action: patch.price ? 'model.price' : 'model.update',
      target: `model:${id}`,
      detail: { before: modelView(before), patch },
    });
    const event: LiveEvent = { type: 'models', model: id };
    await redis.publish(redisKeys(config.redisPrefix).eventsChannel, JSON.stringify(event)).catch(() => undefined);
    // A model switched off stops getting traffic at once.
    if (patch.enabled !== undefined && patch.enabled !== before.enabled) await announceRoutingChange(redis, config.redisPrefix, `model:${id}`);
    return modelView(row);
  };
  app.patch(
    '/api/models/:id',
    documented({ tags: ['models'], summary: 'Enable/disable a model or set its price (audited)', params: modelParams, body: modelPatch }),
    patchOne,
  );
  app.patch('/api/models/*', undocumented(), patchOne);
}
