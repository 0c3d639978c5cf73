import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '@switchyard/core';
import { loadCurrentPolicy, publishAndAnnounce, rollbackAndAnnounce } from './policy-publisher';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from './testing';

describe('policy publisher', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
  });
  afterAll(async () => {
    await redis.cleanup();
    await database.drop();
  });

  it('publishes to Postgres, caches in Redis and notifies subscribers', async () => {
    const subscriber = redis.redis.duplicate();
    const received: string[] = [];
    await subscriber.subscribe(redisKeys(redis.prefix).policyChannel);
    subscriber.on('message', (_channel, message) => received.push(message));

    expect(await loadCurrentPolicy(database.db, redis.redis, redis.prefix)).toBeUndefined();
    const outcome = await publishAndAnnounce(database.db, redis.redis, redis.prefix, {
      hash: 'h1',
      schemaVersion: 1,
      parentHash: null,
      document: { schemaVersion: 1, n: 1 },
      createdBy: 'test',
    });
    expect(outcome.published).toBe(true);
    await publishAndAnnounce(database.db, redis.redis, redis.prefix, {
      hash: 'h2',
      schemaVersion: 1,
      parentHash: 'h1',
      document: { schemaVersion: 1, n: 2 },
      createdBy: 'test',
    });
    expect(await loadCurrentPolicy(database.db, redis.redis, redis.prefix)).toEqual({ hash: 'h2', document: { schemaVersion: 1, n: 2 } });

    await rollbackAndAnnounce(database.db, redis.redis, redis.prefix, 'h1', 'alice');
    expect((await loadCurrentPolicy(database.db, redis.redis, redis.prefix))?.hash).toBe('h1');
    // Without Redis the router falls back to Postgres.
    expect((await loadCurrentPolicy(database.db, undefined, redis.prefix))?.hash).toBe('h1');

    await expect.poll(() => received, { timeout: 2000 }).toEqual(['h1', 'h2', 'h1']);
    subscriber.disconnect();
  });
});
