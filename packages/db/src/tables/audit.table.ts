import type { Generated, Insertable, Selectable } from 'kysely';
import type { DefaultTimestamp, Json } from './provider.table';

export interface AuditLogTable {
  id: Generated<string>;
  actor: string;
  action: string;
  target: string;
  detail: Json<Record<string, unknown>> | null;
  at: DefaultTimestamp;
}
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
