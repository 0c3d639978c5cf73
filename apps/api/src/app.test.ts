import { randomUUID } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, auth, seedCatalog, startTestApi, type TestApi } from './routes/api-test-harness';

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

describe('a request no route takes', () => {
  let api: TestApi;
  let app: TestApi['app'];

  beforeAll(async () => {
    // Without a built dashboard, whether or not one was built in this checkout.
    api = await startTestApi({}, undefined, { dashboardDirectory: join(tmpdir(), `switchyard-no-dashboard-${randomUUID()}`) });
    app = api.app;
    await seedCatalog(api);
  });
  afterAll(async () => {
    await api.close();
  });

  it('a parametric path under a wrong method → 405 naming its methods (HEAD with GET), OpenAI-shaped', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/api/policies/abc123', headers: auth });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(response.json()).toEqual({
      error: {
        message: 'DELETE is not allowed on /api/policies/abc123; use GET, HEAD',
        type: 'invalid_request_error',
        param: null,
        code: 'method_not_allowed',
      },
    });
    // A path under a parameter, with a query string and a trailing slash, is still that path.
    const rollback = await app.inject({ method: 'GET', url: '/api/policies/abc123/rollback/?dryRun=1', headers: auth });
    expect(rollback.statusCode).toBe(405);
    expect(rollback.headers.allow).toBe('POST');
  });

  it('a parametric or wildcard path that only takes PATCH besides GET → 405 with all three', async () => {
    for (const url of ['/api/models/x', '/api/models/sim-a/mini']) {
      const response = await app.inject({ method: 'PUT', url, headers: auth, payload: { enabled: false } });
      expect(response.statusCode, url).toBe(405);
      expect(response.headers.allow, url).toBe('GET, HEAD, PATCH');
      expect(response.json().error.code, url).toBe('method_not_allowed');
    }
  });

  it('the right method on those paths still reaches its handler', async () => {
    const model = await app.inject({ url: '/api/models/sim-a/mini', headers: auth });
    expect(model.statusCode).toBe(200);
    expect(model.json().id).toBe('sim-a/mini');
    const patched = await app.inject({ method: 'PATCH', url: '/api/models/sim-a%2Fmini', headers: auth, payload: { displayName: 'Mini' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().id).toBe('sim-a/mini');
    // A handler's own "not found" stays a 404: its method is the one the path takes.
    const missing = await app.inject({ url: '/api/policies/abc123', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.allow).toBeUndefined();
  });

  it('an unknown path → 404 without allow, whatever the method', async () => {
    for (const [method, url] of [
      ['DELETE', '/api/nothing-here/abc123'],
      ['GET', '/api/policies/abc123/rollback/extra'],
      ['POST', '/no-such-page'],
    ] as const) {
      const response = await app.inject({ method, url, headers: auth });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.headers.allow, `${method} ${url}`).toBeUndefined();
      expect(response.json().error, `${method} ${url}`).toMatchObject({ type: 'not_found_error', param: null, code: 'not_found' });
    }
    // A segment over the router's parameter length limit matches no route under any method.
    const overlong = await app.inject({ method: 'DELETE', url: `/api/policies/${'a'.repeat(150)}`, headers: auth });
    expect(overlong.statusCode).toBe(404);
    expect(overlong.headers.allow).toBeUndefined();
  });

  it('a route that runs and then finds nothing (a missing docs asset) → 404, not 405 naming its own method', async () => {
    const response = await app.inject({ url: '/docs/static/no-such-file.js' });
    expect(response.statusCode).toBe(404);
    expect(response.headers.allow).toBeUndefined();
  });

  it('without the admin token a known path under a wrong method stays 401, naming no methods', async () => {
    const anonymous = await app.inject({ method: 'DELETE', url: '/api/policies/abc123' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers.allow).toBeUndefined();
    expect(anonymous.json().error.type).toBe('authentication_error');
    const wrongToken = await app.inject({ method: 'PUT', url: '/api/models/x', headers: { authorization: 'Bearer nope' } });
    expect(wrongToken.statusCode).toBe(401);
    expect(wrongToken.headers.allow).toBeUndefined();
  });
});

describe('the built dashboard', () => {
  let api: TestApi;
  let app: TestApi['app'];
  let dashboardDirectory: string;

  beforeAll(async () => {
    dashboardDirectory = await mkdtemp(join(tmpdir(), 'switchyard-dashboard-'));
    await mkdir(join(dashboardDirectory, 'assets'));
    await writeFile(join(dashboardDirectory, 'index.html'), '<!doctype html><title>Switchyard dashboard</title>');
    await writeFile(join(dashboardDirectory, 'assets', 'app.js'), 'console.log("dashboard");');
    api = await startTestApi({}, undefined, { dashboardDirectory });
    app = api.app;
  });
  afterAll(async () => {
    await api.close();
    await rm(dashboardDirectory, { recursive: true, force: true });
  });

  it('serves its files, and index.html for any other page (SPA fallback) but not for /api', async () => {
    const asset = await app.inject({ url: '/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log("dashboard");');
    for (const url of ['/', '/routes/support-chat', '/policies/abc123?tab=diff']) {
      const page = await app.inject({ url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type'], url).toContain('text/html');
      expect(page.body, url).toContain('Switchyard dashboard');
    }
    const api404 = await app.inject({ url: '/api/nothing-here', headers: auth });
    expect(api404.statusCode).toBe(404);
    expect(api404.json().error.code).toBe('not_found');
  });

  it('a dashboard file under a wrong method → 405 with GET, HEAD; a page that is no file → 404', async () => {
    const asset = await app.inject({ method: 'POST', url: '/assets/app.js' });
    expect(asset.statusCode).toBe(405);
    expect(asset.headers.allow).toBe('GET, HEAD');
    expect(asset.json().error.code).toBe('method_not_allowed');
    const page = await app.inject({ method: 'POST', url: '/routes/support-chat' });
    expect(page.statusCode).toBe(404);
  });
});
