import { describe, expect, it } from 'vitest';
import { errorFrom, errorText } from './api';

/** A 422 answer with a JSON body, as the API sends a refused request. */
const unprocessable = (body: unknown): Response =>
  new Response(JSON.stringify(body), { status: 422, statusText: 'Unprocessable Entity', headers: { 'content-type': 'application/json' } });

describe('errorText of what errorFrom builds, and of anything else thrown', () => {
  it('shows the message of the server error body, not the status line', async () => {
    const error = await errorFrom(
      unprocessable({ error: { message: 'route "cheap" has no candidates', type: 'invalid_request_error', param: 'routes', code: 'invalid_policy' } }),
    );
    expect(errorText(error)).toBe('route "cheap" has no candidates');
  });

  it('falls back to the status line when the body carries no message', async () => {
    expect(errorText(await errorFrom(unprocessable({ error: { code: 'invalid_policy' } })))).toBe('422 Unprocessable Entity');
    expect(errorText(await errorFrom(new Response('upstream timed out', { status: 504, statusText: 'Gateway Timeout' })))).toBe('504 Gateway Timeout');
  });

  it('shows the message of any other Error', () => {
    expect(errorText(new TypeError('Failed to fetch'))).toBe('Failed to fetch');
  });

  it('shows a thrown value that is not an Error as a string', () => {
    expect(errorText('aborted')).toBe('aborted');
    expect(errorText(404)).toBe('404');
    expect(errorText(undefined)).toBe('undefined');
  });
});
