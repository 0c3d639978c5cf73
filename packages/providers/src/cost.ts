import { costUsd, type Price, type Usage } from '@switchyard/core';

/**
 * A usage record with its USD cost. `estimated` marks token counts we computed ourselves
 * because the vendor reported none.
 */
export function usageWithCost(
  price: Price,
  promptTokens: number,
  completionTokens: number,
  cachedTokens: number | undefined,
  estimated: boolean,
): Usage {
  const usage: Usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    cost: costUsd(price, { promptTokens, completionTokens, cachedTokens }),
  };
  if (cachedTokens !== undefined) usage.prompt_tokens_details = { cached_tokens: cachedTokens };
  if (estimated) usage.cost_estimated = true;
  return usage;
}

/** Tokens as the vendor reported them, before pricing. */
export interface RawUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
}
