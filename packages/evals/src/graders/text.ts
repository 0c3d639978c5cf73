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

/** regex: one ideal pattern matches the output (`graderOptions.flags`, e.g. "i"). */
export function regexGrader(item: EvalItem, output: string): GradeResult {
  const flags = typeof item.graderOptions.flags === 'string' ? item.graderOptions.flags : undefined;
  const subject = output.slice(0, MAX_REGEX_INPUT);
  const match = item.ideal.find((pattern) => new RegExp(pattern, flags).test(subject));
  return match === undefined
    ? { score: 0, explanation: `no pattern of ${item.ideal.map((pattern) => `/${clip(pattern, 40)}/`).join(', ')} matches` }
    : { score: 1, explanation: `matches /${clip(match, 40)}/` };
}
