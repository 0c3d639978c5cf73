import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCurrentPolicy, publishPolicy } from '@switchyard/db';
import { insertPolicyVersionsAt } from '@switchyard/db/testing';
import { auth, followCursor, startTestApi, type TestApi } from './api-test-harness';

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
    expect(history.items[1]).toEqual({ hash: firstHash, schemaVersion: 1, parentHash: null, createdBy: 'alice', note: 'first', createdAt: expect.any(String), publishedAt: expect.any(String) });
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
    expect(litellm.body.split('\n')[0]).toMatch(new RegExp(`^# LiteLLM proxy config exported from Switchyard policy ${secondHash} \\(created `));
    const portkey = await api.app.inject({ url: `/api/policies/${secondHash}/export?format=portkey`, headers: auth });
    expect(JSON.parse(portkey.body).strategy.mode).toBe('fallback');

    // `current` names no version to roll back to (it would only pin the current one).
    expect((await api.app.inject({ method: 'POST', url: '/api/policies/current/rollback', headers: auth })).statusCode).toBe(404);
    const rollback = await api.app.inject({ method: 'POST', url: `/api/policies/${firstHash}/rollback`, headers: { ...auth, 'x-switchyard-actor': 'bob' } });
    expect(rollback.json()).toMatchObject({ published: true, previousHash: secondHash, pinned: true });
    expect((await api.app.inject({ url: '/api/policies/current', headers: auth })).json().hash).toBe(firstHash);
    expect((await api.app.inject({ url: `/api/policies/${secondHash}`, headers: auth })).json().note).toBeNull();
    // The rollback pinned the version; unpinning hands it back to the optimizer (and asks it to run).
    expect((await api.app.inject({ url: '/api/policies', headers: auth })).json().pin).toMatchObject({ hash: firstHash, by: 'bob' });
    const unpinned = await api.app.inject({ method: 'DELETE', url: '/api/policies/pin', headers: auth });
    expect(unpinned.json()).toEqual({ unpinned: true, optimize: 'requested' });
    expect((await api.app.inject({ url: '/api/policies', headers: auth })).json().pin).toBeNull();
    expect((await api.app.inject({ method: 'DELETE', url: '/api/policies/pin', headers: auth })).json()).toEqual({ unpinned: false });
    // A rollback may leave learning on.
    const unpinnedRollback = await api.app.inject({ method: 'POST', url: `/api/policies/${secondHash}/rollback`, headers: auth, payload: { pin: false } });
    expect(unpinnedRollback.json()).toMatchObject({ published: true, pinned: false });
    expect((await api.app.inject({ url: '/api/policies', headers: auth })).json().pin).toBeNull();
  });

  it('exports the Portkey config of the route asked for; LiteLLM keeps every route', async () => {
    const document = variant(0.7);
    const cheap = structuredClone(document.routes.auto);
    cheap.categories.general.models[0]!.weight = 1;
    cheap.categories.general.models[1]!.weight = 0;
    (document.routes as Record<string, unknown>).cheap = cheap;
    const published = await api.app.inject({ method: 'POST', url: '/api/policies', headers: auth, payload: { document } });
    expect(published.statusCode).toBe(201);
    const hash = published.json().hash as string;
    const weights = (body: string) =>
      (JSON.parse(body) as { targets: Array<{ targets?: Array<{ override_params: { model: string }; weight: number }> }> }).targets[0]!.targets!.map((target) => [
        target.override_params.model,
        target.weight,
      ]);

    const auto = await api.app.inject({ url: `/api/policies/${hash}/export?format=portkey`, headers: auth });
    expect(auto.statusCode).toBe(200);
    expect(auto.headers['content-disposition']).toContain('-portkey-auto.json"');
    expect(weights(auto.body)).toEqual([
      ['swift-mini', 0.7],
      ['sage-pro', 0.3],
    ]);
    const cheapExport = await api.app.inject({ url: `/api/policies/${hash}/export?format=portkey&route=cheap`, headers: auth });
    expect(cheapExport.statusCode).toBe(200);
    expect(cheapExport.headers['content-disposition']).toContain('-portkey-cheap.json"');
    expect(weights(cheapExport.body)).toEqual([['swift-mini', 1]]);
    expect((await api.app.inject({ url: `/api/policies/${hash}/export?format=portkey&route=auto:cheap`, headers: auth })).body).toBe(cheapExport.body);

    const unknown = await api.app.inject({ url: `/api/policies/${hash}/export?format=portkey&route=fast`, headers: auth });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'bad_request', param: 'route', message: 'the policy has no route "fast"; its routes are auto, cheap' });
    const litellmRoute = await api.app.inject({ url: `/api/policies/${hash}/export?format=litellm&route=cheap`, headers: auth });
    expect(litellmRoute.statusCode).toBe(400);
    expect(litellmRoute.json().error.message).toMatch(/every route/);
    const litellm = await api.app.inject({ url: `/api/policies/${hash}/export?format=litellm`, headers: auth });
    expect(litellm.body).toMatch(/model_name: auto\n/);
    expect(litellm.body).toMatch(/model_name: auto:cheap\n/);
  });

  it('accepts a unique hash prefix of 6+ characters wherever a hash is accepted; an ambiguous one is a 400 listing the matches', async () => {
    // Hand-made hashes sharing a prefix (real content hashes would share one only by chance).
    const hashOf = (tail: string) => `2456949f${tail}`.padEnd(64, '0');
    const [older, newer, other] = [hashOf('c6a1'), hashOf('c6b2'), 'af9bbb3b'.padEnd(64, '7')];
    for (const [hash, weight] of [[older, 0.9], [newer, 0.6], [other, 0.3]] as const) {
      await publishPolicy(api.database.db, { hash, schemaVersion: 1, parentHash: null, document: variant(weight), createdBy: 'test' });
    }

    const one = await api.app.inject({ url: '/api/policies/2456949fc6a', headers: auth });
    expect(one.statusCode).toBe(200);
    expect(one.json().hash).toBe(older);
    expect((await api.app.inject({ url: '/api/policies/AF9BBB', headers: auth })).json().hash).toBe(other);

    const diff = await api.app.inject({ url: '/api/policies/diff?from=2456949fc6b&to=af9bbb3b', headers: auth });
    expect(diff.statusCode).toBe(200);
    expect(diff.json()).toMatchObject({ from: newer, to: other });
    expect(diff.json().diff.weightChanges[0]).toMatchObject({ from: 0.6, to: 0.3 });

    const exported = await api.app.inject({ url: '/api/policies/af9bbb3b/export?format=json', headers: auth });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['x-switchyard-policy-hash']).toBe(other);

    const rollback = await api.app.inject({ method: 'POST', url: '/api/policies/2456949fc6a1/rollback', headers: auth });
    expect(rollback.statusCode).toBe(200);
    expect(rollback.json()).toMatchObject({ hash: older, published: true, pinned: true });
    expect((await api.app.inject({ url: '/api/policies', headers: auth })).json().pin).toMatchObject({ hash: older });
    await api.app.inject({ method: 'DELETE', url: '/api/policies/pin', headers: auth });

    const ambiguous = await api.app.inject({ url: '/api/policies/diff?from=2456949f&to=af9bbb3b', headers: auth });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().error.param).toBe('from');
    expect(ambiguous.json().error.message).toBe(`Policy hash prefix 2456949f is ambiguous: it matches ${newer.slice(0, 16)}, ${older.slice(0, 16)}. Give more characters.`);
    expect((await api.app.inject({ url: '/api/policies/2456949fc6', headers: auth })).statusCode).toBe(400);
    expect((await api.app.inject({ method: 'POST', url: '/api/policies/2456949f/rollback', headers: auth })).statusCode).toBe(400);
    expect((await api.app.inject({ url: '/api/policies/2456949f/export', headers: auth })).statusCode).toBe(400);

    // Unknown stays 404; so does a prefix too short to be one.
    expect((await api.app.inject({ url: '/api/policies/diff?from=2456949fd&to=current', headers: auth })).statusCode).toBe(404);
    expect((await api.app.inject({ url: '/api/policies/af9bb', headers: auth })).statusCode).toBe(404);
    expect((await api.app.inject({ url: '/api/policies/af9bbb3b-', headers: auth })).statusCode).toBe(404);
  });

  it('rejects invalid documents, unknown versions and missing auth', async () => {
    const invalid = await api.app.inject({ method: 'POST', url: '/api/policies', headers: auth, payload: { document: { schemaVersion: 99 } } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.message).toContain('schemaVersion');
    expect((await api.app.inject({ method: 'POST', url: '/api/policies', headers: auth, payload: {} })).statusCode).toBe(400);
    expect((await api.app.inject({ method: 'POST', url: '/api/policies/deadbeef/rollback', headers: auth })).statusCode).toBe(404);
    expect((await api.app.inject({ url: '/api/policies/current/export?format=yaml', headers: auth })).statusCode).toBe(400);
    expect((await api.app.inject({ url: '/api/policies/current/export?format=portkey&route=', headers: auth })).statusCode).toBe(400);
    expect((await api.app.inject({ url: '/api/policies/current/export?format=portkey&route=auto' })).statusCode).toBe(401);
    expect((await api.app.inject({ url: '/api/policies/current' })).statusCode).toBe(401);
  });
});

