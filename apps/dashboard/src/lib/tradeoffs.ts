/**
 * Tradeoff math for the charts: the Pareto frontier of (cost or latency, quality) points,
 * the policy's expected point per route (weight-averaged over its models), a preview of
 * where edited objective weights would land before the optimizer runs, and label placement
 * that keeps crowded chart labels readable.
 */
import { percent, perMTok } from './format';
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

/** The objective and constraints of a route, as a route draft or a published route holds them. */
export interface RouteSettings {
  objective: { quality: number; cost: number; latency: number };
  constraints: Partial<Record<'maxCostPerRequestUsd' | 'maxCostPerMTok' | 'maxTtftMs' | 'minQuality' | 'budgetPer1kUsd', number | null | undefined>>;
  candidates: readonly string[];
}

/** Constraints that are set (a positive number), as the API stores them. */
function setConstraints(constraints: RouteSettings['constraints']): Map<string, number> {
  return new Map(Object.entries(constraints).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]) && entry[1] > 0));
}

/** True when a draft has the objective, constraints and candidates the published route was optimized for. */
export function sameRouteSettings(draft: RouteSettings, published: RouteSettings): boolean {
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  if (!close(draft.objective.quality, published.objective.quality) || !close(draft.objective.cost, published.objective.cost) || !close(draft.objective.latency, published.objective.latency)) {
    return false;
  }
  const left = setConstraints(draft.constraints);
  const right = setConstraints(published.constraints);
  if (left.size !== right.size || [...left].some(([key, value]) => right.get(key) === undefined || !close(right.get(key)!, value))) return false;
  const candidates = [...new Set(draft.candidates)].sort();
  const publishedCandidates = [...new Set(published.candidates)].sort();
  return candidates.length === publishedCandidates.length && candidates.every((model, index) => model === publishedCandidates[index]);
}

/** The blended price per model the charts use: the leaderboard's, so every page agrees. */
function pricesOf(rows: readonly LeaderboardRow[]): Map<string, number> {
  return new Map(rows.map((row) => [row.model, row.blendedPricePerMTok]));
}

/** Every route's expected point under a published policy (what the Tradeoffs page plots). */
export function expectedPoints(document: PolicyDocument, rows: readonly LeaderboardRow[]): ExpectedPoint[] {
  const prices = pricesOf(rows);
  return Object.entries(document.routes)
    .map(([route, routePolicy]) => expectedPoint(route, routePolicy, document, prices))
    .filter((point): point is ExpectedPoint => point !== null);
}

export interface RouteEstimate {
  quality: number;
  blendedPricePerMTok: number;
  latencyP50Ms: number;
  weights: Map<string, number>;
  /** Models a constraint rules out, with the reason. */
  excluded: Array<{ model: string; reason: string }>;
}

/**
 * Where edited objective weights and constraints would land, before the optimizer runs.
 *
 * How it works: the route's candidates (every enabled model when none) with a leaderboard
 * quality, minus those a constraint rules out (maxCostPerMTok on the blended price,
 * minQuality on the pooled quality, maxTtftMs on probe TTFT p95 or p50). Each gets the
 * optimizer's utility, w_q·quality − λ_cost·price/highest price − λ_latency·p50/highest p50
 * (blended price stands in for cost per request; a model without latency gets the mean), and
 * a sharp softmax of the utilities gives the weights the leaderboard figures are averaged
 * with. The optimizer weighs by the probability of being best under its evidence, adds
 * exploration and per-category weights, and applies maxCostPerRequestUsd and budgetPer1kUsd,
 * which this estimate does not: it is a direction, not the published number.
 */
