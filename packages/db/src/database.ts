import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { ApiKeysTable } from './tables/api-key.table';
import type { AuditLogTable } from './tables/audit.table';
import type { DatasetItemsTable, DatasetsTable, DatasetVersionsTable } from './tables/dataset.table';
import type { EvalResultsTable, EvalRunsTable } from './tables/eval.table';
import type { ModelsTable, PriceObservationsTable } from './tables/model.table';
import type { PoliciesTable, PolicyEventsTable, PolicyPointerTable } from './tables/policy.table';
import type { ProbeSamplesTable } from './tables/probe-sample.table';
import type { ProvidersTable } from './tables/provider.table';
import type { FeedbackTable, RouteDecisionsTable } from './tables/route-decision.table';
import type { RoutesTable } from './tables/route.table';

export interface Database {
  providers: ProvidersTable;
  models: ModelsTable;
  price_observations: PriceObservationsTable;
  probe_samples: ProbeSamplesTable;
  datasets: DatasetsTable;
  dataset_versions: DatasetVersionsTable;
  dataset_items: DatasetItemsTable;
  eval_runs: EvalRunsTable;
  eval_results: EvalResultsTable;
  policies: PoliciesTable;
  policy_pointer: PolicyPointerTable;
  policy_events: PolicyEventsTable;
  routes: RoutesTable;
  route_decisions: RouteDecisionsTable;
  feedback: FeedbackTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
}

export type Db = Kysely<Database>;

// bigint ids and counts fit comfortably in a double for our volumes; numerics are prices.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export interface CreateDbOptions {
  maxConnections?: number;
  applicationName?: string;
}

/** A Kysely instance over a pg pool. Call `db.destroy()` to close it. */
export function createDb(connectionString: string, options: CreateDbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'switchyard',
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
