/**
 * `route_decisions_model_at_idx` (`served_model, at desc`, from the initial migration) served the
 * decisions list filtered by the model that served. That list now filters by the model a request
 * counts for and reads `route_decisions_attributed_model_at_idx` (2026-12-07); no query filters
 * on `served_model` any more, so the old index only costs a write on every ingested decision.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists route_decisions_model_at_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('route_decisions_model_at_idx').ifNotExists().on('route_decisions').columns(['served_model', 'at desc']).execute();
}
