/**
 * Per-prompt weights from a contextual policy: the category's base weights moved by
 * `strength` toward the model the contextual model scores best for this prompt
 * (`(1 − s)·base + s·[best]`), the same rule as `requestWeights` in @switchyard/policy, over
 * the routing table's entry order and with one reused feature holder.
 */
import { contextualScores, createPromptFeatures, featurize } from '@switchyard/policy';
import type { CategoryTable } from './routing-table';

const features = createPromptFeatures(512);

export function contextualWeights(table: CategoryTable, text: string): number[] | undefined {
  const contextual = table.contextual;
  if (!contextual || text.length === 0) return undefined;
  const scores = contextualScores(contextual.policy, featurize(text, contextual.policy.features, features));
  let best = -1;
  let bestScore = -Infinity;
  for (let index = 0; index < scores.length; index += 1) {
    const entry = contextual.entryIndex[index] as number;
    if (entry >= 0 && (scores[index] as number) > bestScore) {
      bestScore = scores[index] as number;
      best = entry;
    }
  }
  if (best < 0) return undefined;
  const strength = Math.min(1, Math.max(0, contextual.policy.strength));
  return table.weights.map((weight, index) => (1 - strength) * weight + (index === best ? strength : 0));
}
