import type { Generated, Insertable, Selectable } from 'kysely';
import type { DefaultTimestamp, Timestamp } from './provider.table';

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  /** First characters of the key, to recognise it in lists. */
  prefix: string;
  /** SHA-256 of the key; the key itself is shown once and never stored. */
  key_hash: string;
  routes: string[] | null;
  models: string[] | null;
  rate_limit_per_min: number | null;
  created_at: DefaultTimestamp;
  revoked_at: Timestamp | null;
}
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type NewApiKeyRow = Insertable<ApiKeysTable>;
