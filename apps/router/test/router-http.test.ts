import { beforeAll, describe, expect, it } from 'vitest';
import { redisKeys, type DecisionRecord } from '@switchyard/core';
import { insertDecisions, listFeedbackForRequest } from '@switchyard/db';
import { decisionRecord } from '@switchyard/db/testing';
import { DECISION_FIELD } from '../src/index';
import { ALPHA, BETA, GAMMA, harnessForFile, waitFor } from './harness';

const harness = harnessForFile();

const hello = { messages: [{ role: 'user', content: 'Say hello' }] };

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${harness.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> & { error?: Record<string, unknown> } };
}

async function decisions(): Promise<DecisionRecord[]> {
  const entries = await harness.redis.redis.xrange(redisKeys(harness.redis.prefix).decisions, '-', '+');
  return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf(DECISION_FIELD) + 1] as string) as DecisionRecord);
}

describe('cold start (no policy published)', { timeout: 30_000 }, () => {
  it('routes by the documented rule and says so in /readyz', async () => {
    const ready = await fetch(`${harness.url}/readyz`);
    expect(ready.status).toBe(200);
    const details = (await ready.json()) as { policy: { coldStart: boolean; coldStartRule: string; hash: null } };
    expect(details.policy).toMatchObject({ coldStart: true, hash: null });
    expect(details.policy.coldStartRule).toMatch(/cheapest/);
    const { status, headers, json } = await post({ ...hello, model: 'auto:cheap' });
    expect(status).toBe(200);
    expect(headers.get('x-switchyard-policy')).toBe('cold-start');
    expect(headers.get('x-switchyard-reason')).toMatch(/^cold-start; weight/);
    expect([ALPHA, BETA]).toContain(json.model);
  });
});

