/**
 * GET /api/decisions?model=X lists the requests that count for X: `coalesce(served_model,
 * chosen_model, '(none)') = X` (the repository's `attributedModel`), newest first by
 * `(at, request_id)`. `route_decisions_model_at_idx` is on `served_model` alone, so it cannot
 * serve that filter, and a rare model's page walked the whole `at` index. This index has the
 * filter's expression, then the list's order and keyset, so a page is one index range read in
 * order. The expression must stay exactly the repository's: the planner matches it as written.
 *
 * Migrations run in a transaction, where Postgres cannot build an index concurrently, so this
 * one blocks writes to `route_decisions` while it builds. On a large table, build it first
 * without blocking them (`psql "$DATABASE_URL"`, outside a transaction):
 *
 *   create index concurrently if not exists route_decisions_attributed_model_at_idx
 *     on route_decisions ((coalesce(served_model, chosen_model, '(none)')), at desc, request_id desc);
 *
 * and the migration finds it and only records itself. A concurrent build that failed leaves an
 * invalid index under that name; the migration drops it and builds it again.
 */
import { sql, type Kysely } from 'kysely';

export const ATTRIBUTED_MODEL_INDEX = 'route_decisions_attributed_model_at_idx';
/** What the index is on (the comment above spells out the same for the operator). */
export const ATTRIBUTED_MODEL_INDEX_ON = sql`route_decisions ((coalesce(served_model, chosen_model, '(none)')), at desc, request_id desc)`;

export async function up(db: Kysely<any>): Promise<void> {
  const existing = await sql<{ valid: boolean }>`select indisvalid as valid from pg_index
    where indexrelid = to_regclass(${ATTRIBUTED_MODEL_INDEX})`.execute(db);
  if (existing.rows[0]?.valid === false) await sql`drop index ${sql.id(ATTRIBUTED_MODEL_INDEX)}`.execute(db);
  await sql`create index if not exists ${sql.id(ATTRIBUTED_MODEL_INDEX)} on ${ATTRIBUTED_MODEL_INDEX_ON}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists ${sql.id(ATTRIBUTED_MODEL_INDEX)}`.execute(db);
}
