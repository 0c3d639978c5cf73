/**
 * Tradeoff math for the charts: the Pareto frontier of (cost or latency, quality) points,
 * the policy's expected point per route (weight-averaged over its models), and a live
 * preview of where objective weights would land before the optimizer runs.
 */
import type { LeaderboardRow, PolicyDocument, RoutePolicy } from './types';

export interface TradeoffPoint {
  model: string;
  x: number;
  quality: number;
}

/**
 * Points not dominated by any other (lower-or-equal x with higher-or-equal quality, one
 * strictly better), sorted by x: the frontier a rational choice lies on.
 */
export function paretoFrontier<T extends TradeoffPoint>(points: readonly T[]): T[] {
  const sorted = [...points].filter((point) => Number.isFinite(point.x) && Number.isFinite(point.quality)).sort((a, b) => a.x - b.x || b.quality - a.quality);
  const frontier: T[] = [];
  let best = -Infinity;
  for (const point of sorted) {
    if (point.quality > best) {
      frontier.push(point);
      best = point.quality;
    }
  }
  return frontier;
}

export interface ExpectedPoint {
  route: string;
  quality: number;
  blendedPricePerMTok: number;
  latencyP50Ms: number | null;
  costPerRequestUsd: number;
}

/** Expected quality, price and latency of a route under the policy: Σ weight × model outcome (category `general` or the first). */
export function expectedPoint(route: string, policy: RoutePolicy, document: PolicyDocument, prices: Map<string, number>): ExpectedPoint | null {
  const category = policy.categories.general ?? Object.values(policy.categories)[0];
  if (!category || category.models.length === 0) return null;
  let quality = 0;
  let price = 0;
  let latency = 0;
  let latencyWeight = 0;
  let cost = 0;
  let total = 0;
  for (const entry of category.models) {
    const info = document.models?.[entry.model];
    const blended = prices.get(entry.model) ?? (info ? (3 * info.price.inputPerMTok + info.price.outputPerMTok) / 4 : 0);
    total += entry.weight;
    quality += entry.weight * entry.expected.quality;
    price += entry.weight * blended;
    cost += entry.weight * entry.expected.costPerRequestUsd;
    if (entry.expected.latencyP50Ms !== null) {
      latency += entry.weight * entry.expected.latencyP50Ms;
      latencyWeight += entry.weight;
    }
  }
  if (total <= 0) return null;
  return {
    route,
    quality: quality / total,
    blendedPricePerMTok: price / total,
    latencyP50Ms: latencyWeight > 0 ? latency / latencyWeight : null,
    costPerRequestUsd: cost / total,
  };
}

function median(values: number[]): number {
  const sorted = values.filter((value) => Number.isFinite(value) && value > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return 1;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Where objective weights would land, before the optimizer runs: utility = w_q·quality −
 * λ_cost·price/median price − λ_latency·latency/median latency per model, turned into
 * weights by a sharp softmax, then averaged. An estimate for the slider preview only.
 */
export function previewPoint(
  rows: readonly LeaderboardRow[],
  objective: { quality: number; cost: number; latency: number },
  candidates: readonly string[] = [],
  temperature = 0.05,
): { quality: number; blendedPricePerMTok: number; latencyP50Ms: number; weights: Map<string, number> } | null {
  const eligible = rows.filter(
    (row) => row.enabled && row.quality.mean !== null && (candidates.length === 0 || candidates.includes(row.model)),
  );
  if (eligible.length === 0) return null;
  const priceRef = median(eligible.map((row) => row.blendedPricePerMTok));
  const latencyRef = median(eligible.map((row) => row.latencyP50Ms ?? Number.NaN));
  const utilities = eligible.map(
    (row) =>
      objective.quality * (row.quality.mean ?? 0) -
      objective.cost * (row.blendedPricePerMTok / priceRef) * 0.1 -
      objective.latency * ((row.latencyP50Ms ?? latencyRef) / latencyRef) * 0.1,
  );
  const top = Math.max(...utilities);
  const exps = utilities.map((utility) => Math.exp((utility - top) / temperature));
  const sum = exps.reduce((a, b) => a + b, 0);
  const weights = new Map(eligible.map((row, index) => [row.model, exps[index]! / sum]));
  let quality = 0;
  let price = 0;
  let latency = 0;
  for (const row of eligible) {
    const weight = weights.get(row.model) ?? 0;
    quality += weight * (row.quality.mean ?? 0);
    price += weight * row.blendedPricePerMTok;
    latency += weight * (row.latencyP50Ms ?? latencyRef);
  }
  return { quality, blendedPricePerMTok: price, latencyP50Ms: latency, weights };
}

/**
 * A log price axis with ticks at 1–2–5 steps (…, $0.10, $0.20, $0.50, $1, $2, …) and a domain
 * from the step at or below the cheapest value to the step at or above the priciest, so every
 * tick is inside it and labelled in dollars (the default labels read "200m" for $0.20).
 */
export function priceAxis(values: readonly number[]): { domain: [number, number]; ticks: number[] } | null {
  const positive = values.filter((value) => Number.isFinite(value) && value > 0);
  if (positive.length === 0) return null;
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  const steps: number[] = [];
  for (let exponent = Math.floor(Math.log10(low)); exponent <= Math.ceil(Math.log10(high)); exponent += 1) {
    for (const mantissa of [1, 2, 5]) steps.push(Number((mantissa * 10 ** exponent).toPrecision(1)));
  }
  const from = steps.filter((step) => step <= low * (1 + 1e-9)).at(-1) ?? (steps[0] as number);
  const to = steps.find((step) => step >= high * (1 - 1e-9)) ?? (steps.at(-1) as number);
  const ticks = steps.filter((step) => step >= from && step <= to);
  return { domain: [from, to === from ? to * 2 : to], ticks };
}

/** A price tick's label: $0.05, $0.20, $1, $20. */
export function priceTick(value: number): string {
  return value >= 1 || value < 0.01 ? `$${value}` : `$${value.toFixed(2)}`;
}
