/**
 * Whether a candidate policy differs materially from the current one.
 *
 * How it works: `diffPolicies` measures, per (route, category), the L1 distance between the
 * two weight vectors. The candidate is published when there is no current policy, when a
 * route or a model appears or disappears, when a route's objective or constraints changed,
 * when the classifier's categories or its calibration changed materially or a classifier
 * appeared, or when some (route, category) moved more than `threshold` of its traffic and
 * that move is worth it: under the candidate's own estimates, routing by the candidate's weights
 * instead of the current ones must raise some (route, category)'s expected utility by at least
 * `minGain`. Weights swinging between models that are nearly tied (young evidence, Thompson
 * draws) move a lot of traffic for no expected gain, and are not published; a model that
 * degrades or a better one found is. Small Monte Carlo jitter and refreshed contextual
 * coefficients alone do not cause a publish either.
 */
import { canonicalize, diffPolicies, type PolicyDiff, type PolicyDocument } from '@switchyard/policy';

export interface PublishDecision {
  publish: boolean;
  reason: string;
  diff: PolicyDiff | null;
}

const MAX_MODELS_NAMED = 6;
const MAX_CELLS_NAMED = 3;

/**
 * One entry per model, naming the (route, category) cells it entered or left: a model can join
 * one category's candidates and leave another's in the same policy, so the model alone would
 * read as "+X, −X".
 */
function describeCells(sign: string, entries: ReadonlyArray<{ route: string; category: string; model: string }>): string[] {
  const cellsByModel = new Map<string, string[]>();
  for (const entry of entries) {
    const cells = cellsByModel.get(entry.model) ?? [];
    cells.push(`${entry.route}/${entry.category}`);
    cellsByModel.set(entry.model, cells);
  }
  return [...cellsByModel].map(([model, cells]) => {
    const shown = cells.slice(0, MAX_CELLS_NAMED).join(', ');
    const more = cells.length > MAX_CELLS_NAMED ? ` +${cells.length - MAX_CELLS_NAMED} more` : '';
    return `${sign}${model} (${shown}${more})`;
  });
}

/**
 * A material change in how sure the classifier has to be: a calibration appearing (a policy
 * from before calibration), another `minConfidence`, or a temperature at least twice or half
 * the current one. Smaller temperature moves (the grid's neighbouring steps, as the
 * cross-validation's mistakes come and go) are jitter and wait for the next material change.
 */
function calibrationChange(before: PolicyDocument['classifier'], after: PolicyDocument['classifier']): string | null {
  if (!before || !after) return null;
  if (before.minConfidence !== after.minConfidence) return `the classifier's minConfidence changed (${before.minConfidence} → ${after.minConfidence})`;
  if (after.temperature === undefined) return null;
  if (before.temperature === undefined) return `the classifier is now calibrated (temperature ${after.temperature})`;
  const ratio = after.temperature / before.temperature;
  return ratio >= 2 || ratio <= 0.5 ? `the classifier's temperature moved (${before.temperature} → ${after.temperature})` : null;
}

/**
 * The largest expected-utility gain, over the (route, category) cells both policies have, of
 * routing by the candidate's weights rather than the current ones, both valued with the
 * candidate's utility estimates.
 */
function largestGain(current: PolicyDocument, candidate: PolicyDocument): { gain: number; cell: string | null } {
  let best = { gain: -Infinity, cell: null as string | null };
  for (const [routeName, route] of Object.entries(candidate.routes)) {
    for (const [categoryName, category] of Object.entries(route.categories)) {
      const before = current.routes[routeName]?.categories[categoryName];
      if (!before) continue;
      const weightBefore = new Map(before.models.map((entry) => [entry.model, entry.weight]));
      let gain = 0;
      for (const entry of category.models) gain += (entry.weight - (weightBefore.get(entry.model) ?? 0)) * (entry.expected.utility ?? entry.expected.quality);
      if (gain > best.gain) best = { gain, cell: `${routeName}/${categoryName}` };
    }
  }
  return best;
}

export function shouldPublish(current: PolicyDocument | null, candidate: PolicyDocument, threshold: number, minGain = 0): PublishDecision {
  if (!current) return { publish: true, reason: 'the first policy: none was published before', diff: null };
  const diff = diffPolicies(current, candidate);
  if (diff.routesAdded.length > 0 || diff.routesRemoved.length > 0) {
    return { publish: true, reason: `routes changed (added: ${diff.routesAdded.join(', ') || 'none'}; removed: ${diff.routesRemoved.join(', ') || 'none'})`, diff };
  }
  // Categories that appeared or left, named as such (each of their models would otherwise read as a model change).
  if (diff.categoriesAdded.length > 0 || diff.categoriesRemoved.length > 0) {
    return { publish: true, reason: `categories changed (added: ${diff.categoriesAdded.join(', ') || 'none'}; removed: ${diff.categoriesRemoved.join(', ') || 'none'})`, diff };
  }
  if (diff.modelsAdded.length > 0 || diff.modelsRemoved.length > 0) {
    const changes = [...describeCells('+', diff.modelsAdded), ...describeCells('−', diff.modelsRemoved)];
    const shown = changes.slice(0, MAX_MODELS_NAMED).join('; ');
    const more = changes.length > MAX_MODELS_NAMED ? `; and ${changes.length - MAX_MODELS_NAMED} more` : '';
    return { publish: true, reason: `models changed: ${shown}${more}`, diff };
  }
  for (const [name, route] of Object.entries(candidate.routes)) {
    const before = current.routes[name];
    if (before && canonicalize([before.objective, before.constraints]) !== canonicalize([route.objective, route.constraints])) {
      return { publish: true, reason: `route ${name}: objective or constraints changed`, diff };
    }
  }
  const categoriesBefore = current.classifier?.categories.join(',') ?? null;
  const categoriesAfter = candidate.classifier?.categories.join(',') ?? null;
  if (categoriesBefore !== categoriesAfter && categoriesAfter !== null) {
    return { publish: true, reason: 'the category classifier changed', diff };
  }
  const calibration = calibrationChange(current.classifier, candidate.classifier);
  if (calibration) return { publish: true, reason: calibration, diff };
  if (diff.maxL1 > threshold) {
    const { gain, cell } = largestGain(current, candidate);
    if (gain < minGain) {
      return {
        publish: false,
        reason: `weights moved by up to ${diff.maxL1.toFixed(3)} (L1), but the expected utility would rise by at most ${Math.max(0, gain).toFixed(4)} (< ${minGain}): the models traded are nearly tied`,
        diff,
      };
    }
    const top = diff.weightChanges[0];
    return {
      publish: true,
      reason: `weights moved by up to ${diff.maxL1.toFixed(3)} (L1) > threshold ${threshold}, expected utility +${gain.toFixed(4)} in ${cell}${top ? `; largest: ${top.route}/${top.category} ${top.model} ${top.from.toFixed(3)} → ${top.to.toFixed(3)}` : ''}`,
      diff,
    };
  }
  return { publish: false, reason: `largest weight movement ${diff.maxL1.toFixed(3)} (L1) ≤ threshold ${threshold}`, diff };
}
