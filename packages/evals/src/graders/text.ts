import { Script, createContext } from 'node:vm';
import type { EvalItem } from '../item';
import { clip, type GradeResult } from './types';

export interface NormalizeOptions {
  ignoreCase?: boolean;
  /** Collapse runs of whitespace to one space. */
  normalizeWhitespace?: boolean;
  /** Drop punctuation (Unicode P and S classes). */
  ignorePunctuation?: boolean;
}

function options(item: EvalItem): NormalizeOptions {
  const raw = item.graderOptions;
  return { ignoreCase: raw.ignoreCase === true, normalizeWhitespace: raw.normalizeWhitespace === true, ignorePunctuation: raw.ignorePunctuation === true };
}

export function normalizeText(text: string, settings: NormalizeOptions): string {
  let out = text.trim();
  if (settings.ignorePunctuation) out = out.replace(/[\p{P}\p{S}]+/gu, settings.normalizeWhitespace ? ' ' : '');
  if (settings.normalizeWhitespace) out = out.replace(/\s+/g, ' ').trim();
  if (settings.ignoreCase) out = out.toLowerCase();
  return out;
}

/** exact: the trimmed output equals one ideal (with the item's normalization options). */
export function exactGrader(item: EvalItem, output: string): GradeResult {
  const settings = options(item);
  const said = normalizeText(output, settings);
  const match = item.ideal.find((ideal) => normalizeText(ideal, settings) === said);
  return match === undefined
    ? { score: 0, explanation: `"${clip(output)}" is not ${item.ideal.map((ideal) => `"${clip(ideal, 40)}"`).join(' or ')}` }
    : { score: 1, explanation: `matches "${clip(match, 40)}"` };
}

/** includes: one ideal occurs in the output (case-sensitive unless `ignoreCase`). */
export function includesGrader(item: EvalItem, output: string): GradeResult {
  const settings = options(item);
  const said = settings.ignoreCase ? output.toLowerCase() : output;
  const match = item.ideal.find((ideal) => said.includes(settings.ignoreCase ? ideal.toLowerCase() : ideal));
  return match === undefined
    ? { score: 0, explanation: `none of ${item.ideal.map((ideal) => `"${clip(ideal, 40)}"`).join(', ')} occurs in the output` }
    : { score: 1, explanation: `contains "${clip(match, 40)}"` };
}

/** Outputs longer than this are cut before regex matching, bounding the cost of a bad pattern. */
const MAX_REGEX_INPUT = 100_000;
/** A pattern that backtracks catastrophically on an output is stopped after this long. */
const REGEX_TIMEOUT_MS = 100;

// Patterns come from uploaded datasets, so one may backtrack catastrophically (`^(a+)+$`).
// V8 interrupts a regex running under vm's `timeout`, so each test runs as a tiny script in
// one reused context: about 0.1 ms of overhead, and a bad pattern costs REGEX_TIMEOUT_MS once.
const regexContext = createContext(Object.create(null) as object);
const regexTest = new Script('pattern.test(subject)');

/** `pattern.test(subject)`, or 'timeout' when it ran longer than REGEX_TIMEOUT_MS. */
function boundedRegexTest(pattern: RegExp, subject: string): boolean | 'timeout' {
  const globals = regexContext as { pattern?: RegExp; subject?: string };
  globals.pattern = pattern;
  globals.subject = subject;
  try {
    return regexTest.runInContext(regexContext, { timeout: REGEX_TIMEOUT_MS }) === true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
    throw error;
  } finally {
    globals.pattern = undefined;
    globals.subject = undefined;
  }
}

/** regex: one ideal pattern matches the output (`graderOptions.flags`, e.g. "i"). */
export function regexGrader(item: EvalItem, output: string): GradeResult {
  const flags = typeof item.graderOptions.flags === 'string' ? item.graderOptions.flags : undefined;
  const subject = output.slice(0, MAX_REGEX_INPUT);
  const timedOut: string[] = [];
  const match = item.ideal.find((pattern) => {
    const result = boundedRegexTest(new RegExp(pattern, flags), subject);
    if (result === 'timeout') timedOut.push(pattern);
    return result === true;
  });
  if (match !== undefined) return { score: 1, explanation: `matches /${clip(match, 40)}/` };
  const slow = timedOut.length === 0 ? '' : `; /${clip(timedOut[0] as string, 40)}/ was stopped after ${REGEX_TIMEOUT_MS} ms (catastrophic backtracking?) and counts as no match`;
  return {
    score: 0,
    explanation: `no pattern of ${item.ideal.map((pattern) => `/${clip(pattern, 40)}/`).join(', ')} matches${slow}`,
    ...(timedOut.length === 0 ? {} : { detail: { timedOutPatterns: timedOut } }),
  };
}
