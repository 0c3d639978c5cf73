/**
 * Failover along the fallback chain. A connect error, timeout, 429, 5xx or 529 (any
 * `retryable` error) moves on to the next model, as does a provider-side auth or not-found
 * error (a misconfigured model should not fail requests another model can serve). Other
 * errors (e.g. the upstream rejected the request as invalid) go straight to the client.
 * When every model failed and one asked to retry after a delay that fits in the request's
 * budget, that model is tried once more after the delay. For streams an attempt succeeds
 * only once the upstream produced its first content token; nothing reaches the client before.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  SwitchyardError,
  statusForCode,
  toSwitchyardError,
  type ChatRequest,
  type ChatResponse,
  type DecisionAttemptRecord,
  type StreamEvent,
} from '@switchyard/core';
import type { CircuitBreakers } from './circuit-breaker';
import type { ModelEntry } from './routing-table';

export interface FailoverContext {
  breakers: CircuitBreakers;
  /** Epoch ms by which the whole request must be done. */
  deadline: number;
  signal?: AbortSignal | undefined;
  /** Attempts are appended here, for the decision record and the reason header. */
  attempts: DecisionAttemptRecord[];
  onAttemptDone?(modelId: string, latencyMs: number, ok: boolean): void;
}

/** Provider-side configuration failures: another model may well work. */
const switchableCodes = new Set(['auth', 'forbidden', 'not_found', 'model_not_found']);

function shouldFailOver(error: SwitchyardError): boolean {
  return error.retryable || switchableCodes.has(error.code);
}

function finalError(errors: SwitchyardError[], attempts: DecisionAttemptRecord[]): SwitchyardError {
  const last = errors[errors.length - 1] as SwitchyardError;
  // The client gets the gateway status of the code (an upstream 500 is our 502), not the upstream's own.
  const clientFacing = switchableCodes.has(last.code)
    ? new SwitchyardError('upstream', `upstream ${last.model ?? ''} refused the call: ${last.message}`, { status: 502, retryable: false, cause: last })
    : last.status === statusForCode(last.code)
      ? last
      : new SwitchyardError(last.code, last.message, {
          retryable: last.retryable,
          ...(last.retryAfterMs === undefined ? {} : { retryAfterMs: last.retryAfterMs }),
          cause: last,
        });
  if (errors.length === 1) return clientFacing;
  const summary = attempts
    .map((attempt) => `${attempt.model} (${[attempt.status, attempt.errorCode].filter((part) => part !== undefined).join(' ')})`)
    .join(', ');
  let retryAfterMs: number | undefined;
  for (const error of errors) if (error.retryAfterMs !== undefined) retryAfterMs = Math.min(retryAfterMs ?? error.retryAfterMs, error.retryAfterMs);
  return new SwitchyardError(clientFacing.code, `All ${attempts.length} attempts failed: ${summary}. Last: ${last.message}`, {
    status: clientFacing.status,
    retryable: clientFacing.retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    cause: last,
  });
}

async function runChain<T>(
  chain: readonly ModelEntry[],
  context: FailoverContext,
  attempt: (entry: ModelEntry, remainingMs: number) => Promise<T>,
): Promise<{ value: T; entry: ModelEntry }> {
  const errors: SwitchyardError[] = [];
  let waits = 0;
  let index = 0;
  while (index < chain.length) {
    const entry = chain[index] as ModelEntry;
    const started = Date.now();
    const remainingMs = context.deadline - started;
    if (remainingMs <= 0) {
      errors.push(new SwitchyardError('timeout', 'request time budget exhausted before a model answered', { retryable: true }));
      break;
    }
    context.breakers.onAttempt(entry.id);
    try {
      const value = await attempt(entry, remainingMs);
      const latencyMs = Date.now() - started;
      context.breakers.onSuccess(entry.id);
      context.attempts.push({ model: entry.id, ok: true, latencyMs });
      context.onAttemptDone?.(entry.id, latencyMs, true);
      return { value, entry };
    } catch (thrown) {
      const error = toSwitchyardError(thrown);
      const latencyMs = Date.now() - started;
      context.attempts.push({ model: entry.id, ok: false, errorCode: error.code, status: error.status, latencyMs });
      context.onAttemptDone?.(entry.id, latencyMs, false);
      if (context.signal?.aborted) throw error;
      if (!shouldFailOver(error)) throw error;
      context.breakers.onFailure(entry.id, error.retryAfterMs);
      errors.push(error);
      index += 1;
      // Everything failed: wait out a retry-after once if the budget allows, then retry that model.
      if (index === chain.length && waits === 0 && error.retryAfterMs !== undefined) {
        const waitMs = error.retryAfterMs;
        if (Date.now() + waitMs + 50 < context.deadline) {
          waits += 1;
          await sleep(waitMs, undefined, context.signal ? { signal: context.signal } : undefined).catch(() => undefined);
          if (context.signal?.aborted) break;
          index -= 1;
        }
      }
    }
  }
  throw finalError(errors, context.attempts);
}

/** Non-streaming call with failover. */
export function chatWithFailover(
  chain: readonly ModelEntry[],
  request: ChatRequest,
  context: FailoverContext,
): Promise<{ value: ChatResponse; entry: ModelEntry }> {
  return runChain(chain, context, (entry, remainingMs) =>
    entry.binding.adapter.chat(request, {
      model: entry.binding.settings,
      timeouts: { totalMs: remainingMs },
      ...(context.signal ? { signal: context.signal } : {}),
    }),
  );
}

export interface OpenedStream {
  /** Events up to and including the first content event. */
  head: StreamEvent[];
  /** The events after it in the same batch. */
  rest: StreamEvent[];
  /** The batches after that one. */
  iterator: AsyncIterator<StreamEvent[]>;
  /** Epoch ms of the first content event. */
  firstTokenAt: number;
}

function isContent(event: StreamEvent): boolean {
  return event.type === 'text' || event.type === 'tool-call' || event.type === 'finish';
}

/** Open a stream with failover; resolves once an upstream produced its first content event. */
export function openStreamWithFailover(
  chain: readonly ModelEntry[],
  request: ChatRequest,
  context: FailoverContext,
): Promise<{ value: OpenedStream; entry: ModelEntry }> {
  return runChain(chain, context, async (entry, remainingMs) => {
    const iterable = entry.binding.adapter.streamBatches(request, {
      model: entry.binding.settings,
      timeouts: { totalMs: remainingMs },
      ...(context.signal ? { signal: context.signal } : {}),
    });
    const iterator = iterable[Symbol.asyncIterator]();
    const head: StreamEvent[] = [];
    const rest: StreamEvent[] = [];
    try {
      for (let content = false; !content; ) {
        const next = await iterator.next();
        if (next.done) break;
        for (const event of next.value) {
          if (content) rest.push(event);
          else {
            head.push(event);
            content = isContent(event);
          }
        }
      }
    } catch (error) {
      await iterator.return?.().catch(() => undefined);
      throw error;
    }
    return { head, rest, iterator, firstTokenAt: Date.now() };
  });
}
