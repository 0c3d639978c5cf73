/**
 * Test harness: real PostgreSQL and real Redis, isolated per test run or file.
 *
 * Database: TEST_DATABASE_URL if set, else the local server at 127.0.0.1:5432 (user
 * postgres) when it answers, else an embedded one under the OS temp dir. Each call creates
 * a database with a random name, migrates it, and `drop()` removes it.
 * Redis: a random key prefix per test file; `cleanup()` deletes every key under it.
 * Data: `decisionRecord` makes a fresh, unique decision record (what the router writes).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { DecisionRecord } from '@switchyard/core';
import { createDb, type Db } from './database';
import { startEmbeddedPostgres } from './embedded';
import { migrateToLatest } from './migrate';

let adminUrlPromise: Promise<string> | undefined;

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** URL of a server where tests may create databases (the `postgres` database on it). */
export function testAdminUrl(): Promise<string> {
  adminUrlPromise ??= (async () => {
    const explicit = process.env.TEST_DATABASE_URL;
    if (explicit) return explicit;
    const local = 'postgres://postgres@127.0.0.1:5432/postgres';
    if (await answers(local)) return local;
    const embedded = await startEmbeddedPostgres({ dataDir: join(tmpdir(), 'switchyard-test-pg') });
    return embedded.url.replace(/\/switchyard$/, '/postgres');
  })();
  return adminUrlPromise;
}

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = await testAdminUrl();
  const name = `sy_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: 5 });
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    url: url.toString(),
    name,
    db,
    drop: async () => {
      await db.destroy();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export interface TestRedis {
  url: string;
  prefix: string;
  redis: Redis;
  cleanup(): Promise<void>;
}

export async function createTestRedis(): Promise<TestRedis> {
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `sytest-${randomBytes(5).toString('hex')}`;
  const redis = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
  return {
    url,
    prefix,
    redis,
    cleanup: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

export function decisionRecord(overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  const model = overrides.servedModel ?? 'sim/alpha';
  return {
    requestId: randomUUID(),
    at: new Date().toISOString(),
    route: 'auto',
    category: 'general',
    categorySource: 'classifier',
    chosenModel: model,
    servedModel: model,
    candidates: [{ model, weight: 1 }],
    attempts: [{ model: model ?? 'sim/alpha', ok: true, status: 200, latencyMs: 120 }],
    fallbacks: 0,
    policyHash: null,
    status: 200,
    errorCode: null,
    stream: false,
    ttftMs: 80,
    latencyMs: 120,
    promptTokens: 40,
    completionTokens: 12,
    costUsd: 0.00001,
    costEstimated: false,
    apiKeyId: null,
    features: null,
    content: null,
    ...overrides,
  };
}

export function decisionRecords(count: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord[] {
  return Array.from({ length: count }, () => decisionRecord(overrides));
}

/**
 * Twelve decisions of `servedModel` as they arrive at hundreds of requests per second: seven at
 * the same microsecond, four more within its millisecond, one in the next second; request ids
 * `<idPrefix>00` … `<idPrefix>11` in that order. `order` is their ids in the lists' order
 * (`at` desc, then request id desc).
 */
export function decisionsSharingAMillisecond(servedModel: string, idPrefix: string): { records: DecisionRecord[]; order: string[] } {
  const ats = [
    ...Array.from({ length: 7 }, () => '2026-12-07T10:00:00.500500Z'),
    '2026-12-07T10:00:00.500900Z',
    '2026-12-07T10:00:00.500100Z',
    '2026-12-07T10:00:00.500000Z',
    '2026-12-07T10:00:00.499999Z',
    '2026-12-07T10:00:01.000000Z',
  ];
  const records = ats.map((at, index) => decisionRecord({ requestId: `${idPrefix}${String(index).padStart(2, '0')}`, at, servedModel }));
  const order = [...records]
    .sort((a, b) => (a.at === b.at ? (a.requestId < b.requestId ? 1 : -1) : a.at < b.at ? 1 : -1))
    .map((record) => record.requestId);
  return { records, order };
}

/**
 * Policy versions `h-0`, `h-1`, … created at 2026-12-07T10:00:00 plus each of `fractions` of a
 * second (e.g. '.500500': microseconds, so several can share a millisecond); `document(index)`
 * is each one's document.
 */
export async function insertPolicyVersionsAt(db: Db, fractions: readonly string[], document: (index: number) => unknown): Promise<void> {
  await db
    .insertInto('policies')
    .values(
      fractions.map((fraction, index) => ({
        hash: `h-${index}`,
        schema_version: 1,
        parent_hash: null,
        document: JSON.stringify(document(index)),
        created_at: `2026-12-07T10:00:00${fraction}Z`,
      })),
    )
    .execute();
}

/**
 * Every row of a keyset-paged list, `pageSize` at a time: `fetch(after)` returns up to
 * `pageSize + 1` rows after the row keyed `after` (undefined: the first page), as the
 * repositories' lists do; the next page starts after the last row kept.
 */
export async function followAfter<Row>(fetch: (after: string | undefined) => Promise<Row[]>, pageSize: number, keyOf: (row: Row) => string): Promise<Row[]> {
  const maxPages = 20; // a list that never ends fails the test instead of hanging it
  const seen: Row[] = [];
  let after: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const rows = await fetch(after);
    const items = rows.slice(0, pageSize);
    seen.push(...items);
    if (rows.length <= pageSize) return seen;
    after = keyOf(items[items.length - 1] as Row);
  }
  throw new Error(`more than ${maxPages} pages`);
}
