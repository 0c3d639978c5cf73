import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '@switchyard/core';
import { countDecisions, listDecisions } from '@switchyard/db';
import { createTestDatabase, createTestRedis, decisionRecord, decisionRecords, type TestDatabase, type TestRedis } from '@switchyard/db/testing';
import { appendDecisions, decodeDecisionEntry, ensureDecisionGroup, ingestDecisions } from '../src/outcome-ingest';

let database: TestDatabase;
let redis: TestRedis;

beforeAll(async () => {
  [database, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
});
afterAll(async () => {
  await redis?.cleanup();
  await database?.drop();
});

describe('decodeDecisionEntry', () => {
  it('reads the record field and rejects entries that are not decision records', () => {
    const record = decisionRecord();
    expect(decodeDecisionEntry(['record', JSON.stringify(record)])?.requestId).toBe(record.requestId);
    expect(decodeDecisionEntry(['other', 'x', 'data', JSON.stringify(record)])?.requestId).toBe(record.requestId);
    expect(decodeDecisionEntry(['record', '{not json'])).toBeUndefined();
    expect(decodeDecisionEntry(['record', JSON.stringify({ requestId: 'a' })])).toBeUndefined();
    expect(decodeDecisionEntry(['record', JSON.stringify({ ...record, at: 'yesterday' })])).toBeUndefined();
  });
});

describe('outcome-ingest', { timeout: 60_000 }, () => {
  it('moves every record into Postgres once, acknowledges and empties the stream', async () => {
    const prefix = `${redis.prefix}-a`;
    const records = decisionRecords(2_500, { route: 'ingest-a' });
    // A duplicate delivery of the same request and a malformed entry.
    records.push({ ...(records[0] as (typeof records)[number]) });
    await appendDecisions(redis.redis, prefix, records);
    await redis.redis.xadd(redisKeys(prefix).decisions, '*', 'record', 'garbage');
    // Well-formed JSON with a value Postgres cannot take: dropped alone, not with its batch.
    await redis.redis.xadd(redisKeys(prefix).decisions, '*', 'record', JSON.stringify({ ...decisionRecord({ route: 'ingest-a' }), ttftMs: 'soon' }));

    const result = await ingestDecisions({ db: database.db, redis: redis.redis, prefix }, { batchSize: 1000, consumer: 'c1' });
    expect(result.read).toBe(2_503);
    expect(result.inserted).toBe(2_500);
    expect(result.malformed).toBe(2);
    expect(await redis.redis.xlen(redisKeys(prefix).decisions)).toBe(0);
    const rows = await listDecisions(database.db, { route: 'ingest-a', limit: 1000 });
    expect(rows).toHaveLength(1000);
    const first = records[5]!;
    const row = (await database.db.selectFrom('route_decisions').selectAll().where('request_id', '=', first.requestId).executeTakeFirstOrThrow());
    expect(row.served_model).toBe(first.servedModel);
    expect(row.candidates).toEqual(first.candidates);
    expect(row.cost_usd).toBeCloseTo(first.costUsd ?? 0);

    // Running again finds nothing new.
    const again = await ingestDecisions({ db: database.db, redis: redis.redis, prefix }, { batchSize: 1000, consumer: 'c1' });
    expect(again.read).toBe(0);
  });

  it('after a crash between insert and acknowledgement, another consumer claims the entries without duplicating rows', async () => {
    const prefix = `${redis.prefix}-b`;
    const keys = redisKeys(prefix);
    const records = decisionRecords(300, { route: 'ingest-b' });
    await appendDecisions(redis.redis, prefix, records);
    await ensureDecisionGroup(redis.redis, prefix);

    // A consumer reads 100 entries, commits them, and dies before XACK.
    const delivered = (await redis.redis.xreadgroup('GROUP', keys.decisionsGroup, 'dead', 'COUNT', 100, 'STREAMS', keys.decisions, '>')) as Array<
      [string, Array<[string, string[]]>]
    >;
    const deliveredRecords = delivered[0]![1].map(([, fields]) => decodeDecisionEntry(fields)!);
    const { insertDecisions } = await import('@switchyard/db');
    expect(await insertDecisions(database.db, deliveredRecords)).toBe(100);

    const before = await countDecisions(database.db);
    const result = await ingestDecisions({ db: database.db, redis: redis.redis, prefix }, { batchSize: 64, consumer: 'alive', claimIdleMs: 0 });
    expect(result.claimed).toBe(100);
    expect(result.read).toBe(300);
    expect(result.inserted).toBe(200);
    expect((await countDecisions(database.db)) - before).toBe(200);
    const pending = (await redis.redis.xpending(keys.decisions, keys.decisionsGroup)) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });

  it('leaves entries pending when the database write fails, and a later run ingests them', async () => {
    const prefix = `${redis.prefix}-c`;
    const keys = redisKeys(prefix);
    const broken = await createTestDatabase();
    await broken.db.schema.dropTable('route_decisions').execute();
    await appendDecisions(redis.redis, prefix, decisionRecords(50, { route: 'ingest-c' }));
    await expect(ingestDecisions({ db: broken.db, redis: redis.redis, prefix }, { batchSize: 100, consumer: 'c1' })).rejects.toThrow();
    await broken.drop();
    const pending = (await redis.redis.xpending(keys.decisions, keys.decisionsGroup)) as [number, ...unknown[]];
    expect(pending[0]).toBe(50);

    const result = await ingestDecisions({ db: database.db, redis: redis.redis, prefix }, { batchSize: 100, consumer: 'c2', claimIdleMs: 0 });
    expect(result.inserted).toBe(50);
    expect(await listDecisions(database.db, { route: 'ingest-c' })).toHaveLength(50);
  });
});
