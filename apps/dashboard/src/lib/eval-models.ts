import type { LeaderboardRow, ModelItem } from './types';

/**
 * The models the eval form starts with checked, and a sentence saying why: the cheapest few
 * enabled models with no quality evidence yet (an eval is what gives them a quality), or none
 * when every enabled model has some. An eval never starts on the priciest models by default.
 */
export function defaultEvalModels(models: readonly ModelItem[], rows: readonly LeaderboardRow[], limit = 3): { models: string[]; reason: string } {
  const evidence = new Map(rows.map((row) => [row.model, row.quality.n]));
  const enabled = models.filter((model) => model.enabled);
  if (enabled.length === 0) return { models: [], reason: 'No enabled models.' };
  const unmeasured = enabled.filter((model) => (evidence.get(model.id) ?? 0) === 0).sort((a, b) => a.blendedPricePerMTok - b.blendedPricePerMTok || a.id.localeCompare(b.id));
  if (unmeasured.length === 0) {
    return { models: [], reason: 'Nothing preselected: every enabled model already has quality evidence. Check the models to compare on this dataset.' };
  }
  const chosen = unmeasured.slice(0, limit).map((model) => model.id);
  const which = unmeasured.length > chosen.length ? `the ${chosen.length} cheapest of the ${unmeasured.length} models` : chosen.length === 1 ? 'the model' : `the ${chosen.length} models`;
  return { models: chosen, reason: `Preselected: ${which} with no quality evidence yet. Check others to compare them on this dataset.` };
}
