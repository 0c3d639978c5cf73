/**
 * Cost–quality metrics of the replay report.
 *
 * How it works: RouterBench's AIQ. Given (cost, quality) points, keep the non-decreasing
 * upper convex hull (a point is dropped when a cheaper one is at least as good or when it
 * lies under the segment between two neighbours: any point on a hull segment is reachable by
 * randomly mixing its two end routers). The hull is extended flat from its best point to
 * `maxCost`; AIQ = area under it on [minCost, maxCost] divided by (maxCost − minCost), i.e.
 * the average quality over the cost range, as in RouterBench. The report takes minCost = the
 * cheapest single model's cost and anchors every hull there (any router can always send
 * everything to the cheapest model), so a one-point router such as the oracle is the segment
 * from the cheapest model to its point, then flat. `frontier_mixing` is the hull over the
 * single models.
 */
export interface CostQuality {
  cost: number;
  quality: number;
}

/** Non-decreasing upper convex hull, sorted by cost. */
export function nonDecreasingHull(points: readonly CostQuality[]): CostQuality[] {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.quality - a.quality);
  const monotone: CostQuality[] = [];
  for (const point of sorted) {
    const last = monotone.at(-1);
    if (last && point.quality <= last.quality) continue;
    monotone.push(point);
  }
  const hull: CostQuality[] = [];
  for (const point of monotone) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2] as CostQuality;
      const b = hull[hull.length - 1] as CostQuality;
      // Drop b when it is on or below the segment a → point.
      const cross = (b.cost - a.cost) * (point.quality - a.quality) - (b.quality - a.quality) * (point.cost - a.cost);
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(point);
  }
  return hull;
}

/** Hull value at `cost` (0 below the cheapest point, flat after the best one). */
export function hullValue(hull: readonly CostQuality[], cost: number): number {
  const first = hull[0];
  if (!first || cost < first.cost) return 0;
  for (let index = 1; index < hull.length; index += 1) {
    const b = hull[index] as CostQuality;
    if (cost <= b.cost) {
      const a = hull[index - 1] as CostQuality;
      return a.quality + ((b.quality - a.quality) * (cost - a.cost)) / (b.cost - a.cost || 1);
    }
  }
  return (hull.at(-1) as CostQuality).quality;
}

/** AIQ of `points` over [minCost, maxCost] (hull value is 0 below its cheapest point). */
export function aiq(points: readonly CostQuality[], maxCost: number, minCost = 0): number {
  const hull = nonDecreasingHull(points);
  if (hull.length === 0 || !(maxCost > minCost)) return 0;
  // Integrate the piecewise-linear hull exactly between its breakpoints within the range.
  const breaks = [minCost, ...hull.map((point) => point.cost).filter((cost) => cost > minCost && cost < maxCost), maxCost];
  let area = 0;
  for (let index = 1; index < breaks.length; index += 1) {
    const left = breaks[index - 1] as number;
    const right = breaks[index] as number;
    const first = hull[0] as CostQuality;
    if (right <= first.cost) continue; // below the hull's cheapest point the value is 0
    if (left < first.cost) {
      area += ((hullValue(hull, first.cost) + hullValue(hull, right)) / 2) * (right - first.cost);
      continue;
    }
    area += ((hullValue(hull, left) + hullValue(hull, right)) / 2) * (right - left);
  }
  return area / (maxCost - minCost);
}

/** Lowest cost among `points` whose quality reaches `target`, or null. */
export function cheapestReaching(points: readonly CostQuality[], target: number): CostQuality | null {
  let best: CostQuality | null = null;
  for (const point of points) {
    if (point.quality + 1e-12 >= target && (!best || point.cost < best.cost)) best = point;
  }
  return best;
}

/**
 * Lowest cost at which the hull of `points` reaches `target`, or null when its best point is
 * under it. Over the single models this is what mixing them without reading the prompt costs:
 * a router whose choice does not depend on the prompt has, in expectation, a (cost, quality)
 * point inside that hull, so no such router reaches `target` for less.
 */
export function hullCostReaching(points: readonly CostQuality[], target: number): number | null {
  const hull = nonDecreasingHull(points);
  const first = hull[0];
  if (!first) return null;
  if (first.quality + 1e-12 >= target) return first.cost;
  for (let index = 1; index < hull.length; index += 1) {
    const a = hull[index - 1] as CostQuality;
    const b = hull[index] as CostQuality;
    if (b.quality + 1e-12 >= target) return a.cost + ((target - a.quality) * (b.cost - a.cost)) / (b.quality - a.quality);
  }
  return null;
}

/**
 * Index of the model with the best quality − λ · cost / `costReference` (the objective's
 * normalized cost; no penalty when the reference is not positive), the first on ties.
 */
export function bestUtilityIndex(quality: ArrayLike<number>, cost: ArrayLike<number>, lambda: number, costReference: number): number {
  const scale = costReference > 0 ? lambda / costReference : 0;
  let best = 0;
  let bestUtility = -Infinity;
  for (let m = 0; m < quality.length; m += 1) {
    const utility = (quality[m] as number) - scale * (cost[m] as number);
    if (utility > bestUtility) {
      bestUtility = utility;
      best = m;
    }
  }
  return best;
}
