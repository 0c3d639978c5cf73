import type { EvalItem } from '../item';

/** What every grader returns: a score in [0, 1], a short human explanation, optional detail. */
export interface GradeResult {
  score: number;
  explanation: string;
  detail?: Record<string, unknown>;
}

/**
 * The judge model for `llm-judge`, injected by the caller (the jobs call it through
 * Switchyard's own router), so this package never does I/O itself.
 */
export type Judge = (prompt: string) => Promise<string>;

export interface GradeContext {
  judge?: Judge;
}

export type Grader = (item: EvalItem, output: string, context: GradeContext) => GradeResult | Promise<GradeResult>;

/** Shorten model output for an explanation. */
export function clip(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