export function previewPoint(rows: readonly LeaderboardRow[], settings: RouteSettings, temperature = 0.05): RouteEstimate | null {
  const { objective, constraints, candidates } = settings;
  const excluded: RouteEstimate['excluded'] = [];
  const eligible = rows.filter((row) => {
    if (!row.enabled || row.quality.mean === null || (candidates.length > 0 && !candidates.includes(row.model))) return false;
    const reason = violation(row, constraints);
    if (reason) excluded.push({ model: row.model, reason });
    return reason === null;
  });
  if (eligible.length === 0) return null;
  const priceMax = Math.max(...eligible.map((row) => row.blendedPricePerMTok));
  const known = eligible.map((row) => row.latencyP50Ms ?? row.ttftP50Ms).filter((value): value is number => value !== null && Number.isFinite(value));
  const latencyMax = known.length > 0 ? Math.max(...known) : 0;
  const latencyMean = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 0;
  const latencyOf = (row: LeaderboardRow) => row.latencyP50Ms ?? row.ttftP50Ms ?? latencyMean;
  const utilities = eligible.map(
    (row) =>
      objective.quality * (row.quality.mean ?? 0) -
      objective.cost * (priceMax > 0 ? row.blendedPricePerMTok / priceMax : 0) -
      objective.latency * (latencyMax > 0 ? latencyOf(row) / latencyMax : 0),
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
    latency += weight * latencyOf(row);
  }
  return { quality, blendedPricePerMTok: price, latencyP50Ms: latency, weights, excluded };
}

/** The first constraint a model breaks, as the optimizer words it, or null. */
function violation(row: LeaderboardRow, constraints: RouteSettings['constraints']): string | null {
  const set = setConstraints(constraints);
  const maxPrice = set.get('maxCostPerMTok');
  if (maxPrice !== undefined && row.blendedPricePerMTok > maxPrice) return `price ${perMTok(row.blendedPricePerMTok)} > max ${perMTok(maxPrice)}`;
  const maxTtft = set.get('maxTtftMs');
  const ttft = row.ttftP95Ms ?? row.ttftP50Ms;
  if (maxTtft !== undefined && ttft !== null && ttft > maxTtft) return `TTFT ${Math.round(ttft)} ms > max ${maxTtft} ms`;
  const minQuality = set.get('minQuality');
  if (minQuality !== undefined && row.quality.mean !== null && row.quality.mean < minQuality) return `quality ${percent(row.quality.mean)} < min ${percent(minQuality, 0)}`;
  return null;
}

/**
 * The Routes page's figure for the route being edited. Unchanged (same objective,
 * constraints and candidates as the published route, no candidates meaning every enabled
 * model as the optimizer resolves them): the published policy's expected point, exactly what
 * the Tradeoffs page shows. Edited or new: the `previewPoint` estimate.
 */
export function routePreview(
  input: { name: string; isNew: boolean; settings: RouteSettings; document: PolicyDocument | null; rows: readonly LeaderboardRow[] },
): ({ kind: 'published' } & ExpectedPoint) | ({ kind: 'estimate' } & RouteEstimate) | null {
  const published = input.isNew ? undefined : input.document?.routes[input.name];
  // The schema's defaults, for an old document that left a field out (as the route editor's draft does).
  const objective = published ? { quality: 1, cost: 0.3, latency: 0.1, ...published.objective } : null;
  // No candidates means every enabled model; the published route lists the ones it resolved to.
  const enabled = input.rows.filter((row) => row.enabled).map((row) => row.model);
  const resolve = (candidates: readonly string[] | undefined) => (candidates && candidates.length > 0 ? candidates : enabled);
  if (
    input.document &&
    published &&
    objective &&
    sameRouteSettings({ ...input.settings, candidates: resolve(input.settings.candidates) }, { objective, constraints: published.constraints ?? {}, candidates: resolve(published.candidates) })
  ) {
    const point = expectedPoint(input.name, published, input.document, pricesOf(input.rows));
    if (point) return { kind: 'published', ...point };
  }
  const estimate = previewPoint(input.rows, input.settings);
  return estimate ? { kind: 'estimate', ...estimate } : null;
}

/** A rectangle on the chart, in pixels. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type LabelSide = 'top' | 'bottom' | 'right' | 'left' | 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left';

/** Where a label goes relative to its point: Plot.text's textAnchor, dx and dy. */
export interface LabelOffset {
  side: LabelSide;
  textAnchor: 'start' | 'middle' | 'end';
  dx: number;
  dy: number;
}

/** The candidate positions around a point, in the order they are tried, `gap` px from its centre. */
function labelOffsets(gap: number, lineHeight: number): LabelOffset[] {
  const diagonal = Math.round(gap * 0.7);
  const half = lineHeight / 2;
  return [
    { side: 'top', textAnchor: 'middle', dx: 0, dy: -(gap + half) },
    { side: 'bottom', textAnchor: 'middle', dx: 0, dy: gap + half },
    { side: 'right', textAnchor: 'start', dx: gap, dy: 0 },
    { side: 'left', textAnchor: 'end', dx: -gap, dy: 0 },
    { side: 'top-right', textAnchor: 'start', dx: diagonal, dy: -(diagonal + half) },
    { side: 'top-left', textAnchor: 'end', dx: -diagonal, dy: -(diagonal + half) },
    { side: 'bottom-right', textAnchor: 'start', dx: diagonal, dy: diagonal + half },
    { side: 'bottom-left', textAnchor: 'end', dx: -diagonal, dy: diagonal + half },
  ];
}

