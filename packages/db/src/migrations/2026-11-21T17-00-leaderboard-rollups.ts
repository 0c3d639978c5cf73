/**
 * Rollups behind the leaderboard, so it never scans raw `eval_results`: per
 * (model, dataset version, category) running sums, refreshed incrementally from a
 * watermark on `eval_results.id`. Reused results (copies) are not counted twice.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('eval_quality_rollup')
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('dataset_version_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score_sum', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('latency_sum_ms', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('latency_n', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('eval_quality_rollup_pk', ['model_id', 'dataset_version_id', 'category'])
    .execute();

  await db.schema
    .createTable('rollup_watermarks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_id', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createIndex('eval_results_created_idx').on('eval_results').column('created_at').execute();
  await db.schema.createIndex('route_decisions_status_at_idx').on('route_decisions').columns(['status', 'at desc']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('route_decisions_status_at_idx').ifExists().execute();
  await db.schema.dropIndex('eval_results_created_idx').ifExists().execute();
  await db.schema.dropTable('rollup_watermarks').ifExists().execute();
  await db.schema.dropTable('eval_quality_rollup').ifExists().execute();
}
