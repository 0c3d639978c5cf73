import { z } from 'zod';

/**
 * Every failure Switchyard reports carries one of these codes. Each HTTP app maps
 * codes to status and to the OpenAI error shape in exactly one place.
 */
export const errorCodes = z.enum([
  'auth',
  'forbidden',
  'bad_request',
  'not_found',
  'model_not_found',
  'payload_too_large',
  'rate_limited',
  'overloaded',
  'upstream',
  'timeout',
  'invalid_response',
  'no_eligible_model',
  'conflict',
  'unavailable',
  'config',
  'budget_exceeded',
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCodes>;

/** Codes a retry (on the same or another model) can fix. */
const retryableByDefault: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'rate_limited',
  'overloaded',
  'upstream',
  'timeout',
  'unavailable',
  'invalid_response',
]);

export interface SwitchyardErrorOptions {
  /** HTTP status seen upstream or to answer with; defaults by code. */
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  /** The request parameter at fault, for the OpenAI error shape. */
  param?: string;
  /** Which provider or model produced the error, when known. */
  provider?: string;
  model?: string;
  cause?: unknown;
}

/**
 * The one error type of Switchyard. `code` is machine-readable, `retryable` says whether
 * trying again (elsewhere) can help, and `retryAfterMs` carries an upstream's retry-after.
 */
export class SwitchyardError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly param: string | undefined;
  readonly provider: string | undefined;
  readonly model: string | undefined;

  constructor(code: ErrorCode, message: string, options: SwitchyardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwitchyardError';
    this.code = code;
    this.status = options.status ?? statusForCode(code);
    this.retryable = options.retryable ?? retryableByDefault.has(code);
    this.retryAfterMs = options.retryAfterMs;
    this.param = options.param;
    this.provider = options.provider;
    this.model = options.model;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.param === undefined ? {} : { param: this.param }),
      ...(this.provider === undefined ? {} : { provider: this.provider }),
      ...(this.model === undefined ? {} : { model: this.model }),
    };
  }
}

export function isSwitchyardError(value: unknown): value is SwitchyardError {
  return value instanceof SwitchyardError;
}

/** Default HTTP status for a code. Exhaustive: adding a code without a status fails typecheck. */
export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case 'auth':
      return 401;
    case 'forbidden':
      return 403;
    case 'bad_request':
    case 'no_eligible_model':
    case 'config':
      return 400;
    case 'not_found':
    case 'model_not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'rate_limited':
    case 'budget_exceeded':
      return 429;
    case 'overloaded':
      // 503, as OpenAI answers when overloaded; 529 is Anthropic's own status, unknown to HTTP.
      return 503;
    case 'upstream':
    case 'invalid_response':
      return 502;
    case 'unavailable':
      return 503;
    case 'timeout':
      return 504;
    case 'internal':
      return 500;
  }
}

/** The OpenAI error `type` for a code, so real clients map errors to their own classes. */
export function openAiErrorType(code: ErrorCode): string {
  switch (code) {
    case 'auth':
      return 'authentication_error';
    case 'forbidden':
      return 'permission_error';
    case 'bad_request':
    case 'no_eligible_model':
    case 'config':
    case 'payload_too_large':
      return 'invalid_request_error';
    case 'not_found':
    case 'model_not_found':
      return 'not_found_error';
    case 'conflict':
      return 'conflict_error';
    case 'rate_limited':
    case 'budget_exceeded':
      return 'rate_limit_error';
    case 'overloaded':
      return 'overloaded_error';
    case 'timeout':
      return 'timeout_error';
    case 'upstream':
    case 'invalid_response':
    case 'unavailable':
    case 'internal':
      return 'api_error';
  }
}

/** `{ error: { message, type, param, code } }`, the shape every OpenAI client understands. */
export function toOpenAiErrorBody(error: SwitchyardError): {
  error: { message: string; type: string; param: string | null; code: string };
} {
  return {
    error: {
      message: error.message,
      type: openAiErrorType(error.code),
      param: error.param ?? null,
      code: error.code,
    },
  };
}

/** Wrap anything thrown into a SwitchyardError without losing the original as `cause`. */
export function toSwitchyardError(value: unknown): SwitchyardError {
  if (value instanceof SwitchyardError) return value;
  if (value instanceof Error && value.name === 'AbortError') {
    return new SwitchyardError('timeout', 'The operation was aborted', { cause: value });
  }
  const message = value instanceof Error ? value.message : String(value);
  return new SwitchyardError('internal', message || 'Internal error', { cause: value });
}
