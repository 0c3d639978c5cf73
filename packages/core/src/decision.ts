/**
 * One routed request, as the router records it (written to the Redis decisions stream,
 * moved into Postgres `route_decisions` by the outcome-ingest job). Never holds prompt
 * text unless content logging is switched on.
 */
export interface DecisionAttemptRecord {
  model: string;
  ok: boolean;
  errorCode?: string;
  status?: number;
  latencyMs?: number;
}

export interface DecisionRecord {
  requestId: string;
  /** ISO time the request arrived. */
  at: string;
  route: string;
  category: string;
  /** How the category was decided: `hint`, `classifier` or `default`. */
  categorySource?: string;
  chosenModel: string | null;
  servedModel: string | null;
  candidates: ReadonlyArray<{ model: string; weight: number }>;
  attempts: DecisionAttemptRecord[];
  fallbacks: number;
  policyHash: string | null;
  /** HTTP status returned to the client. */
  status: number;
  errorCode: string | null;
  stream: boolean;
  ttftMs: number | null;
  latencyMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costUsd: number | null;
  costEstimated: boolean;
  apiKeyId: string | null;
  /** Hashed prompt features (indices) for the contextual policy; never text. */
  features?: { indices: number[]; length: number } | null;
  /** Only when content logging is on. */
  content?: { messages: unknown; response?: string } | null;
}