describe('GET /api/policies paged by cursor', () => {
  let api: TestApi;
  /** Hashes in the list's order: created_at desc, then hash desc. */
  const expected = ['h-6', 'h-5', 'h-4', 'h-3', 'h-2', 'h-1', 'h-0', 'h-7'];
  beforeAll(async () => {
    api = await startTestApi();
    // Versions created in the same millisecond, six at the same microsecond.
    const createdAt = ['.500500', '.500500', '.500500', '.500500', '.500500', '.500500', '.500900', '.500100'];
    await insertPolicyVersionsAt(api.database.db, createdAt, () => fixture);
  });
  afterAll(async () => api.close());

  it('lists every version exactly once, in order, following nextCursor to the last page', async () => {
    const seen = await followCursor<{ hash: string }>(api, (cursor) => `/api/policies?limit=3${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    expect(seen.map((item) => item.hash)).toEqual(expected);
  });

  it('refuses a cursor it did not make, or one naming no version, naming the parameter', async () => {
    for (const cursor of ['h-0', '%%%', Buffer.from('no-such-hash').toString('base64url')]) {
      const response = await api.app.inject({ url: `/api/policies?cursor=${encodeURIComponent(cursor)}`, headers: auth });
      expect(response.statusCode, cursor).toBe(400);
      expect(response.json().error, cursor).toMatchObject({ type: 'invalid_request_error', param: 'cursor', message: expect.stringContaining('`cursor`') });
    }
  });
});
