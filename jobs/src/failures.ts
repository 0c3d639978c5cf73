/**
 * How a failed model call becomes a job outcome:
 * - auth, forbidden, bad request, unknown model: the configuration is wrong; retrying cannot
 *   help, so the model is marked misconfigured and the job fails with `UnrecoverableError`;
 * - 429: the worker's queue is rate-limited for the provider's retry-after, and the job
 *   goes back to waiting without spending an attempt;
 * - other transient errors: thrown, retried with exponential backoff and jitter;
 * - anything else: recorded as the item's error, no retry.
 */
import { toSwitchyardError, type SwitchyardError } from '@switchyard/core';

export type FailureKind = 'misconfigured' | 'rate_limited' | 'transient' | 'permanent';

const misconfiguredCodes = new Set(['auth', 'forbidden', 'bad_request', 'model_not_found', 'config']);

export function classifyFailure(error: unknown): { kind: FailureKind; error: SwitchyardError } {
  const normalized = toSwitchyardError(error);
  if (misconfiguredCodes.has(normalized.code)) return { kind: 'misconfigured', error: normalized };
  if (normalized.code === 'rate_limited') return { kind: 'rate_limited', error: normalized };
  if (normalized.retryable) return { kind: 'transient', error: normalized };
  return { kind: 'permanent', error: normalized };
}

/** Retry-after to wait on a 429 when the provider gave none. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;
