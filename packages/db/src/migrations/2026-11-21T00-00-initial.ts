/**
 * Initial schema, designed for the whole product. Frozen in time: later changes are new
 * migration files. Typed `Kysely<any>` on purpose — the app's types may drift from here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`now()`;

  await db.schema
    .createTable('providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('ok'))
    .addColumn('status_detail', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider_id', 'text', (c) => c.notNull().references('providers.id').onDelete('cascade'))
    .addColumn('upstream_name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('input_price_per_mtok', 'double precision', (c) => c.notNull())
    .addColumn('output_price_per_mtok', 'double precision', (c) => c.notNull())
    .addColumn('cached_input_price_per_mtok', 'double precision')
    .addColumn('price_source', 'text', (c) => c.notNull().defaultTo('catalog'))
    .addColumn('context_window', 'integer')
    .addColumn('max_output_tokens', 'integer')
    .addColumn('capabilities', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('ok'))
    .addColumn('status_detail', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('models_provider_idx').on('models').column('provider_id').execute();

  // Prices seen by catalog-sync that disagree with the configured price: flagged, not applied.
  await db.schema
    .createTable('price_observations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('input_price_per_mtok', 'double precision', (c) => c.notNull())
    .addColumn('output_price_per_mtok', 'double precision', (c) => c.notNull())
    .addColumn('context_window', 'integer')
    .addColumn('disagrees', 'boolean', (c) => c.notNull())
    .addColumn('observed_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('price_observations_model_idx').on('price_observations').columns(['model_id', 'observed_at']).execute();

  // Append-only raw probe samples.
  await db.schema
    .createTable('probe_samples')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.unique())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('prompt_kind', 'text')
    .addColumn('ttft_ms', 'double precision')
    .addColumn('latency_ms', 'double precision')
    .addColumn('output_tokens_per_s', 'double precision')
    .addColumn('input_tokens', 'integer')
    .addColumn('output_tokens', 'integer')
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('ok', 'boolean', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('probe_samples_model_at_idx').on('probe_samples').columns(['model_id', 'at desc']).execute();
  await db.schema.createIndex('probe_samples_at_idx').on('probe_samples').column('at').execute();

  await db.schema
    .createTable('datasets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('upload'))
    .addColumn('license', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('datasets_name_live_idx')
    .on('datasets')
    .column('name')
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();

  // A version's id is the hash of its canonical items: re-uploading the same file is a no-op.
  await db.schema
    .createTable('dataset_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dataset_id', 'uuid', (c) => c.notNull().references('datasets.id'))
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('filename', 'text')
    .addColumn('report', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('dataset_versions_dataset_idx').on('dataset_versions').columns(['dataset_id', 'created_at']).execute();

  await db.schema
    .createTable('dataset_items')
    .addColumn('version_id', 'text', (c) => c.notNull().references('dataset_versions.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('input', 'jsonb', (c) => c.notNull())
    .addColumn('ideal', 'jsonb', (c) => c.notNull())
    .addColumn('grader', 'text', (c) => c.notNull())
    .addColumn('grader_options', 'jsonb')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('choices', 'jsonb')
    .addColumn('meta', 'jsonb')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dataset_items_pk', ['version_id', 'item_id'])
    .execute();
  await db.schema.createIndex('dataset_items_position_idx').on('dataset_items').columns(['version_id', 'position']).execute();
  await db.schema.createIndex('dataset_items_hash_idx').on('dataset_items').column('content_hash').execute();

  await db.schema
    .createTable('eval_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('dataset_version_id', 'text', (c) => c.notNull().references('dataset_versions.id'))
    .addColumn('models', sql`text[]`, (c) => c.notNull())
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('settings_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('spend_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('summary', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('eval_runs_created_idx').on('eval_runs').column('created_at desc').execute();

  // One row per (run, item, model); reused results are copied with `reused_from`.
  await db.schema
    .createTable('eval_results')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('eval_runs.id').onDelete('cascade'))
    .addColumn('dataset_version_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('settings_hash', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision')
    .addColumn('explanation', 'text')
    .addColumn('output', 'text')
    .addColumn('grader_detail', 'jsonb')
    .addColumn('error_code', 'text')
    .addColumn('ttft_ms', 'double precision')
    .addColumn('latency_ms', 'double precision')
    .addColumn('input_tokens', 'integer')
    .addColumn('output_tokens', 'integer')
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_estimated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('reused_from', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('eval_results_run_item_model_uq', ['run_id', 'item_id', 'model_id'])
    .execute();
  await db.schema
    .createIndex('eval_results_reuse_idx')
    .on('eval_results')
    .columns(['dataset_version_id', 'model_id', 'settings_hash', 'item_id'])
    .execute();
  await db.schema.createIndex('eval_results_model_cat_idx').on('eval_results').columns(['model_id', 'category', 'created_at']).execute();

  // Immutable policy versions; the hash of the canonical document is the id.
  await db.schema
    .createTable('policies')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('schema_version', 'integer', (c) => c.notNull())
    .addColumn('parent_hash', 'text')
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().defaultTo('optimizer'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('published_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('policies_created_idx').on('policies').column('created_at desc').execute();

  // The single "current" pointer; moved in the same transaction as an insert.
  await db.schema
    .createTable('policy_pointer')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('policy_hash', 'text', (c) => c.notNull().references('policies.hash'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('policy_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('policy_hash', 'text', (c) => c.notNull().references('policies.hash'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('policy_events_at_idx').on('policy_events').column('at desc').execute();

  await db.schema
    .createTable('routes')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text')
    .addColumn('candidates', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('objective', 'jsonb', (c) => c.notNull())
    .addColumn('constraints', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('updated_by', 'text', (c) => c.notNull().defaultTo('config'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  // Append-only: one row per routed request, idempotent on request id.
  await db.schema
    .createTable('route_decisions')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('chosen_model', 'text')
    .addColumn('served_model', 'text')
    .addColumn('candidates', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('attempts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('fallbacks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('policy_hash', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('stream', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('ttft_ms', 'double precision')
    .addColumn('latency_ms', 'double precision')
    .addColumn('prompt_tokens', 'integer')
    .addColumn('completion_tokens', 'integer')
    .addColumn('cost_usd', 'double precision')
    .addColumn('cost_estimated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('api_key_id', 'text')
    .addColumn('features', 'jsonb')
    .addColumn('content', 'jsonb')
    .execute();
  await db.schema.createIndex('route_decisions_at_idx').on('route_decisions').column('at desc').execute();
  await db.schema.createIndex('route_decisions_route_at_idx').on('route_decisions').columns(['route', 'at desc']).execute();
  await db.schema.createIndex('route_decisions_model_at_idx').on('route_decisions').columns(['served_model', 'at desc']).execute();

  await db.schema
    .createTable('feedback')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('user'))
    .addColumn('detail', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('feedback_request_idx').on('feedback').column('request_id').execute();
  await db.schema.createIndex('feedback_created_idx').on('feedback').column('created_at').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('routes', sql`text[]`)
    .addColumn('models', sql`text[]`)
    .addColumn('rate_limit_per_min', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  // Who changed what, when: routes, models, prices, policies.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('audit_log_target_idx').on('audit_log').columns(['target', 'at desc']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'api_keys',
    'feedback',
    'route_decisions',
    'routes',
    'policy_events',
    'policy_pointer',
    'policies',
    'eval_results',
    'eval_runs',
    'dataset_items',
    'dataset_versions',
    'datasets',
    'probe_samples',
    'price_observations',
    'models',
    'providers',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
