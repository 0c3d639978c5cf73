import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { DefaultTimestamp, Json, Timestamp } from './provider.table';

export type EvalRunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface EvalRunsTable {
  id: Generated<string>;
  dataset_version_id: string;
  models: string[];
  settings: Json<Record<string, unknown>>;
  settings_hash: string;
  status: Generated<EvalRunStatus>;
  total: Generated<number>;
  done: Generated<number>;
  errors: Generated<number>;
  spend_usd: Generated<number>;
  summary: Json<Record<string, unknown>> | null;
  error: string | null;
  /** `manual`, `schedule` or `bootstrap`. */
  trigger: Generated<string>;
  created_at: DefaultTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}
export type EvalRunRow = Selectable<EvalRunsTable>;
export type NewEvalRunRow = Insertable<EvalRunsTable>;
export type EvalRunUpdate = Updateable<EvalRunsTable>;

export interface EvalResultsTable {
  id: Generated<string>;
  run_id: string;
  dataset_version_id: string;
  item_id: string;
  model_id: string;
  category: string;
  settings_hash: string;
  /** Null when the call failed (see `error_code`). */
  score: number | null;
  explanation: string | null;
  output: string | null;
  grader_detail: Json<Record<string, unknown>> | null;
  error_code: string | null;
  ttft_ms: number | null;
  latency_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: Generated<number>;
  cost_estimated: Generated<boolean>;
  reused_from: string | null;
  created_at: DefaultTimestamp;
}
export type EvalResultRow = Selectable<EvalResultsTable>;
export type NewEvalResultRow = Insertable<EvalResultsTable>;
