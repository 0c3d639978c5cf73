import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redisKeys } from '@switchyard/core';
import { publishPolicy, unpinPolicy } from '@switchyard/db';
import { auth, seedCatalog, startTestApi, type TestApi } from './api-test-harness';

describe('route management routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ routes: [{ name: 'auto' }, { name: 'cheap', objective: { cost: 2 } }] }, { path: '/srv/switchyard.config.json', exists: true, declaresRoutes: true });
    await seedCatalog(api);
  });
  afterAll(async () => api.close());

  it('re-applies the config file routes, audited', async () => {
    const applied = await api.app.inject({ method: 'POST', url: '/api/routes/apply-config', headers: auth });
    expect(applied.json().applied).toEqual(['auto', 'cheap']);
    const list = (await api.app.inject({ url: '/api/routes', headers: auth })).json();
    expect(list.items.map((route: { name: string }) => route.name)).toEqual(['auto', 'cheap']);
    expect(list.items[1].objective).toEqual({ quality: 1, cost: 2, latency: 0.1 });
    expect(list.items[0].updatedBy).toBe('config-file (admin)');
  });

  it('creates, edits and deletes a route, recording who and when', async () => {
    const headers = { ...auth, 'x-switchyard-actor': 'bob' };
    const created = await api.app.inject({
      method: 'POST',
      url: '/api/routes',
      headers,
      payload: { name: 'support', candidates: ['sim-a/mini'], objective: { quality: 1, cost: 0.5, latency: 0.2 }, constraints: { maxTtftMs: 800 } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'support', updatedBy: 'bob', enabled: true });
    expect(created.json().optimize).toBe('requested');
    const routesInMeta = async () => (await api.app.inject({ url: '/api/meta', headers: auth })).json().routes as string[];
    expect(await routesInMeta()).toContain('support');
    const waiting = await api.redis.redis.keys(`${api.redis.prefix}:bull:optimize:*`);
    expect(waiting.length).toBeGreaterThan(0);
    const duplicate = await api.app.inject({ method: 'POST', url: '/api/routes', headers, payload: { name: 'support' } });
    expect(duplicate.statusCode).toBe(409);
    const edited = await api.app.inject({
      method: 'PUT',
      url: '/api/routes/support',
      headers: auth,
      payload: { candidates: [], objective: { quality: 1, cost: 0.1, latency: 1 }, enabled: false },
    });
    expect(edited.json()).toMatchObject({ enabled: false, updatedBy: 'admin', objective: { latency: 1 } });
    expect(await routesInMeta()).not.toContain('support');
    const one = (await api.app.inject({ url: '/api/routes/support', headers: auth })).json();
    expect(one.history.map((entry: { actor: string; action: string }) => `${entry.action}:${entry.actor}`)).toEqual(['route.save:admin', 'route.save:bob']);
    expect((await api.app.inject({ method: 'DELETE', url: '/api/routes/support', headers: auth })).statusCode).toBe(200);
    expect((await api.app.inject({ url: '/api/routes/support', headers: auth })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'DELETE', url: '/api/routes/support', headers: auth })).statusCode).toBe(404);
  });

  it('says when a route change waits for a pinned policy, and tells routers at once', async () => {
    await publishPolicy(api.database.db, { hash: 'pinned-1', schemaVersion: 1, parentHash: null, document: { schemaVersion: 1 }, createdBy: 'carol' }, { pinnedBy: 'carol' });
    const subscriber = api.redis.redis.duplicate();
    const announced: string[] = [];
    await subscriber.subscribe(redisKeys(api.redis.prefix).policyChannel);
    subscriber.on('message', (_channel, message: string) => announced.push(message));
    const created = await api.app.inject({ method: 'POST', url: '/api/routes', headers: auth, payload: { name: 'later' } });
    expect(created.json()).toMatchObject({ name: 'later', optimize: 'pinned', pinnedBy: 'carol' });
    await vi.waitFor(() => expect(announced).toEqual(['routes:route later created']));
    await subscriber.quit();
    await unpinPolicy(api.database.db, 'carol');
    expect((await api.app.inject({ method: 'DELETE', url: '/api/routes/later', headers: auth })).json()).toMatchObject({ optimize: 'requested' });
  });

  it('validates names, weights and constraints', async () => {
    const badName = await api.app.inject({ method: 'POST', url: '/api/routes', headers: auth, payload: { name: 'Bad Name' } });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.param).toBe('name');
    const badWeight = await api.app.inject({ method: 'PUT', url: '/api/routes/x', headers: auth, payload: { objective: { cost: -1 } } });
    expect(badWeight.statusCode).toBe(400);
    const badModel = await api.app.inject({ method: 'PUT', url: '/api/routes/x', headers: auth, payload: { candidates: ['no-slash'] } });
    expect(badModel.statusCode).toBe(400);
    const unknown = await api.app.inject({ method: 'POST', url: '/api/routes', headers: auth, payload: { name: 'ghost', candidates: ['sim-a/mini', 'nope/x'] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ param: 'candidates', message: expect.stringMatching(/^Unknown candidate model: nope\/x\./) });
    expect((await api.app.inject({ url: '/api/routes/ghost', headers: auth })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'PUT', url: '/api/routes/ghost', headers: auth, payload: { candidates: ['nope/x'] } })).statusCode).toBe(400);
    expect((await api.app.inject({ method: 'DELETE', url: '/api/routes/auto', headers: auth })).statusCode).toBe(400);
    expect((await api.app.inject({ method: 'PUT', url: '/api/routes/x', payload: {} })).statusCode).toBe(401);
  });
});

describe('re-applying the config file without one', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({}, { path: '/srv/switchyard/switchyard.config.json', exists: false });
    await seedCatalog(api);
  });
  afterAll(async () => api.close());

  const routeNames = async () => ((await api.app.inject({ url: '/api/routes', headers: auth })).json().items as Array<{ name: string }>).map((route) => route.name);

  it('answers 409 naming the path and the variable, and changes nothing', async () => {
    const created = await api.app.inject({ method: 'POST', url: '/api/routes', headers: auth, payload: { name: 'support' } });
    expect(created.statusCode).toBe(201);
    const before = await routeNames();
    const applied = await api.app.inject({ method: 'POST', url: '/api/routes/apply-config', headers: auth });
    expect(applied.statusCode).toBe(409);
    const message = applied.json().error.message as string;
    expect(message).toContain('no config file');
    expect(message).toContain('/srv/switchyard/switchyard.config.json');
    expect(message).toContain('SWITCHYARD_CONFIG');
    expect(message).toContain('Nothing was changed');
    expect(await routeNames()).toEqual(before);
    expect(await routeNames()).not.toContain('cheap');
  });

  it('answers 409 when the config file declares no routes', async () => {
    const withoutRoutes = await startTestApi({}, { path: '/srv/switchyard.config.json', exists: true, declaresRoutes: false });
    try {
      const applied = await withoutRoutes.app.inject({ method: 'POST', url: '/api/routes/apply-config', headers: auth });
      expect(applied.statusCode).toBe(409);
      expect(applied.json().error.message).toContain('declares no `routes`');
      expect((await withoutRoutes.app.inject({ url: '/api/routes', headers: auth })).json().items).toEqual([]);
    } finally {
      await withoutRoutes.close();
    }
  });
});
