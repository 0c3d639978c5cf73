import { describe, expect, it } from 'vitest';
import { codeForStatus, errorFromResponse } from './error-mapping';

describe('error mapping', () => {
  it('maps statuses to codes', () => {
    expect([400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529].map(codeForStatus)).toEqual([
      'bad_request',
      'auth',
      'auth',
      'not_found',
      'timeout',
      'payload_too_large',
      'bad_request',
      'rate_limited',
      'upstream',
      'upstream',
      'overloaded',
      'timeout',
      'overloaded',
    ]);
  });

  it('builds a typed error with message, provider, model, retryability and retry-after', () => {
    const error = errorFromResponse(429, { 'retry-after': '3' }, JSON.stringify({ error: { message: 'slow down' } }), { provider: 'groq', model: 'groq/llama' });
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryable: true, retryAfterMs: 3000, provider: 'groq', model: 'groq/llama' });
    expect(error.message).toBe('groq: slow down');
  });

  it('lets vendor details override the code and retryability', () => {
    const error = errorFromResponse(400, {}, '{"x":1}', { provider: 'p' }, () => ({ code: 'auth', retryable: false, message: 'bad key' }));
    expect(error).toMatchObject({ code: 'auth', retryable: false, status: 400, message: 'p: bad key' });
  });

  it('survives non-JSON bodies', () => {
    const error = errorFromResponse(502, {}, '<html>Bad gateway</html>', { provider: 'p' });
    expect(error).toMatchObject({ code: 'upstream', retryable: true });
    expect(error.message).toContain('Bad gateway');
    expect(errorFromResponse(500, {}, '', { provider: 'p' }).message).toBe('p: HTTP 500 from upstream');
  });

  it('finds retry hints in the body when headers have none', () => {
    const error = errorFromResponse(429, {}, JSON.stringify({ error: { message: 'Please try again in 2s.' } }), { provider: 'p' });
    expect(error.retryAfterMs).toBe(2000);
  });
});
