import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { createTestDatabase, decisionRecord, decisionRecords, decisionsSharingAMillisecond, followAfter, type TestDatabase } from '../testing';
import { decisionAggregates, decisionsQuery, recentDecisions, trafficShare, type DecisionFilter } from './leaderboard.repository';
import { ATTRIBUTED_MODEL_INDEX } from '../migrations/2026-12-07T00-00-decisions-attributed-model-index';
import { insertDecisions } from './route-decision.repository';

const FAILING = 'sim-openai/allround-m';
const FLAKY = 'sim-openai/flaky';
const STEADY = 'sim-openai/steady';

describe('errors per model in decision aggregates and traffic share', { timeout: 30_000 }, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    const failedCall = (model: string) => ({ model, ok: false, errorCode: 'upstream', status: 500, latencyMs: 5 });
    const servedCall = (model: string) => ({ model, ok: true, latencyMs: 20 });
    await insertDecisions(test.db, [
      // Direct calls of a model answering 500, each retried once after its retry-after: 3 requests, 6 failed calls.
      ...decisionRecords(3, {
        route: 'direct',
        chosenModel: FAILING,
        servedModel: null,
        attempts: [failedCall(FAILING), failedCall(FAILING)],
        fallbacks: 1,
        status: 502,
        errorCode: 'upstream',
        costUsd: null,
      }),
      // A fallback: FLAKY failed, STEADY served.
      decisionRecord({ chosenModel: FLAKY, servedModel: STEADY, attempts: [failedCall(FLAKY), servedCall(STEADY)], fallbacks: 1 }),
      // A stream that failed after its first token, and one the client closed (not an error).
      decisionRecord({ chosenModel: STEADY, servedModel: STEADY, attempts: [servedCall(STEADY)], stream: true, errorCode: 'upstream' }),
      decisionRecord({ chosenModel: STEADY, servedModel: STEADY, attempts: [servedCall(STEADY)], stream: true, errorCode: 'client_closed' }),
      // Refused before any model was chosen.
      decisionRecord({ chosenModel: null, servedModel: null, attempts: [], status: 400, errorCode: 'no_eligible_model', costUsd: null }),
    ]);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('counts every failed call against the model that failed, and a request nobody served for the model chosen for it', async () => {
    const rows = await decisionAggregates(test.db, { sinceMs: 3600_000 });
    const row = (route: string, model: string) => rows.find((item) => item.route === route && item.model === model);
    expect(row('direct', FAILING)).toMatchObject({ requests: 3, errors: 6, fallbacks: 3 });
    expect(row('direct', '(none)')).toBeUndefined();
    expect(row('auto', FLAKY)).toMatchObject({ requests: 0, errors: 1, fallbacks: 0, latencyP50Ms: null, spendUsd: 0 });
    expect(row('auto', STEADY)).toMatchObject({ requests: 3, errors: 1, fallbacks: 1 });
    expect(row('auto', '(none)')).toMatchObject({ requests: 1, errors: 1 });
    expect(rows).toHaveLength(4);
    expect(await decisionAggregates(test.db, { sinceMs: 3600_000, route: 'direct' })).toEqual([row('direct', FAILING)]);
  });

  it("gives the leaderboard's traffic the same errors", async () => {
    const shares = new Map((await trafficShare(test.db)).map((share) => [share.model, share]));
    expect(shares.get(FAILING)).toMatchObject({ requests: 3, errors: 6, share: 3 / 7 });
    expect(shares.get(FLAKY)).toMatchObject({ requests: 0, errors: 1, share: 0 });
    expect(shares.get(STEADY)).toMatchObject({ requests: 3, errors: 1, share: 3 / 7 });
    expect(shares.get('(none)')).toMatchObject({ requests: 1, errors: 1 });
  });
});

