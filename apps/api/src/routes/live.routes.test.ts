import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '@switchyard/core';
import { auth, startTestApi, type TestApi } from './api-test-harness';

/** Read SSE `data:` lines from a fetch response until `count` arrived. */
async function readEvents(response: Response, count: number): Promise<unknown[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: unknown[] = [];
  let buffer = '';
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let index: number;
    while ((index = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      const data = frame.split('\n').find((line) => line.startsWith('data: '));
      if (data) events.push(JSON.parse(data.slice(6)));
    }
  }
  await reader.cancel();
  return events;
}

describe('live SSE, playground proxy and API keys', () => {
  let api: TestApi;
  let router: Server;
  let baseUrl: string;
  const seen: Array<{ authorization: string | undefined; body: Record<string, unknown> }> = [];

  beforeAll(async () => {
    // A stand-in for the router's OpenAI-compatible endpoint (the real router is another app).
    router = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        const body = JSON.parse(text) as Record<string, unknown>;
        seen.push({ authorization: request.headers.authorization, body });
        if (body.model === 'auto:broken') {
          response.writeHead(503, { 'content-type': 'application/json', 'x-switchyard-route': 'broken' });
          response.end(JSON.stringify({ error: { message: 'no model', type: 'api_error', code: 'no_eligible_model' } }));
          return;
        }
        response.writeHead(200, {
          'content-type': 'text/event-stream',
          'x-switchyard-model': 'sim-a/mini',
          'x-switchyard-category': 'math',
          'x-internal': 'hidden',
        });
        response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'Hel' } }] })}\n\n`);
        response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'lo' } }] })}\n\n`);
        response.end('data: [DONE]\n\n');
      });
    });
    await new Promise<void>((resolve) => router.listen(0, '127.0.0.1', resolve));
    const port = (router.address() as AddressInfo).port;
    api = await startTestApi({ router: { port, auth: 'on' } });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await api.close();
    await new Promise((resolve) => router.close(resolve));
  });

  it('streams live events published on Redis to every client, authenticated by cookie', async () => {
    expect((await fetch(`${baseUrl}/api/live`)).status).toBe(401);
    const login = await fetch(`${baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'admin-token-0123456789' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const first = await fetch(`${baseUrl}/api/live`, { headers: { cookie } });
    const second = await fetch(`${baseUrl}/api/live`, { headers: auth });
    expect(first.headers.get('content-type')).toContain('text/event-stream');
    const firstEvents = readEvents(first, 3);
    const secondEvents = readEvents(second, 2);
    // Both clients are subscribed once their hello arrived; give the subscriber a moment to attach.
    const channel = redisKeys(api.redis.prefix).eventsChannel;
    let delivered = 0;
    for (let attempt = 0; attempt < 50 && delivered < 2; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      delivered = await api.redis.redis.pubsub('NUMSUB', channel).then((reply) => Number((reply as [string, number])[1]));
    }
    expect(delivered).toBe(1);
    await api.redis.redis.publish(channel, JSON.stringify({ type: 'policy', hash: 'abc', action: 'publish' }));
    await api.redis.redis.publish(channel, 'not json');
    await api.redis.redis.publish(channel, JSON.stringify({ type: 'probe', model: 'sim-a/mini', at: 'now' }));
    expect(await firstEvents).toEqual([
      expect.objectContaining({ type: 'hello' }),
      { type: 'policy', hash: 'abc', action: 'publish' },
      { type: 'probe', model: 'sim-a/mini', at: 'now' },
    ]);
    expect((await secondEvents)[1]).toEqual({ type: 'policy', hash: 'abc', action: 'publish' });
  });

  it('proxies the playground to the router with a playground key, passing x-switchyard headers through', async () => {
    const response = await fetch(`${baseUrl}/api/playground/chat`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'cheap', messages: [{ role: 'user', content: 'hi' }], hints: { category: 'math' } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-model')).toBe('sim-a/mini');
    expect(response.headers.get('x-switchyard-category')).toBe('math');
    expect(response.headers.get('x-internal')).toBeNull();
    const text = await response.text();
    expect(text).toContain('"Hel"');
    expect(text).toContain('[DONE]');
    expect(seen[0]!.body).toMatchObject({ model: 'auto:cheap', stream: true, switchyard: { category: 'math' } });
    expect(seen[0]!.authorization).toMatch(/^Bearer sy-/);
    const keys = (await api.app.inject({ url: '/api/api-keys', headers: auth })).json();
    expect(keys.items.map((key: { name: string }) => key.name)).toContain('dashboard-playground');
  });

  it('passes router errors through and validates the request', async () => {
    const broken = await fetch(`${baseUrl}/api/playground/chat`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'broken', messages: [{ role: 'user', content: 'hi' }], stream: false }),
    });
    expect(broken.status).toBe(503);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('no_eligible_model');
    const empty = await api.app.inject({ method: 'POST', url: '/api/playground/chat', headers: auth, payload: { messages: [] } });
    expect(empty.statusCode).toBe(400);
    const meta = (await api.app.inject({ url: '/api/meta', headers: auth })).json();
    expect(meta.routerUrl).toBe(`http://127.0.0.1:${(router.address() as AddressInfo).port}`);
  });

  it('creates an API key shown once, lists it without the key, and revokes it', async () => {
    const created = await api.app.inject({ method: 'POST', url: '/api/api-keys', headers: auth, payload: { name: 'ci', routes: ['auto'] } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json();
    expect(key).toMatch(/^sy-/);
    const list = (await api.app.inject({ url: '/api/api-keys', headers: auth })).body;
    expect(list).toContain(id);
    expect(list).not.toContain(key);
    expect((await api.app.inject({ method: 'DELETE', url: `/api/api-keys/${id}`, headers: auth })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'DELETE', url: `/api/api-keys/${id}`, headers: auth })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'DELETE', url: '/api/api-keys/not-a-uuid', headers: auth })).statusCode).toBe(400);
    expect((await api.app.inject({ method: 'POST', url: '/api/api-keys', headers: auth, payload: { name: '' } })).statusCode).toBe(400);
  });
});
