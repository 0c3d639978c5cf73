import type { Constraints, Objective } from '@switchyard/core';
import type { Generated, Insertable, Selectable } from 'kysely';
import type { DefaultTimestamp, Json } from './provider.table';

export interface RoutesTable {
  name: string;
  description: string | null;
  candidates: string[];
  objective: Json<Objective>;
  constraints: Json<Constraints>;
  enabled: Generated<boolean>;
  updated_by: Generated<string>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}
export type RouteRow = Selectable<RoutesTable>;
export type NewRouteRow = Insertable<RoutesTable>;
