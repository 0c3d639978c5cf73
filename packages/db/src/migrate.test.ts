import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { appliedMigrations, migrateDown, migrateToLatest } from './migrate';
import { migrations } from './migrations/index';
import { ATTRIBUTED_MODEL_INDEX, ATTRIBUTED_MODEL_INDEX_ON } from './migrations/2026-12-07T00-00-decisions-attributed-model-index';
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

  it('runs up, is a no-op the second time, goes all the way down and up again', async () => {
    const first = await migrateToLatest(test.db);
    expect(first[0]).toBe('2026-11-21T00-00-initial');
    expect(first).toEqual(Object.keys(migrations).sort());
    const tablesAfterUp = await tables();
    expect(tablesAfterUp).toEqual(expect.arrayContaining(['policies', 'policy_pointer', 'route_decisions', 'probe_samples', 'eval_results']));
    expect(await migrateToLatest(test.db)).toEqual([]);

    for (const name of [...first].reverse()) expect(await migrateDown(test.db)).toEqual([name]);
    expect(await tables()).toEqual([]);
    expect(await appliedMigrations(test.db)).toEqual([]);

    expect(await migrateToLatest(test.db)).toEqual(first);
    expect(await tables()).toEqual(tablesAfterUp);
  });

  /** Down past the migrations after `underTest`, then down `underTest` itself; returns the later ones. */
  const downThrough = async (underTest: string): Promise<string[]> => {
    const later = Object.keys(migrations)
      .sort()
      .filter((name) => name > underTest);
    for (const name of [...later].reverse()) expect(await migrateDown(test.db)).toEqual([name]);
    expect(await migrateDown(test.db)).toEqual([underTest]);
    return later;
  };

  it('clears the tokens/s of probes whose answer came in one burst, and keeps measured rates', async () => {
    await migrateToLatest(test.db);
    const underTest = '2026-11-21T22-00-probe-burst-rates';
    const later = await downThrough(underTest);
    await sql`insert into probe_samples (model_id, kind, ttft_ms, latency_ms, output_tokens_per_s, output_tokens, ok)
      values ('m/burst', 'latency', 100, 100.02, 536740, 16, true), ('m/streamed', 'latency', 100, 300, 155, 32, true), ('m/none', 'latency', 90, 90, null, 16, true)`.execute(test.db);
    expect(await migrateToLatest(test.db)).toEqual([underTest, ...later]);
    const rows = await sql<{ model_id: string; output_tokens_per_s: number | null }>`select model_id, output_tokens_per_s from probe_samples order by model_id`.execute(test.db);
    expect(rows.rows).toEqual([
      { model_id: 'm/burst', output_tokens_per_s: null },
      { model_id: 'm/none', output_tokens_per_s: null },
      { model_id: 'm/streamed', output_tokens_per_s: 155 },
    ]);
  });

  it('keeps an attributed-model index built beforehand without blocking writes, and rebuilds one a failed build left invalid', async () => {
    await migrateToLatest(test.db);
    const underTest = '2026-12-07T00-00-decisions-attributed-model-index';
    const later = await downThrough(underTest);
    const index = async () =>
      (
        await sql<{ oid: number; valid: boolean }>`select indexrelid::int as oid, indisvalid as valid from pg_index where indexrelid = to_regclass(${ATTRIBUTED_MODEL_INDEX})`.execute(
          test.db,
        )
      ).rows[0];
    expect(await index()).toBeUndefined();

    // What the migration's comment tells an operator with a large table to run first.
    await sql`create index concurrently if not exists ${sql.id(ATTRIBUTED_MODEL_INDEX)} on ${ATTRIBUTED_MODEL_INDEX_ON}`.execute(test.db);
    const built = await index();
    expect(built?.valid).toBe(true);
    expect(await migrateToLatest(test.db)).toEqual([underTest, ...later]);
    expect(await index()).toEqual(built);

    // A concurrent build that failed leaves the index marked invalid: the migration builds it again.
    await downThrough(underTest);
    await sql`create index ${sql.id(ATTRIBUTED_MODEL_INDEX)} on ${ATTRIBUTED_MODEL_INDEX_ON}`.execute(test.db);
    await sql`update pg_index set indisvalid = false where indexrelid = to_regclass(${ATTRIBUTED_MODEL_INDEX})`.execute(test.db);
    const invalid = await index();
    expect(invalid?.valid).toBe(false);
    expect(await migrateToLatest(test.db)).toEqual([underTest, ...later]);
    const rebuilt = await index();
    expect(rebuilt?.valid).toBe(true);
    expect(rebuilt?.oid).not.toBe(invalid?.oid);
  });

  it('drops the served-model index no query reads since the attributed-model one, and its down puts it back', async () => {
    await migrateToLatest(test.db);
    const exists = async () =>
      (await sql<{ name: string | null }>`select to_regclass('route_decisions_model_at_idx')::text as name`.execute(test.db)).rows[0]?.name !== null;
    expect(await exists()).toBe(false);
    await downThrough('2026-12-08T00-00-drop-served-model-index');
    expect(await exists()).toBe(true);
    await migrateToLatest(test.db);
    expect(await exists()).toBe(false);
  });
});
