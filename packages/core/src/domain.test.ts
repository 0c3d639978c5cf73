import { describe, expect, it } from 'vitest';
import { categorySchema, costUsd, normalizeCategoryName } from './domain';

describe('normalizeCategoryName', () => {
  it('makes what people write a name the router accepts', () => {
    const cases: Array<[string, string]> = [
      ['math', 'math'],
      ['MATH', 'math'],
      ['Math Stuff', 'math-stuff'],
      ['  Math   Stuff  ', 'math-stuff'],
      ['math / algebra', 'math-algebra'],
      ['math - algebra', 'math-algebra'],
      ['code_review', 'code_review'],
      ['Café Menu', 'cafe-menu'],
      ['#1 Priority!', '1-priority'],
      ['_private', 'private'],
      ['x'.repeat(64), 'x'.repeat(64)],
    ];
    for (const [raw, name] of cases) {
      expect(normalizeCategoryName(raw), raw).toBe(name);
      expect(categorySchema.safeParse(name).success, name).toBe(true);
    }
  });

  it('gives nothing for what cannot be a name', () => {
    for (const raw of ['', '   ', '!!!', '---', '数学', 'x'.repeat(65), ` ${'Ab '.repeat(30)}`]) {
      expect(normalizeCategoryName(raw), raw).toBeUndefined();
    }
  });
});

describe('costUsd', () => {
  it('prices prompt, cached and completion tokens, and answers decimal-looking amounts', () => {
    const price = { inputPerMTok: 0.8, outputPerMTok: 3.2, cachedInputPerMTok: 0.2 };
    expect(String(costUsd(price, { promptTokens: 43, completionTokens: 0 }))).toBe('0.0000344');
    expect(String(costUsd(price, { promptTokens: 12, completionTokens: 5 }))).toBe('0.0000256');
    expect(costUsd(price, { promptTokens: 1_000, completionTokens: 500, cachedTokens: 400 })).toBeCloseTo((600 * 0.8 + 400 * 0.2 + 500 * 3.2) / 1e6, 15);
    expect(costUsd({ inputPerMTok: 0, outputPerMTok: 0 }, { promptTokens: 10, completionTokens: 10 })).toBe(0);
  });
});
