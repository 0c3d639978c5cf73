import { describe, expect, it } from 'vitest';
import { parseDuration, parseRetryAfterHeader, retryAfterFromBody, retryAfterFromHeaders } from './retry-after';

describe('retry-after parsing', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');

  it('reads delta-seconds and HTTP dates from retry-after', () => {
    expect(parseRetryAfterHeader('2', now)).toBe(2000);
    expect(parseRetryAfterHeader('0.5', now)).toBe(500);
    expect(parseRetryAfterHeader('Sat, 21 Nov 2026 12:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfterHeader('Sat, 21 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterHeader('soon', now)).toBeUndefined();
    expect(parseRetryAfterHeader('', now)).toBeUndefined();
    expect(parseRetryAfterHeader('-3', now)).toBeUndefined();
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(retryAfterFromHeaders({ 'retry-after-ms': '1500', 'retry-after': '2' }, now)).toBe(1500);
    expect(retryAfterFromHeaders({ 'retry-after': ['3'] }, now)).toBe(3000);
    expect(retryAfterFromHeaders({ 'retry-after-ms': 'x', 'retry-after': '1' }, now)).toBe(1000);
    expect(retryAfterFromHeaders({}, now)).toBeUndefined();
  });

  it('caps absurd values at a day', () => {
    expect(parseRetryAfterHeader('999999999', now)).toBe(24 * 3600_000);
  });

  it('parses Go/Google durations', () => {
    expect(parseDuration('3s')).toBe(3000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('6m0s')).toBe(360_000);
    expect(parseDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseDuration('3 s')).toBeUndefined();
    expect(parseDuration('abc')).toBeUndefined();
  });

  it('reads Google RetryInfo and "try again in" prose from error bodies', () => {
    const google = { error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.rpc.Help' }, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' }] } };
    expect(retryAfterFromBody(google)).toBe(12_000);
    expect(retryAfterFromBody({}, 'Rate limit reached for gpt-5 on tokens per min. Please try again in 1.898s.')).toBe(1898);
    expect(retryAfterFromBody({}, 'Please try again in 750ms.')).toBe(750);
    expect(retryAfterFromBody({}, 'Please try again later.')).toBeUndefined();
  });
});
