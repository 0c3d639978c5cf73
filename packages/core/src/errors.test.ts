import { describe, expect, it } from 'vitest';
import { SwitchyardError, statusForCode, toOpenAiErrorBody, toSwitchyardError } from './errors';

describe('SwitchyardError', () => {
  it('derives status and retryability from the code', () => {
    const error = new SwitchyardError('rate_limited', 'slow down', { retryAfterMs: 1500 });
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(1500);
    expect(new SwitchyardError('auth', 'no').retryable).toBe(false);
    expect(statusForCode('overloaded')).toBe(503);
  });

  it('maps to the OpenAI error shape', () => {
    const body = toOpenAiErrorBody(new SwitchyardError('bad_request', '`messages` is missing', { param: 'messages' }));
    expect(body).toEqual({ error: { message: '`messages` is missing', type: 'invalid_request_error', param: 'messages', code: 'bad_request' } });
  });

  it('wraps foreign errors and keeps the cause', () => {
    const original = new Error('boom');
    const wrapped = toSwitchyardError(original);
    expect(wrapped.code).toBe('internal');
    expect(wrapped.cause).toBe(original);
  });
});
