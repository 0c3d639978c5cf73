import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis, decisionRecord, type TestRedis } from '@switchyard/db/testing';
import { DECISION_FIELD, DecisionRecorder } from './decision-recorder';

const record = (requestId: string) => decisionRecord({ requestId });

let testRedis: TestRedis;
beforeAll(async () => {
  testRedis = await createTestRedis();
  await testRedis.redis.ping();
});
afterAll(async () => {
  await testRedis.cleanup();
});

describe('DecisionRecorder', () => {
  it('writes batches to the stream with MAXLEN', async () => {
    const key = `${testRedis.prefix}:decisions`;
    const written: number[] = [];
    const recorder = new DecisionRecorder({ redis: testRedis.redis, streamKey: key, maxLen: 100, batchSize: 7, onWritten: (count) => written.push(count) });
    for (let index = 0; index < 20; index += 1) recorder.record(record(`r${index}`));
    await recorder.close();
    const entries = await testRedis.redis.xrange(key, '-', '+');
    expect(entries).toHaveLength(20);
    expect(JSON.parse(entries[0]![1][1] as string)).toMatchObject({ requestId: 'r0' });
    expect(entries[0]![1][0]).toBe(DECISION_FIELD);
    expect(recorder.written).toBe(20);
    expect(written.reduce((sum, count) => sum + count, 0)).toBe(20);
  });

  it('never blocks and counts drops while Redis is down', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on('error', () => undefined);
    let dropped = 0;
    const recorder = new DecisionRecorder({ redis: down, streamKey: 'x', maxLen: 10, maxBuffered: 5, onDropped: (count) => (dropped += count) });
    // record() is synchronous: it returns without waiting for Redis.
    for (let index = 0; index < 12; index += 1) expect(recorder.record(record(`d${index}`))).toBeUndefined();
    expect(recorder.buffered).toBe(5);
    expect(dropped).toBe(7);
    await recorder.close();
    down.disconnect();
  });
});