describe('with a published policy', { timeout: 30_000 }, () => {
  let hash: string;
  beforeAll(async () => {
    hash = await harness.publishAndWait({ [ALPHA]: 1, [BETA]: 0, [GAMMA]: 0 });
  });

  it('answers OpenAI-shaped JSON with routing headers and usage cost', async () => {
    const { status, headers, json } = await post({ ...hello, model: 'auto' });
    expect(status).toBe(200);
    expect(json).toMatchObject({ object: 'chat.completion', model: ALPHA, choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }] });
    expect(typeof (json.choices as Array<{ message: { content: string } }>)[0]?.message.content).toBe('string');
    const usage = json.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost: number };
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.cost).toBeCloseTo((usage.prompt_tokens * 1 + usage.completion_tokens * 2) / 1e6, 12);
    expect(headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers.get('x-switchyard-model')).toBe(ALPHA);
    expect(headers.get('x-switchyard-route')).toBe('auto');
    expect(headers.get('x-switchyard-category')).toBe('general');
    expect(headers.get('x-switchyard-policy')).toBe(hash);
    expect(headers.get('x-switchyard-reason')).toBe('weight 1.00 of 3 eligible');
    const requestId = headers.get('x-request-id');
    await waitFor(async () => (await decisions()).some((record) => record.requestId === requestId));
    const record = (await decisions()).find((item) => item.requestId === requestId);
    expect(record).toMatchObject({ route: 'auto', category: 'general', chosenModel: ALPHA, servedModel: ALPHA, policyHash: hash, status: 200, fallbacks: 0, stream: false });
    expect(record?.costUsd).toBeCloseTo(usage.cost, 12);
    expect(record?.candidates).toEqual([
      { model: ALPHA, weight: 1 },
      { model: BETA, weight: 0 },
      { model: GAMMA, weight: 0 },
    ]);
    expect(JSON.stringify(record)).not.toContain('Say hello');
  });

  it('records only the candidates a routing hint left eligible, as the reason header counts them', async () => {
    const record = async (hints: Record<string, unknown>) => {
      const { status, headers } = await post({ ...hello, model: 'auto', switchyard: hints });
      expect(status).toBe(200);
      const requestId = headers.get('x-request-id');
      await waitFor(async () => (await decisions()).some((item) => item.requestId === requestId));
      return { reason: headers.get('x-switchyard-reason'), record: (await decisions()).find((item) => item.requestId === requestId) };
    };
    const only = await record({ only: [BETA, GAMMA] });
    expect(only.reason).toBe('weight 0.50 of 2 eligible');
    expect(only.record?.candidates).toEqual([
      { model: BETA, weight: 0.5 },
      { model: GAMMA, weight: 0.5 },
    ]);
    const excluded = await record({ exclude: [GAMMA] });
    expect(excluded.reason).toBe('weight 1.00 of 2 eligible');
    expect(excluded.record?.candidates).toEqual([
      { model: ALPHA, weight: 1 },
      { model: BETA, weight: 0 },
    ]);
  });

  it('serves provider/model directly and lists routes and models', async () => {
    const { json, headers } = await post({ ...hello, model: BETA });
    expect(json.model).toBe(BETA);
    expect(headers.get('x-switchyard-route')).toBe('direct');
    const models = (await (await fetch(`${harness.url}/v1/models`)).json()) as { object: string; data: Array<{ id: string; object: string; owned_by: string; created: number }> };
    expect(models.object).toBe('list');
    expect(models.data.map((model) => model.id)).toEqual(expect.arrayContaining(['auto', 'auto:cheap', ALPHA, BETA, GAMMA]));
    expect(models.data[0]).toMatchObject({ object: 'model', owned_by: 'switchyard' });
  });

  it('applies routing hints from the body and headers, stripping them before forwarding', async () => {
    const body = await post({ ...hello, switchyard: { only: [GAMMA], category: 'math' } });
    expect(body.status).toBe(200);
    expect(body.json.model).toBe(GAMMA);
    // The test policy routes by `general` only: a hinted category it does not have routes (and is recorded) as general.
    expect(body.headers.get('x-switchyard-category')).toBe('general');
    expect(body.headers.get('x-switchyard-reason')).toContain('hinted category "math" is not in the policy');
    const header = await post(hello, { 'x-switchyard-exclude': `${ALPHA},${GAMMA}` });
    expect(header.json.model).toBe(BETA);
    const none = await post({ ...hello, switchyard: { max_cost_per_mtok: 0.6 } });
    expect(none.status).toBe(400);
    expect(none.json.error).toMatchObject({ code: 'no_eligible_model', type: 'invalid_request_error' });
    expect(String(none.json.error?.message)).toContain('max_cost_per_mtok 0.6 excluded sim-openai/alpha ($1.25/MTok), sim-openai/beta');
    expect(none.headers.get('x-should-retry')).toBe('false');
    expect(none.headers.get('x-switchyard-reason')).toBe('no eligible model');
  });

  it('skips models that cannot take the content, or 400 when none can', async () => {
    const image = { role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] };
    const vision = await post({ messages: [image] });
    expect(vision.json.model).toBe(GAMMA);
    const audio = await post({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] });
    expect(audio.status).toBe(400);
    expect(audio.json.error).toMatchObject({ code: 'no_eligible_model', param: 'messages' });
    const direct = await post({ model: ALPHA, messages: [image] });
    expect(direct.status).toBe(400);
    expect(direct.json.error).toMatchObject({ code: 'no_eligible_model', param: 'messages' });
    expect(String(direct.json.error?.message)).toBe(`No model of "${ALPHA}" can take this request: the content parts of the messages excluded ${ALPHA} (no image input)`);
  });

  it('rejects bad input with the field named, and unknown models with 404', async () => {
    const missing = await post({ model: 'auto' });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ param: 'messages', code: 'bad_request', message: '`messages` is missing' });
    const wrong = await post({ messages: [{ role: 'user', content: 42 }] });
    expect(wrong.json.error?.param).toBe('messages[0].content');
    const malformed = await post('{"messages": [', {});
    expect(malformed.status).toBe(400);
    expect(String(malformed.json.error?.message)).toMatch(/JSON/);
    expect(String(malformed.json.error?.message)).toMatch(/position|column|end of/i);
    const route = await post({ ...hello, model: 'auto:nope' });
    expect(route.status).toBe(404);
    expect(route.json.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    const model = await post({ ...hello, model: 'gpt-unknown' });
    expect(model.status).toBe(404);
    expect(model.json.error?.code).toBe('model_not_found');
    expect(JSON.stringify(model.json)).not.toMatch(/at .*\.ts/);
  });

  it('records feedback', async () => {
    const { headers } = await post(hello);
    const requestId = headers.get('x-request-id') as string;
    const response = await fetch(`${harness.url}/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: requestId, score: 0.9, comment: 'great' }),
    });
    expect(response.status).toBe(201);
    const rows = await listFeedbackForRequest(harness.database.db, requestId);
    expect(rows.map((row) => row.score)).toEqual([0.9]);
    const bad = await fetch(`${harness.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: requestId, score: 3 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('score');
  });

  it('takes feedback on the completion id, refuses it on an id no request had, and takes it for a request already ingested', async () => {
    const feedback = (requestId: string) =>
      fetch(`${harness.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: requestId, score: 0.5 }) });
    // A typo, and a completion id whose request id no request had.
    for (const unknown of ['not-a-request', 'chatcmpl-not-a-request']) {
      const wrong = await feedback(unknown);
      expect(wrong.status).toBe(404);
      const error = ((await wrong.json()) as { error: { code: string; param: string; message: string } }).error;
      expect(error).toMatchObject({ code: 'not_found', param: 'request_id' });
      expect(error.message).toContain('x-request-id');
      expect(await listFeedbackForRequest(harness.database.db, unknown)).toEqual([]);
    }
    // The completion's own id names its request.
    const { headers, json } = await post(hello);
    expect(json.id).toBe(`chatcmpl-${headers.get('x-request-id')}`);
    expect((await feedback(String(json.id))).status).toBe(201);
    expect((await listFeedbackForRequest(harness.database.db, headers.get('x-request-id') as string)).map((row) => row.score)).toEqual([0.5]);

    // A request whose decision the ingest job already moved to Postgres (and off the stream).
    const ingested = `ingested-${Date.now()}`;
    await insertDecisions(harness.database.db, [decisionRecord({ requestId: ingested, servedModel: ALPHA })]);
    expect((await feedback(ingested)).status).toBe(201);
    expect((await listFeedbackForRequest(harness.database.db, ingested)).map((row) => row.score)).toEqual([0.5]);
  });

  it('exposes Prometheus metrics with the policy and circuit state', async () => {
    const text = await (await fetch(`${harness.url}/metrics`)).text();
    expect(text).toContain('switchyard_router_requests_total{route="auto",mode="json",status="2xx"}');
    expect(text).toContain(`switchyard_router_policy_info{hash="${hash}",algorithm="manual"} 1`);
    expect(text).toContain('switchyard_router_upstream_latency_seconds_bucket');
    expect(text).not.toContain('request_id');
  });

  it('drains: /readyz answers 503 while requests are still served', async () => {
    harness.router.drain();
    const ready = await fetch(`${harness.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { status: string }).status).toBe('draining');
    expect((await post(hello)).status).toBe(200);
  });
});
