/**
 * GET /api/decisions?model=X lists the requests that count for X: `coalesce(served_model,
 * chosen_model, '(none)') = X` (the repository's `attributedModel`), newest first by
 * `(at, request_id)`. `route_decisions_model_at_idx` is on `served_model` alone, so it cannot
 * serve that filter, and a rare model's page walked the whole `at` index. This index has the
 * filter's expression, then the list's order and keyset, so a page is one index range read in
 * order. The expression must stay exactly the repository's: the planner matches it as written.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index route_decisions_attributed_model_at_idx
    on route_decisions ((coalesce(served_model, chosen_model, '(none)')), at desc, request_id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index route_decisions_attributed_model_at_idx`.execute(db);
}
