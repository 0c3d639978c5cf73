import { SwitchyardError, type ErrorCode } from '@switchyard/core';
import { retryAfterFromBody, retryAfterFromHeaders, type HeaderBag } from './retry-after';

/** What a vendor's error body says, beyond the HTTP status. */
export interface VendorErrorDetails {
  message?: string;
  /** A code the body implies (e.g. Anthropic `overloaded_error`), overriding the status mapping. */
  code?: ErrorCode;
  retryable?: boolean;
  retryAfterMs?: number;
}

export interface ErrorContext {
  provider: string;
  model?: string;
}

/** The normalized code for an HTTP status (before any vendor body hints). */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 504) return 'timeout';
  if (status >= 500) return 'upstream';
  return 'bad_request';
}

function safeJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The generic `{ error: { message } }` / `{ error: "..." }` / `{ message }` reading. */
export function genericErrorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * Turn an upstream HTTP error into a SwitchyardError: status → code, vendor hints from the
 * body (`details`), retry-after from headers first, then from the body.
 */
export function errorFromResponse(
  status: number,
  headers: HeaderBag,
  bodyText: string,
  context: ErrorContext,
  details?: (status: number, body: unknown) => VendorErrorDetails,
): SwitchyardError {
  const body = safeJson(bodyText);
  const vendor = details?.(status, body) ?? {};
  const message =
    vendor.message ?? genericErrorMessage(body) ?? (bodyText.slice(0, 300) || `HTTP ${status} from upstream`);
  const code = vendor.code ?? codeForStatus(status);
  const retryAfterMs = retryAfterFromHeaders(headers) ?? vendor.retryAfterMs ?? retryAfterFromBody(body, message);
  return new SwitchyardError(code, `${context.provider}: ${message}`, {
    status,
    ...(vendor.retryable === undefined ? {} : { retryable: vendor.retryable }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    provider: context.provider,
    ...(context.model === undefined ? {} : { model: context.model }),
  });
}

export function invalidResponse(context: ErrorContext, message: string, cause?: unknown): SwitchyardError {
  return new SwitchyardError('invalid_response', `${context.provider}: ${message}`, {
    provider: context.provider,
    ...(context.model === undefined ? {} : { model: context.model }),
    cause,
  });
}
