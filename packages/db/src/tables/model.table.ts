import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Capabilities } from '@switchyard/core';
import type { DefaultTimestamp, Json } from './provider.table';

export interface ModelsTable {
  id: string;
  provider_id: string;
  upstream_name: string;
  display_name: string | null;
  input_price_per_mtok: number;
  output_price_per_mtok: number;
  cached_input_price_per_mtok: number | null;
  /** `catalog`, `config`, `provider` or `user` — a configured price is never silently overwritten. */
  price_source: Generated<string>;
  context_window: number | null;
  max_output_tokens: number | null;
  capabilities: Json<Partial<Capabilities>>;
  enabled: Generated<boolean>;
  status: Generated<string>;
  status_detail: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}
export type ModelRow = Selectable<ModelsTable>;
export type NewModelRow = Insertable<ModelsTable>;
export type ModelUpdate = Updateable<ModelsTable>;

export interface PriceObservationsTable {
  id: Generated<string>;
  model_id: string;
  source: string;
  input_price_per_mtok: number;
  output_price_per_mtok: number;
  context_window: number | null;
  disagrees: boolean;
  observed_at: DefaultTimestamp;
}
export type PriceObservationRow = Selectable<PriceObservationsTable>;
