import type { Db } from '../database';
import type { FeedbackRow } from '../tables/route-decision.table';

export interface FeedbackInput {
  requestId: string;
  /** Quality in [0, 1]. */
  score: number;
  comment?: string | null;
  /** `user` (POST /v1/feedback) or `judge`. */
  source?: string;
  detail?: Record<string, unknown> | null;
}

/** Attach explicit quality feedback to a routed request. */
export function insertFeedback(db: Db, input: FeedbackInput): Promise<FeedbackRow> {
  return db
    .insertInto('feedback')
    .values({
      request_id: input.requestId,
      score: input.score,
      comment: input.comment ?? null,
      ...(input.source ? { source: input.source } : {}),
      detail: input.detail ? JSON.stringify(input.detail) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listFeedbackForRequest(db: Db, requestId: string): Promise<FeedbackRow[]> {
  return db.selectFrom('feedback').selectAll().where('request_id', '=', requestId).orderBy('created_at').execute();
}

/** Feedback newer than `since`, oldest first (the optimizer reads it in pages). */
export function listFeedbackSince(db: Db, since: Date, limit = 10_000): Promise<FeedbackRow[]> {
  return db.selectFrom('feedback').selectAll().where('created_at', '>', since).orderBy('created_at').limit(limit).execute();
}
