import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDecisions } from '@switchyard/db';
import { decisionRecord, decisionsSharingAMillisecond } from '@switchyard/db/testing';
import { auth, followCursor, startTestApi, type TestApi } from './api-test-harness';

const FALLEN_FROM = 'sim-a/mini';
const FALLBACK = 'sim-b/pro';

describe('GET /api/decisions filtered by model and status', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await insertDecisions(api.database.db, [
      // FALLEN_FROM answered 503, FALLBACK served: an error for FALLEN_FROM, a request for FALLBACK.
      decisionRecord({
        requestId: 'fallback',
        chosenModel: FALLEN_FROM,
        servedModel: FALLBACK,
        attempts: [
          { model: FALLEN_FROM, ok: false, errorCode: 'upstream', status: 503, latencyMs: 5 },
          { model: FALLBACK, ok: true, status: 200, latencyMs: 20 },
        ],
        fallbacks: 1,
      }),
      // Refused before any call: an error for the model chosen for it.
      decisionRecord({ requestId: 'refused', chosenModel: FALLEN_FROM, servedModel: null, attempts: [], status: 429, errorCode: 'budget_exceeded', costUsd: null }),
    ]);
  });
  afterAll(async () => api.close());

  const listed = async (query: string) => {
    const response = await api.app.inject({ url: `/api/decisions?${query}`, headers: auth });
    expect(response.statusCode, query).toBe(200);
    return (response.json().items as Array<{ request_id: string }>).map((row) => row.request_id);
  };

  it('lists the requests behind the errors the aggregates count for a model', async () => {
    expect((await listed(`model=${FALLEN_FROM}&status=error`)).sort()).toEqual(['fallback', 'refused']);
    expect(await listed(`model=${FALLEN_FROM}`)).toEqual(['refused']);
    expect(await listed(`model=${FALLBACK}&status=ok`)).toEqual(['fallback']);
    expect(await listed(`model=${FALLBACK}&status=error`)).toEqual([]);
    const aggregates = (await api.app.inject({ url: '/api/decisions/aggregates?hours=1', headers: auth })).json();
    expect(aggregates.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ model: FALLEN_FROM, requests: 1, errors: 2 }),
        expect.objectContaining({ model: FALLBACK, requests: 1, errors: 0 }),
      ]),
    );
  });

  it('refuses a malformed filter', async () => {
    for (const query of ['status=failed', 'status=99', 'limit=0', `model=${'m'.repeat(201)}`, 'before=yesterday']) {
      const response = await api.app.inject({ url: `/api/decisions?${query}`, headers: auth });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.type, query).toBe('invalid_request_error');
    }
  });

  it('answers only the admin', async () => {
    expect((await api.app.inject({ url: '/api/decisions?status=error' })).statusCode).toBe(401);
    expect((await api.app.inject({ url: '/api/decisions?status=error', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(401);
  });
});

describe('GET /api/decisions paged by cursor', () => {
  const PAGED = 'sim-a/paged';
  let api: TestApi;
  /** Request ids in the list's order: newest first, then request id descending. */
  const expected = ['p-11', 'p-07', 'p-06', 'p-05', 'p-04', 'p-03', 'p-02', 'p-01', 'p-00', 'p-08', 'p-09', 'p-10'];
  beforeAll(async () => {
    api = await startTestApi();
    await insertDecisions(api.database.db, decisionsSharingAMillisecond(PAGED, 'p-').records);
  });
  afterAll(async () => api.close());

  const page = async (query: string) => {
    const response = await api.app.inject({ url: `/api/decisions?model=${PAGED}&limit=2${query}`, headers: auth });
    expect(response.statusCode, query).toBe(200);
    return response.json() as { items: Array<{ request_id: string }>; nextCursor: string | null; nextBefore: string | null };
  };

  it('lists every decision exactly once, in order, following nextCursor to the last page', async () => {
    const seen = await followCursor<{ request_id: string }>(
      api,
      (cursor) => `/api/decisions?model=${PAGED}&limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    expect(seen.map((row) => row.request_id)).toEqual(expected);
  });

  it('keeps nextBefore for older callers, to the millisecond', async () => {
    const first = await page('');
    expect(first.nextBefore).toBe('2026-12-07T10:00:00.500Z');
    expect((await page(`&before=${encodeURIComponent(first.nextBefore!)}`)).items.map((row) => row.request_id)).toEqual(['p-10']);
  });

  it('refuses a cursor it did not make, or one naming no decision, naming the parameter', async () => {
    const unknown = Buffer.from('no-such-request').toString('base64url');
    for (const cursor of ['not a cursor!', 'p-00', '_w', unknown]) {
      const response = await api.app.inject({ url: `/api/decisions?limit=2&cursor=${encodeURIComponent(cursor)}`, headers: auth });
      expect(response.statusCode, cursor).toBe(400);
      expect(response.json().error, cursor).toMatchObject({ type: 'invalid_request_error', param: 'cursor', message: expect.stringContaining('`cursor`') });
    }
  });
});