describe('decisions listed by model and status, as the aggregates count them', { timeout: 30_000 }, () => {
  const FALLEN_FROM = 'sim-openai/fallen-from';
  const FALLBACK = 'sim-anthropic/fallback';
  const GUARDED = 'sim-openai/guarded';
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    const failedCall = (model: string, status = 503) => ({ model, ok: false, errorCode: 'upstream', status, latencyMs: 5 });
    const servedCall = (model: string) => ({ model, ok: true, status: 200, latencyMs: 20 });
    const failed = { servedModel: null, status: 502, errorCode: 'upstream', costUsd: null };
    await insertDecisions(test.db, [
      decisionRecord({ requestId: 'fallback', chosenModel: FALLEN_FROM, servedModel: FALLBACK, attempts: [failedCall(FALLEN_FROM), servedCall(FALLBACK)], fallbacks: 1 }),
      decisionRecord({ requestId: 'retried', route: 'cheap', chosenModel: FALLEN_FROM, servedModel: FALLEN_FROM, attempts: [failedCall(FALLEN_FROM, 429), servedCall(FALLEN_FROM)] }),
      decisionRecord({ requestId: 'served', chosenModel: FALLEN_FROM, servedModel: FALLEN_FROM, attempts: [servedCall(FALLEN_FROM)] }),
      decisionRecord({ ...failed, requestId: 'all-failed', chosenModel: FALLEN_FROM, attempts: [failedCall(FALLEN_FROM), failedCall(FALLBACK)], fallbacks: 1 }),
      // A stream that failed after its first token (no failed call), and one the client closed (not an error).
      decisionRecord({ requestId: 'cut-stream', chosenModel: FALLBACK, servedModel: FALLBACK, attempts: [servedCall(FALLBACK)], stream: true, errorCode: 'upstream' }),
      // A fallback whose stream then failed after its first token: an error for each model.
      decisionRecord({
        requestId: 'fallback-cut',
        chosenModel: FALLEN_FROM,
        servedModel: FALLBACK,
        attempts: [failedCall(FALLEN_FROM), servedCall(FALLBACK)],
        fallbacks: 1,
        stream: true,
        errorCode: 'upstream',
      }),
      decisionRecord({ requestId: 'closed', chosenModel: FALLBACK, servedModel: FALLBACK, attempts: [servedCall(FALLBACK)], stream: true, errorCode: 'client_closed' }),
      // Refused before any call (the budget ran out), and before any model was chosen.
      decisionRecord({ ...failed, requestId: 'refused', chosenModel: GUARDED, attempts: [], status: 429, errorCode: 'budget_exceeded' }),
      decisionRecord({ ...failed, requestId: 'unroutable', chosenModel: null, attempts: [], status: 400, errorCode: 'no_eligible_model' }),
    ]);
  });
  afterAll(async () => {
    await test?.drop();
  });
  const listed = async (filter: Omit<DecisionFilter, 'limit'>) =>
    (await recentDecisions(test.db, { limit: 100, ...filter })).map((row) => row.request_id).sort();

  it('lists a failed call under the model that failed, and a request under the model it counts for', async () => {
    expect(await listed({ model: FALLEN_FROM, status: 'error' })).toEqual(['all-failed', 'fallback', 'fallback-cut', 'retried']);
    expect(await listed({ model: FALLEN_FROM, status: 'ok' })).toEqual(['served']);
    expect(await listed({ model: FALLEN_FROM })).toEqual(['all-failed', 'retried', 'served']);
    expect(await listed({ model: FALLBACK, status: 'error' })).toEqual(['all-failed', 'cut-stream', 'fallback-cut']);
    expect(await listed({ model: FALLBACK, status: 'ok' })).toEqual(['closed', 'fallback']);
    expect(await listed({ model: FALLBACK })).toEqual(['closed', 'cut-stream', 'fallback', 'fallback-cut']);
    expect(await listed({ model: GUARDED, status: 'error' })).toEqual(['refused']);
    expect(await listed({ model: GUARDED })).toEqual(['refused']);
    expect(await listed({ model: '(none)', status: 'error' })).toEqual(['unroutable']);
    expect(await listed({ model: FALLEN_FROM, status: 502 })).toEqual(['all-failed']);
    expect(await listed({ model: FALLBACK, status: 502 })).toEqual([]);
  });

  it('without a model, splits the requests into those adding an error to some model and the rest', async () => {
    const errors = await listed({ status: 'error' });
    expect(errors).toEqual(['all-failed', 'cut-stream', 'fallback', 'fallback-cut', 'refused', 'retried', 'unroutable']);
    expect(await listed({ status: 'ok' })).toEqual(['closed', 'served']);
    expect(await listed({ status: 429 })).toEqual(['refused']);
  });

  it('pools the routes of a model into its traffic share', async () => {
    const perRoute = await decisionAggregates(test.db, { sinceMs: 3600_000 });
    expect(perRoute.filter((row) => row.model === FALLEN_FROM).map((row) => row.route)).toEqual(['auto', 'cheap']);
    const shares = await trafficShare(test.db);
    for (const share of shares) {
      const rows = perRoute.filter((row) => row.model === share.model);
      expect(share, share.model).toMatchObject({
        requests: rows.reduce((sum, row) => sum + row.requests, 0),
        errors: rows.reduce((sum, row) => sum + row.errors, 0),
      });
      expect(share.spendUsd).toBeCloseTo(rows.reduce((sum, row) => sum + row.spendUsd, 0), 12);
    }
    expect(shares.find((share) => share.model === FALLEN_FROM)).toMatchObject({ requests: 3, errors: 4, share: 3 / 9 });
    // The cut stream after the fallback counts against the model that served it, besides the failed call against the other.
    expect(shares.find((share) => share.model === FALLBACK)).toMatchObject({ requests: 4, errors: 3, share: 4 / 9 });
  });

  it("lists, for every model, the aggregates' requests and the requests behind its errors", async () => {
    const aggregates = await trafficShare(test.db);
    expect(aggregates.map((row) => row.model).sort()).toEqual(['(none)', FALLBACK, FALLEN_FROM, GUARDED].sort());
    for (const row of aggregates) {
      // No request here has two failed calls by one model, so each error is one listed request.
      const counted = await listed({ model: row.model });
      const failing = await listed({ model: row.model, status: 'error' });
      expect(failing, row.model).toHaveLength(row.errors);
      expect(counted, row.model).toHaveLength(row.requests);
      // Every counted request is either ok or an error, never both, never neither (no NULL from the filter).
      const fine = await listed({ model: row.model, status: 'ok' });
      expect(fine, row.model).toEqual(counted.filter((id) => !failing.includes(id)));
    }
  });
});

