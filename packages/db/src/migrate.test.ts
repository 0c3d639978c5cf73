import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { appliedMigrations, migrateDown, migrateToLatest } from './migrate';
import { createTestDatabase, type TestDatabase } from './testing';

describe('migrations', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await test.drop();
  });

  const tables = async () =>
    (
      await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'switchyard_migrations%' order by 1`.execute(
        test.db,
      )
    ).rows.map((row) => row.table_name);

  it('runs up, is a no-op the second time, goes down and up again', async () => {
    const first = await migrateToLatest(test.db);
    expect(first).toEqual(['2026-11-21T00-00-initial']);
    expect(await tables()).toContain('route_decisions');
    expect(await migrateToLatest(test.db)).toEqual([]);

    expect(await migrateDown(test.db)).toEqual(['2026-11-21T00-00-initial']);
    expect(await tables()).toEqual([]);
    expect(await appliedMigrations(test.db)).toEqual([]);

    expect(await migrateToLatest(test.db)).toEqual(['2026-11-21T00-00-initial']);
    expect((await tables()).length).toBe(17);
  });
});
