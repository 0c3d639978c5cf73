import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApi, type TestApi } from './routes/api-test-harness';

describe('control plane skeleton', () => {
  let api: TestApi;
  let app: TestApi['app'];
  let state: TestApi['context']['state'];

  beforeAll(async () => {
    api = await startTestApi();
    app = api.app;
    state = api.context.state;
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers health and readiness, and 503 while draining', async () => {
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
    state.draining = true;
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    state.draining = false;
  });

  it('requires the admin token on /api/*', async () => {
    const missing = await app.inject({ url: '/api/anything' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.type).toBe('authentication_error');
    expect(missing.headers['x-should-retry']).toBe('false');
    const wrong = await app.inject({ url: '/api/anything', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const right = await app.inject({ url: '/api/anything', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(right.statusCode).toBe(404);
    expect(right.json().error.code).toBe('not_found');
  });

  it('serves the OpenAPI document and sets a Content-Security-Policy', async () => {
    const spec = await app.inject({ url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().openapi).toBe('3.1.0');
    expect(spec.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
