/** Test harness for the control-plane routes: real Postgres and Redis, in-process fastify. */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { configSchema, createLogger, type ConfigFileSource, type SwitchyardConfigInput } from '@switchyard/core';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@switchyard/db/testing';
import { upsertModels, upsertProviders } from '@switchyard/db';
import { createApi, type CreateApiOptions } from '../app';
import type { ApiContext } from '../context';

export const ADMIN_TOKEN = 'admin-token-0123456789';
export const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface TestApi {
  app: FastifyInstance;
  context: ApiContext;
  database: TestDatabase;
  redis: TestRedis;
  close(): Promise<void>;
}

/**
 * An API on its own database and Redis prefix. `configFile` stands for the file the process
 * started with; by default there was none (built-in defaults and environment only).
 * `apiOptions` go to `createApi` (e.g. the dashboard directory it serves).
 */
export async function startTestApi(
  input: SwitchyardConfigInput = {},
  configFile?: Partial<ConfigFileSource>,
  apiOptions: CreateApiOptions = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const config = configSchema.parse({ api: { auth: 'on', adminToken: ADMIN_TOKEN }, redisPrefix: redis.prefix, ...input });
  const file: ConfigFileSource = { path: '/nonexistent/switchyard.config.json', exists: false, declaresRoutes: false, ...configFile };
  const context: ApiContext = { config, configFile: file, db: database.db, redis: redis.redis, logger: createLogger('silent'), state: { draining: false } };
  const app = await createApi(context, apiOptions);
  return {
    app,
    context,
    database,
    redis,
    close: async () => {
      await app.close();
      await redis.cleanup();
      await database.drop();
    },
  };
}

/** Two simulated providers with three models of known prices. */
export async function seedCatalog(api: TestApi): Promise<void> {
  const db = api.database.db;
  await upsertProviders(db, [
    { id: 'sim-a', type: 'openai' },
    { id: 'sim-b', type: 'anthropic' },
  ]);
  const model = (id: string, input: number, output: number) => ({
    id,
    provider_id: id.split('/')[0]!,
    upstream_name: id.split('/')[1]!,
    input_price_per_mtok: input,
    output_price_per_mtok: output,
    capabilities: JSON.stringify({}),
    price_source: 'config',
  });
  await upsertModels(db, [model('sim-a/mini', 0.1, 0.5), model('sim-a/large', 2, 8), model('sim-b/pro', 3, 15)]);
}

/**
 * Every item of a cursor-paged list (`items`, `nextCursor`, `nextBefore`), following
 * `nextCursor` from the first page; `url(cursor)` builds a page's URL (cursor null: the first).
 * Each page must answer 200, and `nextBefore` must end with `nextCursor`.
 */
export async function followCursor<Item>(api: TestApi, url: (cursor: string | null) => string): Promise<Item[]> {
  const maxPages = 20; // a cursor that never ends fails the test instead of hanging it
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < maxPages; pages += 1) {
    const response = await api.app.inject({ url: url(cursor), headers: auth });
    expect(response.statusCode, url(cursor)).toBe(200);
    const body = response.json() as { items: Item[]; nextCursor: string | null; nextBefore: string | null };
    items.push(...body.items);
    expect(body.nextBefore === null).toBe(body.nextCursor === null);
    cursor = body.nextCursor;
    if (cursor === null) return items;
  }
  throw new Error(`more than ${maxPages} pages`);
}
