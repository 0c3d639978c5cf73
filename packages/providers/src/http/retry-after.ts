/**
 * Retry hints from upstream responses. Vendors say "wait" in different places: the
 * standard `retry-after` header (seconds or an HTTP date), OpenAI's `retry-after-ms`,
 * Google's `RetryInfo.retryDelay` in the error body ("3s"), and prose such as
 * "Please try again in 1.5s" in OpenAI-compatible error messages.
 */

type HeaderValue = string | string[] | undefined;
export type HeaderBag = Record<string, HeaderValue>;

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const MAX_RETRY_AFTER_MS = 24 * 3600_000;

function clamp(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(Math.round(ms), MAX_RETRY_AFTER_MS);
}

/** `retry-after: 2` → 2000; `retry-after: <HTTP date>` → ms until then (never negative). */
export function parseRetryAfterHeader(value: string, now: number = Date.now()): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return clamp(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined; // not a number, and no HTTP date either
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return clamp(Math.max(0, date - now));
}

/** A Go/Google style duration: "3s", "1.5s", "250ms", "6m0s", "1h2m3.5s". */
export function parseDuration(value: string): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return clamp(Number(text) * 1000);
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    const amount = Number(match[1]);
    const unit = match[2];
    total += unit === 'ms' ? amount : unit === 's' ? amount * 1000 : unit === 'm' ? amount * 60_000 : amount * 3600_000;
    consumed += match[0].length;
  }
  return consumed === text.length && consumed > 0 ? clamp(total) : undefined;
}

/** Retry delay from response headers: `retry-after-ms` wins, then `retry-after`. */
export function retryAfterFromHeaders(headers: HeaderBag, now: number = Date.now()): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return clamp(Number(ms));
  const seconds = first(headers['retry-after']);
  if (seconds !== undefined) return parseRetryAfterHeader(seconds, now);
  return undefined;
}

/** Retry delay hidden in an error body: Google RetryInfo, or "try again in 1.5s" prose. */
export function retryAfterFromBody(body: unknown, message?: string): number | undefined {
  if (body && typeof body === 'object') {
    const error = (body as { error?: { details?: unknown } }).error;
    const details = error && typeof error === 'object' ? error.details : undefined;
    if (Array.isArray(details)) {
      for (const detail of details) {
        if (detail && typeof detail === 'object' && typeof (detail as { retryDelay?: unknown }).retryDelay === 'string') {
          const ms = parseDuration((detail as { retryDelay: string }).retryDelay);
          if (ms !== undefined) return ms;
        }
      }
    }
  }
  if (message) {
    const match = /try again in (\d+(?:\.\d+)?)\s*(ms|s|seconds?|milliseconds?)\b/i.exec(message);
    if (match) {
      const amount = Number(match[1]);
      return clamp(match[2]?.toLowerCase().startsWith('m') ? amount : amount * 1000);
    }
  }
  return undefined;
}
