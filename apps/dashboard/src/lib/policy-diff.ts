/**
 * Reading a policy diff. The API reports `maxL1`, the largest L1 distance between one
 * route/category's weight vectors in the two versions; it runs from 0 to 2 (2 = all traffic
 * on different models), so as a percent it reads over 100%. Half of it is the share of that
 * route/category's traffic that goes to a different model: 0 to 1, the figure shown.
 */
import type { PolicyDiff } from './types';

/** Share of traffic that moves to other models, from an L1 distance between weight vectors. */
export function trafficMoved(l1: number): number {
  return Number.isFinite(l1) ? Math.min(1, Math.max(0, l1 / 2)) : 0;
}

/**
 * The route/category (present in both versions) whose traffic moved most, and the share of
 * its traffic that moved. A route or category only in one version has no traffic that
 * "moved" (it is listed as added or removed), so it is left out; the API's `maxL1` counts it.
 */
export function largestShift(diff: PolicyDiff): { route: string; category: string; moved: number } | null {
  const totals = new Map<string, { route: string; category: string; l1: number; before: boolean; after: boolean }>();
  const add = (route: string, category: string, amount: number, before: boolean, after: boolean) => {
    const key = `${route}\u0000${category}`;
    const entry = totals.get(key) ?? { route, category, l1: 0, before: false, after: false };
    entry.l1 += Math.abs(amount);
    entry.before ||= before;
    entry.after ||= after;
    totals.set(key, entry);
  };
  for (const change of diff.weightChanges) add(change.route, change.category, change.to - change.from, true, true);
  for (const change of diff.modelsAdded) add(change.route, change.category, change.weight, false, true);
  for (const change of diff.modelsRemoved) add(change.route, change.category, change.weight, true, false);
  let top: { route: string; category: string; l1: number } | null = null;
  for (const entry of totals.values()) {
    if (!entry.before || !entry.after || diff.routesAdded.includes(entry.route) || diff.routesRemoved.includes(entry.route)) continue;
    if (!top || entry.l1 > top.l1) top = entry;
  }
  return top ? { route: top.route, category: top.category, moved: trafficMoved(top.l1) } : null;
}
