/**
 * Category of a request: the `category` hint, else the policy's classifier, else `general`.
 * The classifier is compiled once per policy swap into a plain function.
 */
import { DEFAULT_CATEGORY } from '@switchyard/core';
import { classify, type Classifier } from '@switchyard/policy';

export type CategoryClassifier = (text: string) => string | undefined;

/** A function scoring text with the policy's classifier; undefined when the policy has none. */
export function compileClassifier(classifier: Classifier | undefined): CategoryClassifier | undefined {
  if (!classifier) return undefined;
  const minConfidence = classifier.minConfidence;
  return (text) => {
    const result = classify(classifier, text);
    return result.confidence >= minConfidence ? result.category : undefined;
  };
}

export interface CategoryDecision {
  category: string;
  source: 'hint' | 'classifier' | 'default';
}

const hinted = new Map<string, CategoryDecision>();
const byClassifier = new Map<string, CategoryDecision>();
const defaultDecision: CategoryDecision = { category: DEFAULT_CATEGORY, source: 'default' };

function cached(cache: Map<string, CategoryDecision>, category: string, source: CategoryDecision['source']): CategoryDecision {
  let decision = cache.get(category);
  if (!decision) {
    decision = { category, source };
    if (cache.size < 1000) cache.set(category, decision);
  }
  return decision;
}

/** Decide the category without allocating in the common case (shared decision objects). */
export function decideCategory(hint: string | undefined, classify: CategoryClassifier | undefined, text: string): CategoryDecision {
  if (hint !== undefined) return cached(hinted, hint, 'hint');
  if (classify && text.length > 0) {
    const category = classify(text);
    if (category !== undefined) return cached(byClassifier, category, 'classifier');
  }
  return defaultDecision;
}
