import { seededRandom } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { median } from 'simple-statistics';
import { hash53, lognormal, unitHash } from './random';

describe('deterministic randomness', () => {
  it('hashes strings stably and uniformly', () => {
    expect(hash53('abc')).toBe(hash53('abc'));
    expect(hash53('abc')).not.toBe(hash53('abd'));
    const draws = Array.from({ length: 4000 }, (_, index) => unitHash('model', `item-${index}`, 42));
    const below = draws.filter((value) => value < 0.3).length / draws.length;
    expect(below).toBeGreaterThan(0.27);
    expect(below).toBeLessThan(0.33);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });

  it('replays a seeded stream', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });

  it('draws lognormal latencies around the configured median with the configured spread', () => {
    const random = seededRandom(1);
    const samples = Array.from({ length: 4000 }, () => lognormal(random, 500, 0.4));
    expect(median(samples)).toBeGreaterThan(470);
    expect(median(samples)).toBeLessThan(530);
    const sorted = [...samples].sort((x, y) => x - y);
    // p90 of a lognormal = median · e^(1.2816 σ) ≈ 833 ms for σ = 0.4.
    const p90 = sorted[Math.floor(0.9 * sorted.length)] as number;
    expect(p90).toBeGreaterThan(780);
    expect(p90).toBeLessThan(890);
    expect(lognormal(random, 500, 0)).toBe(500);
  });
});