/** Boxes closer than `air` px count as overlapping, so neighbouring labels never touch. */
function overlaps(a: Box, b: Box, air = 2): boolean {
  return a.left < b.left + b.width + air && b.left < a.left + a.width + air && a.top < b.top + b.height + air && b.top < a.top + a.height + air;
}

export interface PlacedLabel<T> extends LabelOffset {
  text: string;
  /** The points the label names: one, or several whose marks sit on top of each other. */
  members: T[];
  box: Box;
}

/**
 * Labels for chart points that do not overlap.
 *
 * How it works: points closer than `mergeDistance` px (their marks overlap) share one label,
 * their names joined ("support, fast, nope"). Each label then takes the first position around
 * its point (above, below, right, left, then the diagonals) whose box stays inside `bounds`
 * and overlaps no label placed before it, no box in `avoid`, and no other point. A label
 * with no free position is left out (its point keeps its tooltip), or with `always` takes
 * the position with the fewest overlaps. `x` and `y` are pixels.
 */
export function placeLabels<T>(
  points: readonly T[],
  options: {
    x: (point: T) => number;
    y: (point: T) => number;
    text: (point: T) => string;
    bounds: Box;
    /** Point radius plus a little air: how far a label sits from its point. */
    gap: number;
    mergeDistance: number;
    charWidth: number;
    lineHeight: number;
    /** Boxes already taken (other labels, other marks). */
    avoid?: readonly Box[];
    /** Every point on the chart, labelled or not, that a label must not cover. */
    obstacles?: ReadonlyArray<{ x: number; y: number; radius: number }>;
    /** Place every label, in its least crowded position when none is free (for the few labels that must show). */
    always?: boolean;
  },
): PlacedLabel<T>[] {
  const groups: Array<{ x: number; y: number; members: T[] }> = [];
  for (const point of points) {
    const x = options.x(point);
    const y = options.y(point);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const group = groups.find((candidate) => Math.hypot(candidate.x - x, candidate.y - y) < options.mergeDistance);
    if (group) group.members.push(point);
    else groups.push({ x, y, members: [point] });
  }
  const taken: Box[] = [...(options.avoid ?? [])];
  const obstacles = (options.obstacles ?? []).map((point) => ({ ...point, box: { left: point.x - point.radius, top: point.y - point.radius, width: 2 * point.radius, height: 2 * point.radius } }));
  const bounds = options.bounds;
  const placed: PlacedLabel<T>[] = [];
  for (const group of groups) {
    const text = [...new Set(group.members.map(options.text))].join(', ');
    const width = text.length * options.charWidth;
    let best: { offset: LabelOffset; box: Box; conflicts: number } | null = null;
    for (const offset of labelOffsets(options.gap, options.lineHeight)) {
      const anchorX = group.x + offset.dx;
      const left = offset.textAnchor === 'start' ? anchorX : offset.textAnchor === 'middle' ? anchorX - width / 2 : anchorX - width;
      const box = { left, top: group.y + offset.dy - options.lineHeight / 2, width, height: options.lineHeight };
      const inside = box.left >= bounds.left && box.top >= bounds.top && box.left + box.width <= bounds.left + bounds.width && box.top + box.height <= bounds.top + bounds.height;
      if (!inside) continue;
      // Its own points are not in the way (the label sits beside them by construction).
      const conflicts =
        taken.filter((other) => overlaps(box, other)).length +
        obstacles.filter((obstacle) => overlaps(box, obstacle.box) && Math.hypot(obstacle.x - group.x, obstacle.y - group.y) >= options.mergeDistance).length;
      if (!best || conflicts < best.conflicts) best = { offset, box, conflicts };
      if (conflicts === 0) break;
    }
    if (!best || (best.conflicts > 0 && !options.always)) continue;
    taken.push(best.box);
    placed.push({ ...best.offset, text, members: group.members, box: best.box });
  }
  return placed;
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
