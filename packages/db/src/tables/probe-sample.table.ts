import type { Generated, Insertable, Selectable } from 'kysely';
import type { DefaultTimestamp } from './provider.table';

export interface ProbeSamplesTable {
  id: Generated<string>;
  /** Deterministic job id; a re-run of a stalled job writes its sample once. */
  job_id: string | null;
  model_id: string;
  /** `latency` for scheduled probes. */
  kind: string;
  /** `short` or `long` prompt. */
  prompt_kind: string | null;
  ttft_ms: number | null;
  latency_ms: number | null;
  output_tokens_per_s: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: Generated<number>;
  ok: boolean;
  error_code: string | null;
  at: DefaultTimestamp;
}
export type ProbeSampleRow = Selectable<ProbeSamplesTable>;
export type NewProbeSampleRow = Insertable<ProbeSamplesTable>;
