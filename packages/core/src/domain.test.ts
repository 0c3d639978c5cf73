import { describe, expect, it } from 'vitest';
import { categorySchema, normalizeCategoryName } from './domain';

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
