import { SwitchyardError } from '@switchyard/core';
import type { EvalItem, GraderName } from '../item';
import { choiceGrader } from './choice';
import { jsonGrader } from './json';
import { llmJudgeGrader } from './llm-judge';
import { numericGrader } from './numeric';
import { exactGrader, includesGrader, regexGrader } from './text';
import type { GradeContext, GradeResult, Grader } from './types';

const graders: Record<Exclude<GraderName, 'all'>, Grader> = {
  exact: exactGrader,
  includes: includesGrader,
  regex: regexGrader,
  choice: choiceGrader,
  numeric: numericGrader,
  json: jsonGrader,
  'llm-judge': llmJudgeGrader,
};

interface SubAssertion {
  grader: Exclude<GraderName, 'all'>;
  ideal: string[];
  options: Record<string, unknown>;
}

function subAssertions(item: EvalItem): SubAssertion[] {
  const raw = item.graderOptions.assertions;
  if (!Array.isArray(raw) || raw.length === 0) throw new SwitchyardError('bad_request', `Item ${item.id}: the all grader needs graderOptions.assertions`);
  return raw as SubAssertion[];
}

/** `all`: every assertion must pass; the score is their mean, explanations are joined. */
async function allGrader(item: EvalItem, output: string, context: GradeContext): Promise<GradeResult> {
  const parts: GradeResult[] = [];
  for (const assertion of subAssertions(item)) {
    parts.push(await grade({ ...item, grader: assertion.grader, ideal: assertion.ideal, graderOptions: assertion.options }, output, context));
  }
  const mean = parts.reduce((sum, part) => sum + part.score, 0) / parts.length;
  const passed = parts.filter((part) => part.score >= 1).length;
  return {
    score: mean,
    explanation: `${passed}/${parts.length} assertions pass: ${parts.map((part) => part.explanation).join('; ')}`,
    detail: { assertions: parts },
  };
}

/**
 * Grade one model output for one item. Scores are in [0, 1]; `graderOptions.negate` turns a
 * pass into a fail (promptfoo's `not-` assertions). `llm-judge` needs `context.judge`.
 */
export async function grade(item: EvalItem, output: string, context: GradeContext = {}): Promise<GradeResult> {
  const grader = item.grader === 'all' ? allGrader : graders[item.grader];
  const result = await grader(item, output, context);
  const score = Math.min(1, Math.max(0, result.score));
  if (item.graderOptions.negate === true) {
    return { ...result, score: 1 - score, explanation: `negated (${score >= 1 ? 'should not have passed' : 'passes because the check fails'}): ${result.explanation}` };
  }
  return { ...result, score };
}

export type { GradeContext, GradeResult, Judge } from './types';
