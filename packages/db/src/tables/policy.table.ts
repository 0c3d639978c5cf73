import type { Generated, Insertable, Selectable } from 'kysely';
import type { DefaultTimestamp, Json, Timestamp } from './provider.table';

export interface PoliciesTable {
  hash: string;
  schema_version: number;
  parent_hash: string | null;
  /** The canonical policy document; parse it with @switchyard/policy. */
  document: Json<Record<string, unknown>>;
  created_by: Generated<string>;
  note: string | null;
  created_at: DefaultTimestamp;
  published_at: Timestamp | null;
}
export type PolicyRow = Selectable<PoliciesTable>;
export type NewPolicyRow = Insertable<PoliciesTable>;

export interface PolicyPointerTable {
  name: string;
  policy_hash: string;
  updated_at: DefaultTimestamp;
  /** Who pinned the current policy (a rollback or a hand publish); the optimizer leaves it alone until unpinned. */
  pinned_by: string | null;
  pinned_at: Timestamp | null;
}

export interface PolicyEventsTable {
  id: Generated<string>;
  policy_hash: string;
  /** `publish`, `rollback` or `unpin`. */
  action: string;
  actor: string;
  at: DefaultTimestamp;
}
export type PolicyEventRow = Selectable<PolicyEventsTable>;
