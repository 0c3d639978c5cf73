import { ZodError } from 'zod';
import { formatBytes } from './bytes';
import { SwitchyardError, toOpenAiErrorBody, toSwitchyardError } from './errors';

interface FrameworkError {
  statusCode?: number;
  code?: string;
  message: string;
  validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>;
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

/** What an app's error handler knows that an error message should say. */
export interface HttpErrorContext {
  /** The app's body size limit, named in a 413. */
  bodyLimitBytes?: number;
}

/**
 * Turn anything thrown in a handler into one typed error: our own errors pass through;
 * zod issues name the field; framework errors (body too large, malformed JSON, schema
 * validation) keep their meaning. Each HTTP app's single error handler calls this.
 */
export function normalizeHttpError(error: unknown, context: HttpErrorContext = {}): SwitchyardError {
  if (error instanceof SwitchyardError) return error;
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const param = issue ? fieldPath(issue.path) : undefined;
    const message = issue
      ? issue.code === 'invalid_type' && issue.message.includes('received undefined')
        ? `\`${param}\` is missing`
        : `\`${param || 'body'}\`: ${issue.message}`
      : 'invalid request';
    return new SwitchyardError('bad_request', message, { param: param || undefined, cause: error });
  }
  if (error instanceof Error) {
    const framework = error as Error & FrameworkError;
    if (framework.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || framework.statusCode === 413) {
      // Only the JSON body limit is the app's; an upload's multipart limits are its own.
      const limit = context.bodyLimitBytes === undefined || framework.code !== 'FST_ERR_CTP_BODY_TOO_LARGE' ? '' : `: the limit is ${formatBytes(context.bodyLimitBytes)}`;
      return new SwitchyardError('payload_too_large', `Request body is too large${limit}`, { cause: error });
    }
    if (framework.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return new SwitchyardError('bad_request', 'Request body is empty; send a JSON object', { cause: error });
    }
    if (framework.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return new SwitchyardError('bad_request', 'Unsupported content type: send the request body as JSON, with `content-type: application/json`', {
        status: 415,
        cause: error,
      });
    }
    if (error instanceof SyntaxError && framework.statusCode === 400) {
      return new SwitchyardError('bad_request', `Malformed JSON body: ${error.message}`, { cause: error });
    }
    if (framework.validation && framework.validation.length > 0) {
      const first = framework.validation[0]!;
      const missing = first.params?.missingProperty;
      const base = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
      const param = typeof missing === 'string' ? (base ? `${base}.${missing}` : missing) : base || undefined;
      return new SwitchyardError('bad_request', typeof missing === 'string' ? `\`${param}\` is missing` : `${param ? `\`${param}\` ` : ''}${first.message ?? 'is invalid'}`, {
        param,
        cause: error,
      });
    }
    if (typeof framework.statusCode === 'number' && framework.statusCode >= 400 && framework.statusCode < 500) {
      const code = framework.statusCode === 404 ? 'not_found' : framework.statusCode === 401 ? 'auth' : 'bad_request';
      return new SwitchyardError(code, error.message, { status: framework.statusCode, cause: error });
    }
  }
  return toSwitchyardError(error);
}

/** Status, OpenAI-shaped body and headers for an error response. Internal details never leak. */
export function httpErrorResponse(
  error: unknown,
  context: HttpErrorContext = {},
): {
  status: number;
  body: ReturnType<typeof toOpenAiErrorBody>;
  headers: Record<string, string>;
  error: SwitchyardError;
} {
  const normalized = normalizeHttpError(error, context);
  const safe =
    normalized.code === 'internal' ? new SwitchyardError('internal', 'Internal error', { cause: normalized }) : normalized;
  const headers: Record<string, string> = {};
  if (!safe.retryable) headers['x-should-retry'] = 'false';
  if (safe.retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(safe.retryAfterMs / 1000)));
  return { status: safe.status, body: toOpenAiErrorBody(safe), headers, error: normalized };
}

/**
 * The answer to a request no route matched: 405 with `allow` when the path exists under other
 * methods (`allowedMethods`), else 404. OpenAI-shaped, like every other error.
 */
export function unmatchedRouteResponse(
  method: string,
  path: string,
  allowedMethods: readonly string[],
): { status: 404 | 405; body: { error: { message: string; type: string; param: null; code: string } }; headers: Record<string, string> } {
  if (allowedMethods.length > 0) {
    const allow = allowedMethods.join(', ');
    return {
      status: 405,
      body: { error: { message: `${method} is not allowed on ${path}; use ${allow}`, type: 'invalid_request_error', param: null, code: 'method_not_allowed' } },
      headers: { allow },
    };
  }
  return { status: 404, body: { error: { message: `No route ${method} ${path}`, type: 'not_found_error', param: null, code: 'not_found' } }, headers: {} };
}
