import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApiKeys, seedRoutes } from '@switchyard/db';
import { auth, seedCatalog, startTestApi, type TestApi } from './api-test-harness';

async function startWithCatalog(input: Parameters<typeof startTestApi>[0] = {}): Promise<TestApi> {
  const api = await startTestApi(input);
  await seedCatalog(api);
  await seedRoutes(api.database.db, [{ name: 'auto' }, { name: 'cheap' }].map((route) => ({ candidates: [], objective: { quality: 1, cost: 1, latency: 0.1 }, constraints: {}, ...route })));
  return api;
}

describe('API key routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startWithCatalog({ router: { auth: 'on' } });
  });
  afterAll(async () => api.close());

  const create = (payload: Record<string, unknown>) => api.app.inject({ method: 'POST', url: '/api/api-keys', headers: auth, payload });

  it('creates a key scoped to configured routes and models, with a rate limit', async () => {
    const created = await create({ name: 'scoped', routes: ['cheap'], models: ['sim-a/mini'], rateLimitPerMin: 5 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'scoped', routes: ['cheap'], models: ['sim-a/mini'], rateLimitPerMin: 5 });
    expect(created.json().key).toMatch(/^sy-/);
    // Router auth is on here: nothing to warn about.
    expect(created.json().warning).toBeUndefined();
  });

  it('refuses an unknown field, naming it, the near-miss and the accepted fields', async () => {
    const before = (await listApiKeys(api.database.db)).length;
    const misspelled = await create({ name: 'walk', routes: ['auto'], rateLimitPerMinute: 5 });
    expect(misspelled.statusCode).toBe(400);
    const error = misspelled.json().error;
    expect(error.param).toBe('rateLimitPerMinute');
    expect(error.message).toContain('`rateLimitPerMinute`');
    expect(error.message).toContain('did you mean `rateLimitPerMin`?');
    expect(error.message).toContain('Accepted fields: name, routes, models, rateLimitPerMin');
    const unrelated = await create({ name: 'walk', colour: 'blue' });
    expect(unrelated.statusCode).toBe(400);
    expect(unrelated.json().error.message).not.toContain('did you mean');
    expect((await listApiKeys(api.database.db)).length).toBe(before);
    // The OpenAPI document says so too.
    const spec = (await api.app.inject({ url: '/openapi.json' })).json();
    expect(spec.paths['/api/api-keys'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });

  it('refuses routes and models that are not configured, listing what exists', async () => {
    const before = (await listApiKeys(api.database.db)).length;
    const route = await create({ name: 'x', routes: ['auto', 'cheapest'] });
    expect(route.statusCode).toBe(400);
    expect(route.json().error).toMatchObject({ param: 'routes', message: 'Unknown route: cheapest. Configured routes: auto, cheap' });
    const model = await create({ name: 'x', models: ['sim-a/mini', 'sim-z/nope', 'sim-a/huge'] });
    expect(model.statusCode).toBe(400);
    expect(model.json().error).toMatchObject({ param: 'models', message: 'Unknown models: sim-z/nope, sim-a/huge. Configured models: sim-a/large, sim-a/mini, sim-b/pro' });
    expect((await listApiKeys(api.database.db)).length).toBe(before);
  });
});

describe('API key routes with router auth off', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startWithCatalog({ router: { auth: 'off' } });
  });
  afterAll(async () => api.close());

  it('warns that keys are not enforced and says how to switch router auth on', async () => {
    const created = await api.app.inject({ method: 'POST', url: '/api/api-keys', headers: auth, payload: { name: 'walk', routes: ['auto'], rateLimitPerMin: 5 } });
    expect(created.statusCode).toBe(201);
    expect(created.json().rateLimitPerMin).toBe(5);
    expect(created.json().warning).toMatch(/not enforced/);
    expect(created.json().warning).toContain('SWITCHYARD_ROUTER_AUTH=on');
    expect(created.json().warning).toContain('router.auth');
  });
});
