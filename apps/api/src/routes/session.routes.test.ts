import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, auth, startTestApi, type TestApi } from './api-test-harness';

describe('admin session routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  const signIn = async (headers: Record<string, string> = {}) => {
    const response = await api.app.inject({ method: 'POST', url: '/api/session', headers, payload: { token: ADMIN_TOKEN } });
    expect(response.statusCode).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    return { setCookie, pair: setCookie.split(';')[0]!, value: setCookie.split(';')[0]!.split('=')[1]! };
  };

  it('exchanges the admin token for a session cookie that is not the token', async () => {
    expect((await api.app.inject({ url: '/api/session' })).json()).toEqual({ auth: 'on', authenticated: false });
    const wrong = await api.app.inject({ method: 'POST', url: '/api/session', payload: { token: 'wrong-token' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const { setCookie, pair, value } = await signIn();
    expect(setCookie).toMatch(/^sy_admin=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    expect(setCookie).not.toContain(encodeURIComponent(ADMIN_TOKEN));
    expect(value).not.toBe(ADMIN_TOKEN);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('Max-Age=604800');
    expect(setCookie).not.toContain('Secure');
    // Nothing in Redis holds the token or the id in the clear either.
    const keys = await api.redis.redis.keys(`${api.redis.prefix}:admin-session:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toContain(value);
    expect(await api.redis.redis.ttl(keys[0]!)).toBeGreaterThan(604_700);

    expect((await api.app.inject({ url: '/api/models', headers: { cookie: pair } })).statusCode).toBe(200);
    expect((await api.app.inject({ url: '/api/session', headers: { cookie: `theme=dark; ${pair}` } })).json().authenticated).toBe(true);
  });

  it('no longer accepts the admin token itself as the cookie', async () => {
    const response = await api.app.inject({ url: '/api/models', headers: { cookie: `sy_admin=${encodeURIComponent(ADMIN_TOKEN)}` } });
    expect(response.statusCode).toBe(401);
  });

  it('rejects a session id after sign-out, and only that one', async () => {
    const first = await signIn();
    const second = await signIn();
    expect(first.value).not.toBe(second.value);
    const out = await api.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: first.pair } });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/^sy_admin=; .*Max-Age=0/);
    const replayed = await api.app.inject({ url: '/api/models', headers: { cookie: first.pair } });
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error.message).toMatch(/sign in again/);
    expect((await api.app.inject({ url: '/api/session', headers: { cookie: first.pair } })).json().authenticated).toBe(false);
    expect((await api.app.inject({ url: '/api/models', headers: { cookie: second.pair } })).statusCode).toBe(200);
  });

  it('rejects unknown, forged and malformed session ids', async () => {
    const forged = 'A'.repeat(43);
    for (const cookie of [`sy_admin=${forged}`, 'sy_admin=not-a-session', 'sy_admin=', 'other=1']) {
      expect((await api.app.inject({ url: '/api/models', headers: { cookie } })).statusCode, cookie).toBe(401);
    }
  });

  it('enforces expiry on the server: a session whose key expired is rejected', async () => {
    const { pair } = await signIn();
    const keys = await api.redis.redis.keys(`${api.redis.prefix}:admin-session:*`);
    for (const key of keys) await api.redis.redis.pexpire(key, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await api.app.inject({ url: '/api/models', headers: { cookie: pair } })).statusCode).toBe(401);
  });

  it('marks the cookie Secure when the request came over https (through a TLS-terminating proxy)', async () => {
    const { setCookie } = await signIn({ 'x-forwarded-proto': 'https' });
    expect(setCookie).toContain('; Secure');
    const out = await api.app.inject({ method: 'DELETE', url: '/api/session', headers: { 'x-forwarded-proto': 'https' } });
    expect(String(out.headers['set-cookie'])).toContain('; Secure');
  });

  it('keeps bearer-token auth for the CLI and API clients', async () => {
    expect((await api.app.inject({ url: '/api/models', headers: auth })).statusCode).toBe(200);
    expect((await api.app.inject({ url: '/api/models', headers: { authorization: 'Bearer wrong-token-0123456' } })).statusCode).toBe(401);
    expect((await api.app.inject({ url: '/api/session', headers: auth })).json().authenticated).toBe(true);
  });
});
