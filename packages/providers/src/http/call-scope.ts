import { SwitchyardError, type Timeouts } from '@switchyard/core';
import type { ErrorContext } from './error-mapping';

type TimeoutKind = 'first-token' | 'total';

const networkCodes: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_SOCKET: 'connection lost',
  UND_ERR_CLOSED: 'connection closed',
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  EPIPE: 'connection broken',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_HEADERS_TIMEOUT: 'headers timeout',
  UND_ERR_BODY_TIMEOUT: 'body timeout',
};

function errorCode(value: unknown): string | undefined {
  let current: unknown = value;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code in networkCodes) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The life of one upstream call: the caller's signal and the first-token and total timers,
 * any of which aborts the call. The abort reaches the request through `onAbort` (the
 * dispatched request's own controller), so a call allocates no AbortController of its own.
 * `fail()` turns whatever was thrown into the right typed error — our own timer (timeout),
 * the caller (aborted), the network (upstream) — so adapters never guess.
 */
export class CallScope {
  private aborter: ((reason: unknown) => void) | undefined;
  private abortReason: unknown;
  private isAborted = false;
  private timedOut: TimeoutKind | undefined;
  private firstTokenTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly totalTimer: ReturnType<typeof setTimeout>;
  private readonly callerSignal: AbortSignal | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly timeouts: Timeouts,
    private readonly context: ErrorContext,
    callerSignal?: AbortSignal,
  ) {
    this.callerSignal = callerSignal;
    if (callerSignal) {
      if (callerSignal.aborted) this.abort(callerSignal.reason);
      else {
        this.onCallerAbort = () => this.abort(callerSignal.reason);
        callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
      }
    }
    this.firstTokenTimer = setTimeout(() => this.expire('first-token'), timeouts.firstTokenMs);
    this.totalTimer = setTimeout(() => this.expire('total'), timeouts.totalMs);
  }

  /** True once the caller or a timer aborted the call. */
  get aborted(): boolean {
    return this.isAborted;
  }

  /** Why the call was aborted (the caller's reason or a timeout error). */
  get reason(): unknown {
    return this.abortReason;
  }

  /** Also deliver the abort to `aborter` (at once if the call is already aborted). */
  onAbort(aborter: (reason: unknown) => void): void {
    this.aborter = aborter;
    if (this.isAborted) aborter(this.abortReason);
  }

  private abort(reason: unknown): void {
    if (this.isAborted) return;
    this.isAborted = true;
    this.abortReason = reason;
    this.aborter?.(reason);
  }

  private expire(kind: TimeoutKind): void {
    if (this.isAborted) return;
    this.timedOut = kind;
    this.abort(new Error(`${kind} timeout`));
  }

  /** The first token (or the whole non-streamed body) has arrived. */
  firstToken(): void {
    if (this.firstTokenTimer !== undefined) {
      clearTimeout(this.firstTokenTimer);
      this.firstTokenTimer = undefined;
    }
  }

  dispose(): void {
    this.firstToken();
    clearTimeout(this.totalTimer);
    if (this.callerSignal && this.onCallerAbort) this.callerSignal.removeEventListener('abort', this.onCallerAbort);
  }

  /** Classify a thrown value for this call. */
  fail(error: unknown): SwitchyardError {
    const { provider, model } = this.context;
    const where = { provider, ...(model === undefined ? {} : { model }) };
    if (this.timedOut) {
      const ms = this.timedOut === 'first-token' ? this.timeouts.firstTokenMs : this.timeouts.totalMs;
      return new SwitchyardError('timeout', `${provider}: no ${this.timedOut === 'first-token' ? 'first token' : 'complete response'} within ${ms} ms`, {
        ...where,
        cause: error,
      });
    }
    if (this.callerSignal?.aborted) {
      const reason: unknown = this.callerSignal.reason;
      if (reason instanceof SwitchyardError) return reason;
      return new SwitchyardError('timeout', `${provider}: request aborted by the caller`, { ...where, retryable: false, cause: reason ?? error });
    }
    if (error instanceof SwitchyardError) return error;
    const code = errorCode(error);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new SwitchyardError('timeout', `${provider}: connect timeout after ${this.timeouts.connectMs} ms`, { ...where, cause: error });
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new SwitchyardError('timeout', `${provider}: ${networkCodes[code]}`, { ...where, cause: error });
    }
    if (code) {
      return new SwitchyardError('upstream', `${provider}: ${networkCodes[code]}`, { ...where, retryable: true, cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new SwitchyardError('upstream', `${provider}: ${message}`, { ...where, retryable: true, cause: error });
  }
}
