import { sql } from 'kysely';
import type { Db } from '../database';
import type { PolicyEventRow, PolicyRow } from '../tables/policy.table';

const CURRENT = 'current';
/** Advisory lock key serializing publishes across optimizer workers and the API. */
const PUBLISH_LOCK = 7_310_001;

export interface PolicyVersionInput {
  hash: string;
  schemaVersion: number;
  parentHash: string | null;
  document: Record<string, unknown>;
  createdBy: string;
  note?: string | null;
}

export type PublishOutcome =
  | { published: true; hash: string; previousHash: string | null }
  | { published: false; reason: 'unchanged' | 'parent_moved'; currentHash: string | null };

/**
 * Insert an immutable policy version (a no-op if the hash exists) and move the current
 * pointer to it, in one transaction under an advisory lock. With `expectedParent`, the
 * publish is refused when another publish moved the pointer meanwhile.
 */
export async function publishPolicy(
  db: Db,
  input: PolicyVersionInput,
  options: { expectedParent?: string | null; action?: 'publish' | 'rollback' } = {},
): Promise<PublishOutcome> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${PUBLISH_LOCK})`.execute(trx);
    const current = await trx.selectFrom('policy_pointer').select('policy_hash').where('name', '=', CURRENT).executeTakeFirst();
    const currentHash = current?.policy_hash ?? null;
    if (currentHash === input.hash) return { published: false, reason: 'unchanged', currentHash };
    if (options.expectedParent !== undefined && options.expectedParent !== currentHash) {
      return { published: false, reason: 'parent_moved', currentHash };
    }
    await trx
      .insertInto('policies')
      .values({
        hash: input.hash,
        schema_version: input.schemaVersion,
        parent_hash: input.parentHash,
        document: JSON.stringify(input.document),
        created_by: input.createdBy,
        note: input.note ?? null,
      })
      .onConflict((conflict) => conflict.column('hash').doNothing())
      .execute();
    await trx
      .updateTable('policies')
      .set({ published_at: sql<Date>`coalesce(published_at, now())` })
      .where('hash', '=', input.hash)
      .execute();
    await trx
      .insertInto('policy_pointer')
      .values({ name: CURRENT, policy_hash: input.hash })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ policy_hash: input.hash, updated_at: sql<Date>`now()` }))
      .execute();
    await trx
      .insertInto('policy_events')
      .values({ policy_hash: input.hash, action: options.action ?? 'publish', actor: input.createdBy })
      .execute();
    return { published: true, hash: input.hash, previousHash: currentHash };
  });
}

/** Point `current` at an existing version (rollback). */
export async function rollbackPolicy(db: Db, hash: string, actor: string): Promise<PublishOutcome | undefined> {
  const row = await getPolicy(db, hash);
  if (!row) return undefined;
  return publishPolicy(
    db,
    { hash: row.hash, schemaVersion: row.schema_version, parentHash: row.parent_hash, document: row.document, createdBy: actor },
    { action: 'rollback' },
  );
}

export function getPolicy(db: Db, hash: string): Promise<PolicyRow | undefined> {
  return db.selectFrom('policies').selectAll().where('hash', '=', hash).executeTakeFirst();
}

export async function getCurrentPolicy(db: Db): Promise<PolicyRow | undefined> {
  return db
    .selectFrom('policy_pointer')
    .innerJoin('policies', 'policies.hash', 'policy_pointer.policy_hash')
    .selectAll('policies')
    .where('policy_pointer.name', '=', CURRENT)
    .executeTakeFirst();
}

/** Policy versions, newest first, without their documents. */
export function listPolicies(
  db: Db,
  options: { limit?: number; before?: Date } = {},
): Promise<Array<Omit<PolicyRow, 'document'>>> {
  let query = db
    .selectFrom('policies')
    .select(['hash', 'schema_version', 'parent_hash', 'created_by', 'note', 'created_at', 'published_at'])
    .orderBy('created_at', 'desc')
    .limit(options.limit ?? 50);
  if (options.before) query = query.where('created_at', '<', options.before);
  return query.execute();
}

export function listPolicyEvents(db: Db, limit = 100): Promise<PolicyEventRow[]> {
  return db.selectFrom('policy_events').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
