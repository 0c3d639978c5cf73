/**
 * choice grader. How it works: find the option letter the output commits to, trying the most
 * explicit phrasings first — "Answer: B", "the answer is (B)", "correct option is B" (last
 * occurrence wins, since models restate before concluding) — then an output that is just a
 * letter ("B", "(B)", "B.", "**B**"), then one that starts with a letter and a delimiter
 * ("B. Paris", "B) …"), then a lone parenthesized letter, and finally, when the item lists
 * its choices, an output that quotes exactly one option's text. Letters outside the item's
 * choices are ignored, so "A" as an article or "I" as a pronoun is not read as an answer.
 */
import type { EvalItem } from '../item';
import { LETTERS } from '../formats/common';
import { clip, type GradeResult } from './types';

const normalize = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** The chosen option letter in a free-text answer, or null. `choices` bounds the letters. */
export function extractChoice(output: string, choices?: readonly string[]): string | null {
  const count = choices && choices.length > 0 ? choices.length : LETTERS.length;
  const valid = LETTERS.slice(0, count);
  const letterClass = `[${valid}${valid.toLowerCase()}]`;
  const ok = (letter: string | undefined) => (letter && valid.includes(letter.toUpperCase()) ? letter.toUpperCase() : null);
  const text = output.replace(/\*\*|__|`/g, '').replace(/\\boxed\{([^{}]*)\}/g, '$1').trim();

  const explicit = new RegExp(
    String.raw`(?:answer|option|choice|correct one|response|答案|选项)\s*(?:is|would be|should be|will be|:|=|-|是|为|：)?\s*(?:option|choice|letter)?\s*:?\s*[(\[]?(${letterClass})(?![\p{L}\p{N}])`,
    'giu',
  );
  const explicitMatches = [...text.matchAll(explicit)].filter((match) => {
    // "the answer is a fish" — a lowercase letter followed by a word is an article, not an option.
    const letter = match[1]!;
    if (letter === letter.toUpperCase()) return true;
    return !/^\s+\p{L}/u.test(text.slice(match.index + match[0].length));
  });
  const lastExplicit = ok(explicitMatches.at(-1)?.[1]);
  if (lastExplicit) return lastExplicit;

  const bare = new RegExp(String.raw`^[(\[]?(${letterClass})[)\].:]?$`, 'u').exec(text);
  if (bare) return ok(bare[1]);

  const leading = new RegExp(String.raw`^[(\[]?([${valid}])(?:[)\].:]|\s*[-–—]\s)`, 'u').exec(text);
  if (leading) return ok(leading[1]);

  const parenthesized = [...text.matchAll(new RegExp(String.raw`\((${`[${valid}]`})\)`, 'gu'))];
  const distinct = new Set(parenthesized.map((match) => match[1]!));
  if (distinct.size === 1) return ok([...distinct][0]);

  // A reasoning that ends with the letter alone on its last line.
  const lastLine = text.split('\n').at(-1)!.trim();
  const finalLetter = new RegExp(String.raw`^[(\[]?([${valid}])[)\].:]?$`, 'u').exec(lastLine);
  if (finalLetter) return ok(finalLetter[1]);

  if (choices && choices.length > 0) {
    const said = normalize(text);
    const quoted = choices.map((choice, index) => ({ index, text: normalize(choice) })).filter((choice) => choice.text && said.includes(choice.text));
    // Prefer the longest quoted option when one option's text contains another's.
    quoted.sort((left, right) => right.text.length - left.text.length);
    const best = quoted[0];
    if (best && quoted.every((choice) => choice === best || best.text.includes(choice.text))) return LETTERS[best.index]!;
  }
  return null;
}

export function choiceGrader(item: EvalItem, output: string): GradeResult {
  const picked = extractChoice(output, item.choices);
  const expected = item.ideal.map((value) => value.toUpperCase());
  if (!picked) return { score: 0, explanation: `no option letter found in "${clip(output)}"`, detail: { extracted: null } };
  return expected.includes(picked)
    ? { score: 1, explanation: `picked ${picked}, correct`, detail: { extracted: picked } }
    : { score: 0, explanation: `picked ${picked}, expected ${expected.join(' or ')}`, detail: { extracted: picked } };
}
