import type { Insertable, Selectable, Generated } from 'kysely';
import type { DefaultTimestamp, Json, Timestamp } from './provider.table';

export interface DecisionAttempt {
  model: string;
  ok: boolean;
  errorCode?: string;
  status?: number;
  latencyMs?: number;
}

export interface RouteDecisionsTable {
  request_id: string;
  at: Timestamp;
  route: string;
  category: string;
  chosen_model: string | null;
  served_model: string | null;
  candidates: Json<Array<{ model: string; weight: number }>>;
  attempts: Json<DecisionAttempt[]>;
  fallbacks: Generated<number>;
  policy_hash: string | null;
  status: number;
  error_code: string | null;
  stream: Generated<boolean>;
  ttft_ms: number | null;
  latency_ms: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost_usd: number | null;
  cost_estimated: Generated<boolean>;
  api_key_id: string | null;
  /** Hashed prompt features for the contextual policy; never prompt text. */
  features: Json<Record<string, unknown>> | null;
  /** Prompt and response text, only when content logging is on. */
  content: Json<Record<string, unknown>> | null;
}
export type RouteDecisionRow = Selectable<RouteDecisionsTable>;
export type NewRouteDecisionRow = Insertable<RouteDecisionsTable>;

export interface FeedbackTable {
  id: Generated<string>;
  request_id: string;
  score: number;
  comment: string | null;
  /** `user` (POST /v1/feedback) or `judge` (sampled LLM-judge grading). */
  source: Generated<string>;
  detail: Json<Record<string, unknown>> | null;
  created_at: DefaultTimestamp;
}
export type FeedbackRow = Selectable<FeedbackTable>;
export type NewFeedbackRow = Insertable<FeedbackTable>;
