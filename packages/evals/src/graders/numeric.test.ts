import { describe, expect, it } from 'vitest';
import type { EvalItem } from '../item';
import { grade } from './index';
import { extractFinalNumber, parseNumber } from './numeric';

// Outputs of the kind models give to GSM8K prompts ("End your reply with … Answer: <number>").
const cases: Array<{ output: string; expected: number | null }> = [
  { output: 'Answer: 18', expected: 18 },
  { output: '**Answer: 1,234**', expected: 1234 },
  { output: 'She sells 16 - 3 - 4 = 9 eggs for $2 each, so she makes 9 * 2 = $18 every day.\nAnswer: $18', expected: 18 },
  { output: 'The total cost is $5.00.', expected: 5 },
  { output: 'Therefore, 18 dollars.', expected: 18 },
  { output: 'So the fraction is 3/4', expected: 0.75 },
  { output: 'The recipe needs 1 1/2 cups.', expected: 1.5 },
  { output: 'Profit = 200,000 - 130,000 = 70,000\n\nAnswer: 70000', expected: 70000 },
  { output: 'The answer is 42, not 41 as one might think.', expected: 42 },
  { output: 'Final answer: \\boxed{256}', expected: 256 },
  { output: 'The temperature dropped to -5 degrees.', expected: -5 },
  { output: '#### 624', expected: 624 },
  { output: 'He runs 3 sprints 3 times a week, 60 meters each: 3 * 3 * 60 = 540 meters.', expected: 540 },
  { output: 'Answer: 12.5 km', expected: 12.5 },
  { output: 'The discount is 25%.', expected: 25 },
  { output: 'I computed it twice. Answer: 7\n(Earlier I wrongly got 9.)', expected: 7 },
  { output: 'Between 5-3 and 10 the answer is: 2', expected: 2 },
  { output: 'I cannot determine the number of apples.', expected: null },
  { output: 'Answer: **$1,234.56**', expected: 1234.56 },
];

describe('final-number extraction (hand-written model outputs)', () => {
  it.each(cases)('$output → $expected', ({ output, expected }) => {
    const found = extractFinalNumber(output);
    if (expected === null) expect(found).toBeNull();
    else expect(found?.value).toBeCloseTo(expected, 9);
  });
});

describe('parseNumber', () => {
  it('reads ideals in the forms datasets use', () => {
    expect(parseNumber('70000')).toBe(70000);
    expect(parseNumber('1,234')).toBe(1234);
    expect(parseNumber('$5')).toBe(5);
    expect(parseNumber('3/4')).toBe(0.75);
    expect(parseNumber('-2.5')).toBe(-2.5);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('twelve')).toBeNull();
    expect(parseNumber('1,23')).toBeNull();
    expect(parseNumber('1/0')).toBeNull();
  });
});

describe('numeric grader', () => {
  const item = (ideal: string, graderOptions: Record<string, unknown> = {}): EvalItem => ({
    id: 'n1',
    input: [{ role: 'user', content: 'How much?' }],
    ideal: [ideal],
    grader: 'numeric',
    graderOptions,
    category: 'math',
  });
  it('compares the extracted number with the ideal as numbers', async () => {
    await expect(grade(item('18'), 'Answer: $18.00')).resolves.toMatchObject({ score: 1 });
    await expect(grade(item('0.75'), 'It is 3/4.')).resolves.toMatchObject({ score: 1 });
    await expect(grade(item('1234'), '**Answer: 1,234**')).resolves.toMatchObject({ score: 1 });
    const wrong = await grade(item('18'), 'Answer: 19');
    expect(wrong).toMatchObject({ score: 0, explanation: 'answered 19, expected 18' });
    expect(wrong.detail).toEqual({ extracted: 19 });
  });
  it('honours an absolute tolerance', async () => {
    await expect(grade(item('3.14159', { tolerance: 0.01 }), 'About 3.14')).resolves.toMatchObject({ score: 1 });
    await expect(grade(item('3.14159'), 'About 3.14')).resolves.toMatchObject({ score: 0 });
  });
});
