import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp with a database default: optional on insert. */
export type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T> = ColumnType<T, T | string, T | string>;

export interface ProvidersTable {
  id: string;
  type: string;
  base_url: string | null;
  enabled: Generated<boolean>;
  /** `ok` or `misconfigured` (auth or bad-request failures from jobs). */
  status: Generated<string>;
  status_detail: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}
export type ProviderRow = Selectable<ProvidersTable>;
export type NewProviderRow = Insertable<ProvidersTable>;
export type ProviderUpdate = Updateable<ProvidersTable>;
