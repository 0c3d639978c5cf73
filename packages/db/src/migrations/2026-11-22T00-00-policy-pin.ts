/**
 * A pinned current policy: a rollback or a policy published by hand is a person's choice, and
 * the optimizer must not replace it a minute later. The pin lives on the `current` pointer
 * (who pinned it and when) until someone unpins it to resume learning.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('policy_pointer')
    .addColumn('pinned_by', 'text')
    .addColumn('pinned_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('policy_pointer').dropColumn('pinned_by').dropColumn('pinned_at').execute();
}
