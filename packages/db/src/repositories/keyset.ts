/**
 * Keyset pagination of a list ordered by (time desc, key desc), shared by the decisions list
 * and the policy versions: a page is the rows after the last row of the previous one, named by
 * its key. That row's time is read in SQL, so none of its microseconds are lost on the way
 * through a JavaScript `Date` (paging by the time alone skips the rows sharing its millisecond).
 */
import { sql, type RawBuilder } from 'kysely';
import { SwitchyardError } from '@switchyard/core';
import type { Db } from '../database';

/** A list's order: its table, its time column and its unique key column, and what a row is called. */
export interface Keyset {
  table: string;
  time: string;
  key: string;
  /** What a row is, for the error: "decision", "policy version". */
  noun: string;
}

/**
 * The rows after the one keyed `after` in the list's order. Two scalars, not one row subquery,
 * so the row comparison stays an index condition.
 */
export function afterRow(keyset: Keyset, after: string): RawBuilder<boolean> {
  const anchorTime = sql`(select ${sql.ref(`anchor.${keyset.time}`)} from ${sql.table(keyset.table)} as anchor where ${sql.ref(`anchor.${keyset.key}`)} = ${after})`;
  return sql<boolean>`(${sql.ref(keyset.time)}, ${sql.ref(keyset.key)}) < (${anchorTime}, ${after})`;
}

/**
 * Refuses an `after` that names no row (a `bad_request` on `cursor`, as the API calls it). A
 * page after a listed row is empty only at the end of the list, so the row is looked up only
 * when the page came back empty.
 */
export async function refuseUnknownAfter(db: Db, keyset: Keyset, after: string | undefined, pageIsEmpty: boolean): Promise<void> {
  if (after === undefined || !pageIsEmpty) return;
  const found = await sql`select 1 from ${sql.table(keyset.table)} where ${sql.ref(keyset.key)} = ${after}`.execute(db);
  if (found.rows.length === 0) {
    throw new SwitchyardError('bad_request', `\`cursor\` names no ${keyset.noun}: start again from the first page, without \`cursor\``, { param: 'cursor' });
  }
}