describe('decisions paged newest first', { timeout: 30_000 }, () => {
  const PAGED = 'sim-openai/paged';
  let test: TestDatabase;
  /** Every inserted request id, in the list's order (at desc, request_id desc). */
  let expected: string[];
  beforeAll(async () => {
    test = await createTestDatabase();
    const fixture = decisionsSharingAMillisecond(PAGED, 'paged-');
    await insertDecisions(test.db, fixture.records);
    expected = fixture.order;
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('lists every decision exactly once, in order, when paged two at a time', async () => {
    const seen = await followAfter(
      (after) => recentDecisions(test.db, { limit: 2, model: PAGED, ...(after === undefined ? {} : { after }) }),
      2,
      (row) => row.request_id,
    );
    expect(seen.map((row) => row.request_id)).toEqual(expected);
  });

  it('skips the rows sharing a millisecond with the last row when paged by its time (why `after` exists)', async () => {
    const first = await recentDecisions(test.db, { limit: 2, model: PAGED });
    const second = await recentDecisions(test.db, { limit: 2, model: PAGED, before: new Date(first[1]!.at) });
    expect(first.slice(0, 2).map((row) => row.request_id)).toEqual(expected.slice(0, 2));
    // 'paged-07' (…500900) ends the first page; the seven rows at …500500 and the one at …500100 are never listed.
    expect(second[0]?.request_id).toBe('paged-10');
  });

  it('combines `after` with the other filters, and refuses an `after` that names no decision', async () => {
    expect((await recentDecisions(test.db, { limit: 5, model: PAGED, after: 'paged-00' })).map((row) => row.request_id)).toEqual(expected.slice(9));
    expect(await recentDecisions(test.db, { limit: 5, model: 'sim-openai/other', after: 'paged-00' })).toEqual([]);
    await expect(recentDecisions(test.db, { limit: 5, after: 'no-such-request' })).rejects.toMatchObject({ code: 'bad_request', param: 'cursor' });
  });
});

describe('the index behind the decisions list filtered by model', { timeout: 30_000 }, () => {
  const RARE = 'sim-openai/rare';
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    await insertDecisions(test.db, [
      ...decisionRecords(300, { servedModel: 'sim-openai/common' }),
      ...decisionRecords(3, { servedModel: RARE }),
      // Counts for the model chosen for it: no model served it.
      decisionRecord({ chosenModel: RARE, servedModel: null, attempts: [], status: 429, errorCode: 'budget_exceeded' }),
    ]);
    await sql`analyze route_decisions`.execute(test.db);
  });
  afterAll(async () => {
    await test?.drop();
  });

  /** Every node of an `explain (format json)` plan. */
  const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];
  interface PlanNode {
    'Node Type': string;
    'Index Name'?: string;
    Plans?: PlanNode[];
  }
  /** The plan of the repository's own query, as compiled with its parameters, with sequential scans priced out. */
  const plan = (filter: DecisionFilter) =>
    test.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const compiled = decisionsQuery(trx, filter).compile();
      const result = await trx.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]),
      );
      return nodes(result.rows[0]!['QUERY PLAN'][0]!.Plan);
    });

  it("reads a model's page from the attributed-model index, in its order (no sort)", async () => {
    for (const filter of [{ model: RARE, limit: 50 }, { model: RARE, limit: 50, after: 'any-request-id' }]) {
      const planned = await plan(filter);
      expect(planned.map((node) => node['Index Name']).filter(Boolean), JSON.stringify(filter)).toContain(ATTRIBUTED_MODEL_INDEX);
      expect(planned.map((node) => node['Node Type']).filter((type) => type.includes('Sort')), JSON.stringify(filter)).toEqual([]);
    }
    expect((await recentDecisions(test.db, { model: RARE, limit: 50 })).map((row) => row.served_model ?? row.chosen_model)).toEqual([RARE, RARE, RARE, RARE]);
  });
});
