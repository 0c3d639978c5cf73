import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCurrentPolicy } from '@switchyard/db';
import { auth, startTestApi, type TestApi } from './api-test-harness';

const fixture = JSON.parse(
  readFileSync(new URL('../../../../packages/policy/src/fixtures/policy-v1.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function variant(weight: number) {
  const document = structuredClone(fixture) as { routes: { auto: { categories: { general: { models: Array<{ weight: number }> } } } } };
  document.routes.auto.categories.general.models[0]!.weight = weight;
  document.routes.auto.categories.general.models[1]!.weight = 1 - weight;
  return document;
}

describe('policy routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  it('answers 404 before anything is published', async () => {
    const response = await api.app.inject({ url: '/api/policies/current', headers: auth });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  it('publishes, lists, diffs, exports and rolls back', async () => {
    const first = await api.app.inject({ method: 'POST', url: '/api/policies', headers: { ...auth, 'x-switchyard-actor': 'alice' }, payload: { document: variant(0.8), note: 'first' } });
    expect(first.statusCode).toBe(201);
    const firstHash = first.json().hash as string;
    expect(firstHash).toMatch(/^[0-9a-f]{64}$/);
    const same = await api.app.inject({ method: 'POST', url: '/api/policies', headers: auth, payload: { document: variant(0.8) } });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ published: false, reason: 'unchanged' });
    const second = await api.app.inject({ method: 'POST', url: '/api/policies', headers: auth, payload: { document: variant(0.5) } });
    const secondHash = second.json().hash as string;
    expect(await loadCurrentPolicy(undefined, api.redis.redis, api.redis.prefix)).toMatchObject({ hash: secondHash });

    const current = (await api.app.inject({ url: '/api/policies/current', headers: auth })).json();
    expect(current.hash).toBe(secondHash);
    expect(current.document.routes.auto.categories.general.models[0].weight).toBe(0.5);

    const history = (await api.app.inject({ url: '/api/policies', headers: auth })).json();
    expect(history.items.map((item: { hash: string }) => item.hash)).toEqual([secondHash, firstHash]);
    expect(history.currentHash).toBe(secondHash);
    expect(history.events[1]).toMatchObject({ hash: firstHash, action: 'publish', actor: 'alice' });

    const diff = (await api.app.inject({ url: `/api/policies/diff?from=${firstHash}`, headers: auth })).json();
    expect(diff.to).toBe(secondHash);
    expect(diff.diff.weightChanges[0]).toMatchObject({ route: 'auto', category: 'general', from: 0.8, to: 0.5 });

    const exported = await api.app.inject({ url: '/api/policies/current/export?format=json', headers: auth });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="switchyard-policy-[0-9a-f]{12}\.json"$/);
    expect(JSON.parse(exported.body)).toEqual(current.document);

    const litellm = await api.app.inject({ url: `/api/policies/${secondHash}/export?format=litellm`, headers: auth });
    expect(litellm.headers['content-disposition']).toContain('-litellm.yaml"');
    expect(litellm.body).toContain('model_list');
    const portkey = await api.app.inject({ url: `/api/policies/${secondHash}/export?format=portkey`, headers: auth });
    expect(JSON.parse(portkey.body).strategy.mode).toBe('fallback');

    const rollback = await api.app.inject({ method: 'POST', url: `/api/policies/${firstHash}/rollback`, headers: auth });
    expect(rollback.json()).toMatchObject({ published: true, previousHash: secondHash });
    expect((await api.app.inject({ url: '/api/policies/current', headers: auth })).json().hash).toBe(firstHash);
    expect((await api.app.inject({ url: `/api/policies/${secondHash}`, headers: auth })).json().note).toBeNull();
  });

  it('rejects invalid documents, unknown versions and missing auth', async () => {
    const invalid = await api.app.inject({ method: 'POST', url: '/api/policies', headers: auth, payload: { document: { schemaVersion: 99 } } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.message).toContain('schemaVersion');
    expect((await api.app.inject({ method: 'POST', url: '/api/policies', headers: auth, payload: {} })).statusCode).toBe(400);
    expect((await api.app.inject({ method: 'POST', url: '/api/policies/deadbeef/rollback', headers: auth })).statusCode).toBe(404);
    expect((await api.app.inject({ url: '/api/policies/current/export?format=yaml', headers: auth })).statusCode).toBe(400);
    expect((await api.app.inject({ url: '/api/policies/current' })).statusCode).toBe(401);
  });
});
