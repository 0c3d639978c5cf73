/** API keys and hostile input: no key, wrong key, revoked key, limits, oversized body, malformed JSON. */
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '@switchyard/core';
import { createApiKey, revokeApiKey } from '@switchyard/db';
import { ALPHA, BETA, harnessForFile, waitFor } from './harness';

const harness = harnessForFile({ auth: 'on', router: { bodyLimitBytes: 64 * 1024 } });
let key: string;
let keyId: string;
beforeAll(async () => {
  const created = await createApiKey(harness.database.db, { name: 'test' });
  key = created.key;
  keyId = created.row.id;
}, 60_000);

const hello = JSON.stringify({ messages: [{ role: 'user', content: 'Say hello' }] });

function post(body: string, headers: Record<string, string> = {}) {
  return fetch(`${harness.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; type: string; message: string; param: string | null } };
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(body.error.message).not.toMatch(/\n\s+at /);
  return body.error;
}

describe('API keys', { timeout: 30_000 }, () => {
  it('requires a key on /v1/* but not on health endpoints', async () => {
    const missing = await post(hello);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('x-should-retry')).toBe('false');
    expect(missing.headers.get('x-request-id')).toBeTruthy();
    expect(await errorOf(missing)).toMatchObject({ code: 'auth', type: 'authentication_error' });
    expect((await fetch(`${harness.url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${harness.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${harness.url}/readyz`)).status).toBe(200);
  });

  it('rejects a wrong key and accepts a valid one (openai SDK error class too)', async () => {
    const wrong = await post(hello, { authorization: 'Bearer sy-not-a-real-key' });
    expect(wrong.status).toBe(401);
    expect((await errorOf(wrong)).message).toBe('Invalid API key');
    const sdk = new OpenAI({ baseURL: `${harness.url}/v1`, apiKey: 'sy-wrong', maxRetries: 0 });
    await expect(sdk.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const ok = await post(hello, { authorization: `Bearer ${key}` });
    expect(ok.status).toBe(200);
  });

  it('a key created after start works at once; revocation takes effect via Redis', async () => {
    const fresh = await createApiKey(harness.database.db, { name: 'fresh' });
    expect((await post(hello, { authorization: `Bearer ${fresh.key}` })).status).toBe(200);
    await revokeApiKey(harness.database.db, fresh.row.id);
    await harness.redis.redis.publish(redisKeys(harness.redis.prefix).apiKeysChannel, fresh.row.id);
    await waitFor(async () => (await post(hello, { authorization: `Bearer ${fresh.key}` })).status === 401);
    const revoked = await post(hello, { authorization: `Bearer ${fresh.key}` });
    expect((await errorOf(revoked)).message).toMatch(/revoked|Invalid/);
    expect((await post(hello, { authorization: `Bearer ${key}` })).status).toBe(200);
    expect(keyId).toBeTruthy();
  });

  it('enforces per-key routes, models and rate limit', async () => {
    const limited = await createApiKey(harness.database.db, { name: 'limited', routes: ['cheap'], models: [BETA], rateLimitPerMin: 3 });
    const auth = { authorization: `Bearer ${limited.key}` };
    const forbiddenRoute = await post(hello, auth);
    expect(forbiddenRoute.status).toBe(403);
    expect(await errorOf(forbiddenRoute)).toMatchObject({ code: 'forbidden', param: 'model' });
    const cheap = await post(JSON.stringify({ model: 'auto:cheap', messages: [{ role: 'user', content: 'hi' }] }), auth);
    expect(cheap.status).toBe(200);
    expect(cheap.headers.get('x-switchyard-model')).toBe(BETA);
    const direct = await post(JSON.stringify({ model: ALPHA, messages: [{ role: 'user', content: 'hi' }] }), auth);
    expect(direct.status).toBe(403);
    const limitedOut = await post(hello, auth);
    expect(limitedOut.status).toBe(429);
    expect(Number(limitedOut.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limitedOut.headers.get('x-should-retry')).toBeNull();
    expect((await errorOf(limitedOut)).code).toBe('rate_limited');
  });
});

describe('hostile input', { timeout: 30_000 }, () => {
  it('oversized body → 413', async () => {
    const big = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] });
    const response = await post(big, { authorization: `Bearer ${key}` });
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toMatchObject({ code: 'payload_too_large', message: 'Request body is too large: the limit is 64 KB' });
  });

  it('a known path under the wrong method → 405 naming the methods it takes, even with a body; an unknown path → 404', async () => {
    const authorization = `Bearer ${key}`;
    const get = await fetch(`${harness.url}/v1/chat/completions`, { headers: { authorization } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await errorOf(get)).toMatchObject({ code: 'method_not_allowed', message: 'GET is not allowed on /v1/chat/completions; use POST' });
    // A JSON content type with an empty body used to fail parsing first ("Request body is empty").
    const remove = await fetch(`${harness.url}/v1/feedback`, { method: 'DELETE', headers: { authorization, 'content-type': 'application/json' } });
    expect(remove.status).toBe(405);
    expect(remove.headers.get('x-request-id')).toBeTruthy();
    expect((await errorOf(remove)).code).toBe('method_not_allowed');
    // The key is checked first: without one, the path's existence is not revealed.
    const keyless = await fetch(`${harness.url}/v1/chat/completions`);
    expect(keyless.status).toBe(401);
    expect((await errorOf(keyless)).code).toBe('auth');
    const keylessBody = await fetch(`${harness.url}/v1/feedback`, { method: 'DELETE', headers: { 'content-type': 'application/json' } });
    expect(keylessBody.status).toBe(401);
    const unknown = await fetch(`${harness.url}/v1/completion`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatchObject({ code: 'not_found', message: 'No route POST /v1/completion' });
  });

  it('malformed JSON → 400 with the position', async () => {
    const response = await post('{"messages": [{"role": "user", "content": "hi"}', { authorization: `Bearer ${key}` });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: 'bad_request', param: 'body' });
    expect(error.message).toMatch(/^Malformed JSON body: .*\(at position \d+, line 1 column \d+\)$/);
  });

  it('wrong types and a non-object body → 400 naming the field; unsupported media type → 415', async () => {
    const auth = { authorization: `Bearer ${key}` };
    expect(await errorOf(await post('[1,2,3]', auth))).toMatchObject({ param: 'body' });
    expect(await errorOf(await post(JSON.stringify({ messages: [{ role: 'robot', content: 'x' }] }), auth))).toMatchObject({ param: 'messages[0].role' });
    const text = await fetch(`${harness.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'text/plain', ...auth }, body: 'hello' });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { error: { message: string } }).error.message).toMatch(/send the request body as JSON, with `content-type: application\/json`/);
    const proto = await post('{"messages":[{"role":"user","content":"hi"}],"__proto__":{"polluted":true}}', auth);
    expect(proto.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
