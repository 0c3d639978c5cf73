import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database';
import type { AuditRow } from '../tables/audit.table';

export async function recordAudit(
  db: Kysely<Database> | Transaction<Database>,
  entry: { actor: string; action: string; target: string; detail: unknown },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      detail: entry.detail === null || entry.detail === undefined ? null : JSON.stringify(entry.detail),
    })
    .execute();
}

export function listAudit(db: Kysely<Database>, options: { target?: string; limit?: number } = {}): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit ?? 100);
  if (options.target) query = query.where('target', '=', options.target);
  return query.execute();
}
