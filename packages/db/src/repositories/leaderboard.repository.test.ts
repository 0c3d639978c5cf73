import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, decisionRecord, decisionRecords, type TestDatabase } from '../testing';
import { decisionAggregates, trafficShare } from './leaderboard.repository';
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
