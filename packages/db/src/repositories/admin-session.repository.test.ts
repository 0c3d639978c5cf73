import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis, type TestRedis } from '../testing';
import { adminSessionValid, createAdminSession, deleteAdminSession } from './admin-session.repository';

describe('admin sessions', () => {
  let test: TestRedis;
  beforeAll(async () => {
    test = await createTestRedis();
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('hold for the token they were opened with, end at sign-out, and end when the admin token changes', async () => {
    const id = await createAdminSession(test.redis, test.prefix, 'token-one-0123456789');
    expect(await adminSessionValid(test.redis, test.prefix, id, 'token-one-0123456789')).toBe(true);
    // A leaked token is changed: every session opened with it stops working.
    expect(await adminSessionValid(test.redis, test.prefix, id, 'token-two-0123456789')).toBe(false);
    expect(await adminSessionValid(test.redis, test.prefix, 'x'.repeat(43), 'token-one-0123456789')).toBe(false);
    await deleteAdminSession(test.redis, test.prefix, id);
    expect(await adminSessionValid(test.redis, test.prefix, id, 'token-one-0123456789')).toBe(false);
  });

  it('answers 503 instead of hanging when Redis does not answer', async () => {
    // A server that accepts the connection and never replies: the command waits forever.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const redis = new Redis({ host: '127.0.0.1', port: (silent.address() as AddressInfo).port, maxRetriesPerRequest: null, lazyConnect: true, commandTimeout: 200 });
    try {
      const check = adminSessionValid(redis, test.prefix, 'y'.repeat(43), 'token-one-0123456789');
      await expect(check).rejects.toMatchObject({ code: 'unavailable', status: 503 });
    } finally {
      redis.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
