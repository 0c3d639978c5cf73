import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { configSchema, createLogger } from '@switchyard/core';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '@switchyard/db/testing';
import { createApi } from './app';
import type { ApiContext } from './context';

describe('control plane skeleton', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let app: FastifyInstance;
  const state = { draining: false };

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    const config = configSchema.parse({ api: { auth: 'on', adminToken: 'admin-token-0123456789' } });
    const context: ApiContext = { config, db: database.db, redis: redis.redis, logger: createLogger('silent'), state };
    app = await createApi(context);
  });
  afterAll(async () => {
    await app.close();
    await redis.cleanup();
    await database.drop();
  });

  it('answers health and readiness, and 503 while draining', async () => {
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
    state.draining = true;
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    state.draining = false;
  });

  it('requires the admin token on /api/*', async () => {
    const missing = await app.inject({ url: '/api/anything' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.type).toBe('authentication_error');
    expect(missing.headers['x-should-retry']).toBe('false');
    const wrong = await app.inject({ url: '/api/anything', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const right = await app.inject({ url: '/api/anything', headers: { authorization: 'Bearer admin-token-0123456789' } });
    expect(right.statusCode).toBe(404);
    expect(right.json().error.code).toBe('not_found');
  });

  it('serves the OpenAPI document and sets a Content-Security-Policy', async () => {
    const spec = await app.inject({ url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().openapi).toBe('3.1.0');
    expect(spec.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
