/** Failover with the simulator's fault controls: the client sees a success from another model. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys, type DecisionRecord } from '@switchyard/core';
import { DECISION_FIELD } from '../src/index';
import { ALPHA, BETA, GAMMA, harnessForFile, startHarness, waitFor } from './harness';

const harness = harnessForFile({ firstTokenMs: 700 });
beforeAll(async () => {
  await harness.publishAndWait({ [ALPHA]: 1, [BETA]: 0, [GAMMA]: 0 });
}, 60_000);
afterEach(async () => {
  await harness.resetFleet();
}, 60_000);

const story = { role: 'user', content: 'Tell me a long story about a lighthouse keeper and the sea, with many details.' };

async function chat(body: Record<string, unknown>) {
  const response = await fetch(`${harness.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [story], ...body }),
  });
  return { response, text: await response.text() };
}

async function decision(requestId: string | null): Promise<DecisionRecord> {
  const key = redisKeys(harness.redis.prefix).decisions;
  let found: DecisionRecord | undefined;
  await waitFor(async () => {
    const entries = await harness.redis.redis.xrange(key, '-', '+');
    for (const [, fields] of entries) {
      const record = JSON.parse(fields[fields.indexOf(DECISION_FIELD) + 1] as string) as DecisionRecord;
      if (record.requestId === requestId) found = record;
    }
    return found !== undefined;
  });
  return found as DecisionRecord;
}

function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice(6));
}

describe('failover before the first byte', { timeout: 30_000 }, () => {
  it('503 from the drawn model → success from the next, fallback recorded', async () => {
    await harness.patch('alpha', { errorRates: { '503': 1 } });
    const { response, text } = await chat({});
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ model: BETA });
    expect(response.headers.get('x-switchyard-model')).toBe(BETA);
    expect(response.headers.get('x-switchyard-reason')).toBe(`weight 1.00 of 3 eligible; fallback after 503 from ${ALPHA}`);
    const record = await decision(response.headers.get('x-request-id'));
    expect(record).toMatchObject({ chosenModel: ALPHA, servedModel: BETA, fallbacks: 1, status: 200 });
    expect(record.attempts.map((attempt) => [attempt.model, attempt.ok, attempt.status])).toEqual([
      [ALPHA, false, 503],
      [BETA, true, undefined],
    ]);
  });

  it('429 with retry-after → another model at once; alone, the same model after the wait', async () => {
    await harness.patch('alpha', { errorRates: { '429': 1 }, retryAfterSeconds: 1 });
    const { response } = await chat({ stream: false });
    expect(response.headers.get('x-switchyard-model')).toBe(BETA);
    expect((await decision(response.headers.get('x-request-id'))).attempts[0]).toMatchObject({ model: ALPHA, errorCode: 'rate_limited', status: 429 });

    // Only alpha allowed: the router waits out the retry-after (the model recovers meanwhile) and retries.
    const pending = chat({ switchyard: { only: [ALPHA] } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.resetFleet();
    const alone = await pending;
    expect(alone.response.status).toBe(200);
    expect(alone.response.headers.get('x-switchyard-model')).toBe(ALPHA);
    const record = await decision(alone.response.headers.get('x-request-id'));
    expect(record.attempts.map((attempt) => attempt.ok)).toEqual([false, true]);
    expect(record.attempts[1]?.model).toBe(ALPHA);
  });

  it('timeout before the first token (stream and JSON) → another model', async () => {
    await harness.patch('alpha', { timeoutRate: 1 });
    const streamed = await chat({ stream: true });
    expect(streamed.response.status).toBe(200);
    expect(streamed.response.headers.get('x-switchyard-model')).toBe(BETA);
    const frames = sseData(streamed.text);
    expect(frames[frames.length - 1]).toBe('[DONE]');
    expect(frames.some((frame) => frame.includes('"error"'))).toBe(false);
    expect(JSON.parse(frames[0] as string)).toMatchObject({ model: BETA });
    const record = await decision(streamed.response.headers.get('x-request-id'));
    expect(record.attempts[0]).toMatchObject({ model: ALPHA, ok: false, errorCode: 'timeout' });
    expect(record).toMatchObject({ servedModel: BETA, fallbacks: 1, stream: true });

    const json = await chat({});
    expect(json.response.headers.get('x-switchyard-model')).toBe(BETA);
  });

  it('every model failing → one error with the attempts, retry allowed', async () => {
    for (const name of ['alpha', 'beta', 'gamma']) await harness.patch(name, { errorRates: { '500': 1 } });
    const { response, text } = await chat({});
    expect(response.status).toBe(502);
    const body = JSON.parse(text) as { error: { message: string; code: string; type: string } };
    expect(body.error.code).toBe('upstream');
    expect(body.error.message).toContain(`All 3 attempts failed: ${ALPHA} (500 upstream), ${BETA} (500 upstream)`);
    expect(response.headers.get('x-should-retry')).toBeNull();
    expect(response.headers.get('x-switchyard-route')).toBe('auto');
  });

  it('every model overloaded (503, or 529 from an Anthropic-style upstream) → a 503, the status OpenAI clients know', async () => {
    for (const name of ['alpha', 'beta', 'gamma']) await harness.patch(name, { errorRates: { '503': 1 } });
    const { response, text } = await chat({});
    expect(response.status).toBe(503);
    expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe('overloaded');
    expect(response.headers.get('x-should-retry')).toBeNull();
  });
});

describe('after the first byte', { timeout: 30_000 }, () => {
  it('a mid-stream cut becomes an in-stream error frame, then [DONE]', async () => {
    await harness.patch('alpha', { cutRate: 1 });
    const { response, text } = await chat({ stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-model')).toBe(ALPHA);
    const frames = sseData(text);
    expect(frames[frames.length - 1]).toBe('[DONE]');
    const error = JSON.parse(frames[frames.length - 2] as string) as { error: { code: string; type: string; message: string } };
    expect(error.error).toMatchObject({ code: 'upstream', type: 'api_error' });
    expect(frames.slice(0, -2).some((frame) => frame.includes('"content"'))).toBe(true);
    const record = await decision(response.headers.get('x-request-id'));
    expect(record).toMatchObject({ servedModel: ALPHA, status: 200, errorCode: 'upstream', stream: true });
  });
});

describe('circuit breaker', { timeout: 30_000 }, () => {
  it('opens after consecutive failures and skips the model; state in /metrics', async () => {
    const small = await startHarness({ router: { circuitBreaker: { failureThreshold: 2, coolDownMs: 60_000 } } });
    try {
      await small.publishAndWait({ [ALPHA]: 1, [BETA]: 0 });
      await small.patch('alpha', { errorRates: { '503': 1 } });
      const call = () =>
        fetch(`${small.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [story] }) });
      await call();
      await call();
      const third = await call();
      expect(third.status).toBe(200);
      expect(third.headers.get('x-switchyard-model')).toBe(BETA);
      expect(third.headers.get('x-switchyard-reason')).toContain('1 skipped (circuit open)');
      const metrics = await (await fetch(`${small.url}/metrics`)).text();
      expect(metrics).toContain(`switchyard_router_circuit_state{model="${ALPHA}"} 2`);
      const ready = (await (await fetch(`${small.url}/readyz`)).json()) as { circuits: Array<{ model: string; state: string }> };
      expect(ready.circuits).toEqual([{ model: ALPHA, state: 'open', failures: 2 }]);
    } finally {
      await small.close();
    }
  });
});
