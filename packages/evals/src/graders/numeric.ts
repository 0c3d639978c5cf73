/**
 * numeric grader. How it works: the answer is the first number after the last "Answer:" (or
 * "answer is", "####", a LaTeX \boxed{}), else the last number anywhere in the output.
 * Thousands separators, currency signs, percent signs and trailing units are ignored;
 * fractions (3/4) and mixed numbers (1 1/2) are evaluated. It matches an ideal within a
 * tolerance (relative 1e-6 by default; `graderOptions.tolerance` absolute, or
 * `relativeTolerance`).
 */
import type { EvalItem } from '../item';
import { clip, type GradeResult } from './types';

const numberPattern = new RegExp(String.raw`(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+(?![\w]))?(?:\s*/\s*\d+(?:\.\d+)?(?!\d|\.\d))?`, 'g');

/** A number written in text: "1,234", "$5.00", "-3", "3/4", "1 1/2", "50%", "2.5e3"; null if none. */
export function parseNumber(text: string): number | null {
  const cleaned = text
    .trim()
    .replace(/^\*+|\*+$/g, '')
    .replace(/[$€£¥]|USD|EUR/gi, '')
    .replace(/−/g, '-')
    .replace(/%$/, '')
    .replace(/\.$/, '')
    .trim();
  const mixed = /^(-)?(\d+)\s+(\d+)\s*\/\s*(\d+)$/.exec(cleaned);
  if (mixed) {
    const value = Number(mixed[2]) + Number(mixed[3]) / Number(mixed[4]);
    return mixed[1] ? -value : value;
  }
  const fraction = /^(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(cleaned);
  if (fraction) {
    const denominator = Number(fraction[2]);
    return denominator === 0 ? null : Number(fraction[1]) / denominator;
  }
  if (!/^-?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(cleaned) || !/\d/.test(cleaned)) return null;
  const value = Number(cleaned.replace(/,/g, ''));
  return Number.isFinite(value) ? value : null;
}

interface Found {
  value: number;
  text: string;
}

function numbersIn(text: string): Found[] {
  const found: Found[] = [];
  let consumedUntil = 0;
  for (const match of text.matchAll(numberPattern)) {
    const start = match.index;
    if (start < consumedUntil) continue;
    // A minus sign directly before the number (and not after a digit or letter, as in "5-3") makes it negative.
    const negative = start > 0 && /[-−]/.test(text[start - 1]!) && (start < 2 || !/[\w)]/.test(text[start - 2]!));
    const mixed = /^(\d+)\s+(\d+\s*\/\s*\d+)/.exec(text.slice(start));
    const raw = mixed ? `${mixed[1]} ${mixed[2]}` : match[0];
    consumedUntil = start + (mixed ? mixed[0].length : match[0].length);
    const value = parseNumber(raw);
    if (value !== null) found.push({ value: negative ? -value : value, text: (negative ? '-' : '') + raw });
  }
  return found;
}

/** The number a model output commits to, or null. */
export function extractFinalNumber(output: string): Found | null {
  const text = output.replace(/\*\*|__|`/g, '');
  const boxed = [...text.matchAll(/\\boxed\{([^{}]*)\}/g)].at(-1);
  if (boxed) {
    const inside = numbersIn(boxed[1]!.replace(/\\[a-z]+\{?|\}/gi, ' '));
    if (inside.length > 0) return inside[0]!;
  }
  const markers = [...text.matchAll(/(?:final answer|answer)\s*(?:is|:|=)?\s*:?|####/gi)];
  for (let index = markers.length - 1; index >= 0; index -= 1) {
    const marker = markers[index]!;
    const after = text.slice(marker.index + marker[0].length);
    // The number must follow the marker on the same line, with only a few words between.
    const line = after.split('\n', 1)[0]!;
    const first = numbersIn(line)[0];
    if (first) return first;
  }
  return numbersIn(text).at(-1) ?? null;
}

export function numericGrader(item: EvalItem, output: string): GradeResult {
  const found = extractFinalNumber(output);
  const ideals = item.ideal.map((value) => parseNumber(value)).filter((value): value is number => value !== null);
  if (!found) return { score: 0, explanation: `no number found in "${clip(output)}"`, detail: { extracted: null } };
  const absolute = typeof item.graderOptions.tolerance === 'number' ? item.graderOptions.tolerance : 0;
  const relative = typeof item.graderOptions.relativeTolerance === 'number' ? item.graderOptions.relativeTolerance : 1e-6;
  const match = ideals.find((ideal) => Math.abs(found.value - ideal) <= Math.max(absolute, relative * Math.abs(ideal), 1e-12));
  return match === undefined
    ? { score: 0, explanation: `answered ${found.text.trim()}, expected ${item.ideal.join(' or ')}`, detail: { extracted: found.value } }
    : { score: 1, explanation: `answered ${found.text.trim()}, matches ${match}`, detail: { extracted: found.value } };
}
