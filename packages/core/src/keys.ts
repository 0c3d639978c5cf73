/**
 * Redis keys and channels shared by the router, jobs and API. Every key lives under the
 * configured prefix so several installs (and every test file) can share one Redis.
 */
export function redisKeys(prefix: string) {
  return {
    /** Stream of decision records written by routers, drained by `outcome-ingest`. */
    decisions: `${prefix}:decisions`,
    /** Consumer group of `outcome-ingest` on the decisions stream. */
    decisionsGroup: 'outcome-ingest',
    /** JSON `{hash, document}` of the current published policy (read by routers at start). */
    currentPolicy: `${prefix}:policy:current`,
    /** Pub/sub channel: a message (the new hash) each time the current policy moves. */
    policyChannel: `${prefix}:policy:published`,
    /** Pub/sub channel for live dashboard updates: `{type, ...}` JSON messages. */
    eventsChannel: `${prefix}:events`,
    /** Prefix for BullMQ queues. */
    bullPrefix: `${prefix}:bull`,
    /** API key cache invalidation channel. */
    apiKeysChannel: `${prefix}:api-keys:changed`,
  } as const;
}
export type RedisKeys = ReturnType<typeof redisKeys>;

/** Live events published on `eventsChannel` for the dashboard's SSE stream. */
export type LiveEvent =
  | { type: 'probe'; model: string; at: string }
  | { type: 'eval-progress'; runId: string; done: number; total: number; errors: number; spendUsd: number; etaMs: number | null; status: string }
  | { type: 'eval-result'; runId: string; model: string }
  | { type: 'policy'; hash: string; action: 'publish' | 'rollback' }
  | { type: 'decisions'; count: number }
  | { type: 'models'; model?: string };
