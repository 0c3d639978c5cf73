import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '@switchyard/db';
import { auth, seedCatalog, startTestApi, type TestApi } from './api-test-harness';

describe('models, providers and session routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await seedCatalog(api);
  });
  afterAll(async () => api.close());

  it('lists models with blended 3:1 price and providers', async () => {
    const response = await api.app.inject({ url: '/api/models', headers: auth });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.items.map((item: { id: string }) => item.id)).toEqual(['sim-a/large', 'sim-a/mini', 'sim-b/pro']);
    const mini = body.items.find((item: { id: string }) => item.id === 'sim-a/mini');
    expect(mini.blendedPricePerMTok).toBeCloseTo((3 * 0.1 + 0.5) / 4);
    expect(mini.stats).toBeNull();
    const filtered = await api.app.inject({ url: '/api/models?provider=sim-b', headers: auth });
    expect(filtered.json().items).toHaveLength(1);
    const providers = await api.app.inject({ url: '/api/providers', headers: auth });
    expect(providers.json().items.map((item: { id: string }) => item.id)).toEqual(['sim-a', 'sim-b']);
  });

  it('disables a model and sets its price, audited with the actor', async () => {
    const id = encodeURIComponent('sim-a/mini');
    const disabled = await api.app.inject({
      method: 'PATCH',
      url: `/api/models/${id}`,
      headers: { ...auth, 'x-switchyard-actor': 'alice' },
      payload: { enabled: false },
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().enabled).toBe(false);
    const priced = await api.app.inject({
      method: 'PATCH',
      url: `/api/models/${id}`,
      headers: auth,
      payload: { price: { inputPerMTok: 0.2, outputPerMTok: 0.6 } },
    });
    expect(priced.json()).toMatchObject({ price: { inputPerMTok: 0.2, outputPerMTok: 0.6 }, priceSource: 'user' });
    // The id with its slash as is reaches the same model.
    const plain = await api.app.inject({ url: '/api/models/sim-a/mini', headers: auth });
    expect(plain.json()).toMatchObject({ id: 'sim-a/mini', enabled: false });
    const enabled = await api.app.inject({ method: 'PATCH', url: '/api/models/sim-a/mini', headers: { ...auth, 'x-switchyard-actor': 'alice' }, payload: { enabled: true } });
    expect(enabled.json()).toMatchObject({ id: 'sim-a/mini', enabled: true });
    expect((await api.app.inject({ url: '/api/models/sim-a/nope', headers: auth })).statusCode).toBe(404);
    const audit = await listAudit(api.database.db, { target: 'model:sim-a/mini' });
    expect(audit.map((entry) => `${entry.action}:${entry.actor}`)).toEqual(['model.update:alice', 'model.price:admin', 'model.update:alice']);
  });

  it('rejects bad patches and unknown models', async () => {
    const bad = await api.app.inject({ method: 'PATCH', url: '/api/models/sim-a%2Fmini', headers: auth, payload: { price: { inputPerMTok: -1, outputPerMTok: 1 } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('price.inputPerMTok');
    const empty = await api.app.inject({ method: 'PATCH', url: '/api/models/sim-a%2Fmini', headers: auth, payload: {} });
    expect(empty.statusCode).toBe(400);
    const malformed = await api.app.inject({
      method: 'PATCH',
      url: '/api/models/sim-a%2Fmini',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"enabled":',
    });
    expect(malformed.statusCode).toBe(400);
    const missing = await api.app.inject({ method: 'PATCH', url: '/api/models/nope%2Fnope', headers: auth, payload: { enabled: true } });
    expect(missing.statusCode).toBe(404);
    expect((await api.app.inject({ method: 'PATCH', url: '/api/models/sim-a%2Fmini', payload: { enabled: true } })).statusCode).toBe(401);
  });

  it('documents the routes in /openapi.json', async () => {
    const spec = (await api.app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/models', '/api/leaderboard', '/api/policies/current', '/api/routes', '/api/decisions', '/api/live', '/api/playground/chat']),
    );
    expect(spec.paths['/api/models/{id}'].patch.requestBody).toBeDefined();
  });
});
