/**
 * Category of a request: the `category` hint, else the policy's classifier, else `general`.
 * The classifier is compiled once per policy swap into a plain function.
 */
import { DEFAULT_CATEGORY } from '@switchyard/core';
import { classify, type Classifier } from '@switchyard/policy';

export interface CategoryDecision {
  category: string;
  source: 'hint' | 'classifier' | 'default';
  /**
   * Set when the classifier's top category was below the policy's minConfidence (so `general`
   * routed), for the reason header, which formats it (`math 0.41 < 0.70`) as it builds itself.
   */
  unsure?: UnsureClassification;
}

export interface UnsureClassification {
  top: string;
  confidence: number;
  /** ` < <minConfidence>`, formatted once per policy. */
  threshold: string;
}

/** The policy's classifier: a shared decision when it is sure, else `general` with why. */
export type CategoryClassifier = (text: string) => CategoryDecision;

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

/** A function scoring text with the policy's classifier; undefined when the policy has none. */
export function compileClassifier(classifier: Classifier | undefined): CategoryClassifier | undefined {
  if (!classifier) return undefined;
  const minConfidence = classifier.minConfidence;
  const threshold = ` < ${minConfidence.toFixed(2)}`;
  return (text) => {
    const result = classify(classifier, text);
    if (result.confidence >= minConfidence) return cached(byClassifier, result.category, 'classifier');
    // Only an unsure classification allocates (its own decision, saying why it fell back).
    return { category: DEFAULT_CATEGORY, source: 'default', unsure: { top: result.category, confidence: result.confidence, threshold } };
  };
}

/** Decide the category without allocating in the common case (shared decision objects). */
export function decideCategory(hint: string | undefined, classify: CategoryClassifier | undefined, text: string): CategoryDecision {
  if (hint !== undefined) return cached(hinted, hint, 'hint');
  if (classify && text.length > 0) return classify(text);
  return defaultDecision;
}
