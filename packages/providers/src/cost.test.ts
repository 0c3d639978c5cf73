import { describe, expect, it } from 'vitest';
import { usageWithCost } from './cost';

describe('cost', () => {
  const price = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 };

  it('prices prompt and completion tokens per million', () => {
    const usage = usageWithCost(price, 1_000_000, 100_000, undefined, false);
    expect(usage).toEqual({ prompt_tokens: 1_000_000, completion_tokens: 100_000, total_tokens: 1_100_000, cost: 4.5 });
  });

  it('bills cached prompt tokens at the cached price', () => {
    const usage = usageWithCost(price, 1000, 0, 400, false);
    expect(usage.cost).toBeCloseTo((600 * 3 + 400 * 0.3) / 1_000_000, 15);
    expect(usage.prompt_tokens_details).toEqual({ cached_tokens: 400 });
  });

  it('falls back to the input price when no cached price is known', () => {
    expect(usageWithCost({ inputPerMTok: 1, outputPerMTok: 2 }, 1000, 500, 1000, false).cost).toBeCloseTo(2000 / 1_000_000, 15);
  });

  it('flags estimated costs', () => {
    expect(usageWithCost(price, 10, 10, undefined, true).cost_estimated).toBe(true);
    expect(usageWithCost(price, 10, 10, undefined, false)).not.toHaveProperty('cost_estimated');
  });
});
