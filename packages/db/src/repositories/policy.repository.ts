import { sql } from 'kysely';
import { SwitchyardError } from '@switchyard/core';
import type { Db } from '../database';
import { afterRow, refuseUnknownAfter, type Keyset } from './keyset';
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
  | { published: false; reason: 'unchanged' | 'parent_moved'; currentHash: string | null }
  | { published: false; reason: 'pinned'; currentHash: string | null; pin: PolicyPin };

/** Who pinned the current policy, and when. */
export interface PolicyPin {
  hash: string;
  by: string;
  at: Date;
}

export interface PublishOptions {
  /** Refuse when another publish moved the pointer meanwhile. */
  expectedParent?: string | null;
  action?: 'publish' | 'rollback';
  /** A person's choice: pin the version, so the optimizer does not replace it. */
  pinnedBy?: string;
  /** The optimizer's publish: refused while the current version is pinned. */
  unlessPinned?: boolean;
}

/**
 * Insert an immutable policy version (a no-op if the hash exists) and move the current
 * pointer to it, in one transaction under an advisory lock. With `expectedParent`, the
 * publish is refused when another publish moved the pointer meanwhile; with `unlessPinned`,
 * when a person pinned the current version. With `pinnedBy`, the version is pinned (also when
 * it is current already).
 */
export async function publishPolicy(db: Db, input: PolicyVersionInput, options: PublishOptions = {}): Promise<PublishOutcome> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${PUBLISH_LOCK})`.execute(trx);
    const current = await trx.selectFrom('policy_pointer').select(['policy_hash', 'pinned_by', 'pinned_at']).where('name', '=', CURRENT).executeTakeFirst();
    const currentHash = current?.policy_hash ?? null;
    if (options.unlessPinned && current?.pinned_by && current.pinned_at) {
      return { published: false, reason: 'pinned', currentHash, pin: { hash: current.policy_hash, by: current.pinned_by, at: current.pinned_at } };
    }
    const pin = options.pinnedBy === undefined ? { pinned_by: null, pinned_at: null } : { pinned_by: options.pinnedBy, pinned_at: sql<Date>`now()` };
    if (currentHash === input.hash) {
      if (options.pinnedBy !== undefined) await trx.updateTable('policy_pointer').set(pin).where('name', '=', CURRENT).execute();
      return { published: false, reason: 'unchanged', currentHash };
    }
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
      .values({ name: CURRENT, policy_hash: input.hash, ...pin })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ policy_hash: input.hash, updated_at: sql<Date>`now()`, ...pin }))
      .execute();
    await trx
      .insertInto('policy_events')
      .values({ policy_hash: input.hash, action: options.action ?? 'publish', actor: input.createdBy })
      .execute();
    return { published: true, hash: input.hash, previousHash: currentHash };
  });
}

/** Point `current` at an existing version (rollback), pinned unless `pin` is false. Undefined when there is no such version. */
export async function rollbackPolicy(db: Db, hash: string, actor: string, pin = true): Promise<{ outcome: PublishOutcome; row: PolicyRow } | undefined> {
  const row = await getPolicy(db, hash);
  if (!row) return undefined;
  const outcome = await publishPolicy(
    db,
    { hash: row.hash, schemaVersion: row.schema_version, parentHash: row.parent_hash, document: row.document, createdBy: actor },
    { action: 'rollback', ...(pin ? { pinnedBy: actor } : {}) },
  );
  return { outcome, row };
}

/** The pin on the current policy, if a person pinned it. */
export async function getPolicyPin(db: Db): Promise<PolicyPin | null> {
  const row = await db.selectFrom('policy_pointer').select(['policy_hash', 'pinned_by', 'pinned_at']).where('name', '=', CURRENT).executeTakeFirst();
  return row?.pinned_by && row.pinned_at ? { hash: row.policy_hash, by: row.pinned_by, at: row.pinned_at } : null;
}

/** Lift the pin so the optimizer publishes again; false when nothing was pinned. */
export async function unpinPolicy(db: Db, actor: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${PUBLISH_LOCK})`.execute(trx);
    const lifted = await trx
      .updateTable('policy_pointer')
      .set({ pinned_by: null, pinned_at: null })
      .where('name', '=', CURRENT)
      .where('pinned_by', 'is not', null)
      .returning('policy_hash')
      .executeTakeFirst();
    if (!lifted) return false;
    await trx.insertInto('policy_events').values({ policy_hash: lifted.policy_hash, action: 'unpin', actor }).execute();
    return true;
  });
}

export function getPolicy(db: Db, hash: string): Promise<PolicyRow | undefined> {
  return db.selectFrom('policies').selectAll().where('hash', '=', hash).executeTakeFirst();
}

/** Shortest hash prefix accepted in place of a full policy hash (the dashboard shows 8–12). */
export const MIN_POLICY_HASH_PREFIX = 6;
/** How many matches an "ambiguous prefix" error lists. */
const AMBIGUOUS_LISTED = 5;

/**
 * A version by its full hash or by a unique prefix of at least `MIN_POLICY_HASH_PREFIX` hex
 * characters (as the dashboard and `policy show` print them); undefined when none matches.
 * A prefix that matches several versions throws a `bad_request` naming some of them, and
 * `param` (when given) as the request parameter at fault.
 */
export async function findPolicy(db: Db, reference: string, param?: string): Promise<PolicyRow | undefined> {
  const exact = await getPolicy(db, reference);
  if (exact) return exact;
  const prefix = reference.toLowerCase();
  if (!new RegExp(`^[0-9a-f]{${MIN_POLICY_HASH_PREFIX},}$`).test(prefix)) return undefined;
  // Hex only (checked above), so the prefix holds no LIKE wildcards.
  const matches = await db
    .selectFrom('policies')
    .selectAll()
    .where('hash', 'like', `${prefix}%`)
    .orderBy('created_at', 'desc')
    .limit(AMBIGUOUS_LISTED + 1)
    .execute();
  if (matches.length === 0) return undefined;
  if (matches.length > 1) {
    const listed = matches.slice(0, AMBIGUOUS_LISTED).map((match) => match.hash.slice(0, 16));
    throw new SwitchyardError(
      'bad_request',
      `Policy hash prefix ${reference} is ambiguous: it matches ${listed.join(', ')}${matches.length > AMBIGUOUS_LISTED ? ' and more' : ''}. Give more characters.`,
      param === undefined ? {} : { param },
    );
  }
  return matches[0];
}

export async function getCurrentPolicy(db: Db): Promise<PolicyRow | undefined> {
  return db
    .selectFrom('policy_pointer')
    .innerJoin('policies', 'policies.hash', 'policy_pointer.policy_hash')
    .selectAll('policies')
    .where('policy_pointer.name', '=', CURRENT)
    .executeTakeFirst();
}

/** The policy versions' order, newest first. */
const POLICIES_KEYSET: Keyset = { table: 'policies', time: 'created_at', key: 'hash', noun: 'policy version' };

/**
 * Policy versions, newest first (`created_at desc, hash desc`), without their documents.
 * `before` keeps the versions strictly older than a time (a `Date`: to the millisecond, while
 * `created_at` has microseconds). `after` is the exact keyset: the hash of the last version of
 * the previous page; the versions after it in this order are listed, compared with its own
 * `created_at` in SQL. An `after` that names no version is a `bad_request` (param `cursor`).
 */
export async function listPolicies(
  db: Db,
  options: { limit?: number; before?: Date; after?: string } = {},
): Promise<Array<Omit<PolicyRow, 'document'>>> {
  let query = db
    .selectFrom('policies')
    .select(['hash', 'schema_version', 'parent_hash', 'created_by', 'note', 'created_at', 'published_at'])
    .orderBy('created_at', 'desc')
    .orderBy('hash', 'desc')
    .limit(options.limit ?? 50);
  if (options.before) query = query.where('created_at', '<', options.before);
  if (options.after !== undefined) query = query.where(afterRow(POLICIES_KEYSET, options.after));
  const rows = await query.execute();
  await refuseUnknownAfter(db, POLICIES_KEYSET, options.after, rows.length === 0);
  return rows;
}

export function listPolicyEvents(db: Db, limit = 100): Promise<PolicyEventRow[]> {
  return db.selectFrom('policy_events').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
