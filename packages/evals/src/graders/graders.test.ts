import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '@switchyard/core';
import type { EvalItem } from '../item';
import { grade } from './index';
import { parseJudgeScore } from './llm-judge';

const item = (grader: EvalItem['grader'], ideal: string[], graderOptions: Record<string, unknown> = {}): EvalItem => ({
  id: 'x',
  input: [{ role: 'user', content: 'Q?' }],
  ideal,
  grader,
  graderOptions,
  category: 'general',
});

describe('exact', () => {
  it('trims only, by default (the bundled sets’ semantics)', async () => {
    expect((await grade(item('exact', ["'abc'", '"abc"']), '  "abc"\n')).score).toBe(1);
    expect((await grade(item('exact', ['Paris']), 'paris')).score).toBe(0);
    expect((await grade(item('exact', ['Paris']), 'Paris.')).score).toBe(0);
  });
  it('normalizes case, whitespace and punctuation when asked', async () => {
    const options = { ignoreCase: true, normalizeWhitespace: true, ignorePunctuation: true };
    expect((await grade(item('exact', ['New York City'], options), ' new  york city! ')).score).toBe(1);
    expect((await grade(item('exact', ['New York City'], { ignoreCase: true }), 'new  york city')).score).toBe(0);
  });
});

describe('includes and regex', () => {
  it('includes is case-sensitive unless ignoreCase', async () => {
    expect((await grade(item('includes', ['2030']), 'The money runs out in 2030.')).score).toBe(1);
    expect((await grade(item('includes', ['Paris']), 'PARIS')).score).toBe(0);
    expect((await grade(item('includes', ['Paris'], { ignoreCase: true }), 'PARIS')).score).toBe(1);
  });
  it('regex matches any pattern, with flags', async () => {
    expect((await grade(item('regex', ['^\\s*yes\\b'], { flags: 'i' }), 'Yes, because…')).score).toBe(1);
    expect((await grade(item('regex', ['^no$']), 'no way')).score).toBe(0);
  });
  it('a catastrophically backtracking pattern is stopped and counts as no match; the next pattern still runs', async () => {
    const output = `${'a'.repeat(40)}b`;
    const stopped = await grade(item('regex', ['^(a+)+$']), output);
    expect(stopped.score).toBe(0);
    expect(stopped.explanation).toMatch(/stopped after \d+ ms/);
    expect(stopped.detail).toEqual({ timedOutPatterns: ['^(a+)+$'] });
    expect((await grade(item('regex', ['^(a+)+$', 'b$']), output)).score).toBe(1);
  });
  it('negate flips the score (promptfoo not-)', async () => {
    const result = await grade(item('includes', ['sorry'], { negate: true }), 'Sure, here it is.');
    expect(result.score).toBe(1);
    expect((await grade(item('includes', ['sorry'], { negate: true }), 'I am sorry')).score).toBe(0);
  });
});

describe('json', () => {
  const schema = { type: 'object', required: ['name', 'age'], properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } } };
  it('accepts valid JSON, also inside a ```json fence', async () => {
    expect((await grade(item('json', []), '{"a": 1}')).score).toBe(1);
    expect((await grade(item('json', []), 'Here:\n```json\n{"a": [1, 2]}\n```')).score).toBe(1);
    const bad = await grade(item('json', []), '{a: 1}');
    expect(bad.score).toBe(0);
    expect(bad.explanation).toContain('not valid JSON');
  });
  it('validates against a JSON Schema with ajv', async () => {
    expect((await grade(item('json', [], { schema }), '{"name": "Ada", "age": 36}')).score).toBe(1);
    const wrong = await grade(item('json', [], { schema }), '{"name": "Ada", "age": -1}');
    expect(wrong.score).toBe(0);
    expect(wrong.explanation).toContain('/age');
  });
  it('compares with the ideal when matchIdeal is set, ignoring key order', async () => {
    expect((await grade(item('json', ['{"b": 2, "a": 1}'], { matchIdeal: true }), '{"a":1,"b":2}')).score).toBe(1);
    expect((await grade(item('json', ['{"a": 1}'], { matchIdeal: true }), '{"a":2}')).score).toBe(0);
  });
});

describe('llm-judge', () => {
  const judged = item('llm-judge', [], { rubric: 'The reply is polite and answers in French.' });
  it('sends rubric, task and response to the injected judge and keeps its reasoning', async () => {
    const prompts: string[] = [];
    const result = await grade(judged, 'Bonjour ! La réponse est 4.', {
      judge: async (prompt) => {
        prompts.push(prompt);
        return 'The reply is polite and in French.\nScore: 0.9';
      },
    });
    expect(result.score).toBe(0.9);
    expect(result.explanation).toBe('The reply is polite and in French.');
    expect(result.detail?.reasoning).toContain('Score: 0.9');
    expect(prompts[0]).toContain('<rubric>\nThe reply is polite and answers in French.\n</rubric>');
    expect(prompts[0]).toContain('<response>\nBonjour ! La réponse est 4.\n</response>');
  });
  it('fails clearly without a judge, or when the judge gives no score', async () => {
    await expect(grade(judged, 'hi')).rejects.toMatchObject({ code: 'config' });
    const error = await grade(judged, 'hi', { judge: async () => 'It is fine.' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SwitchyardError);
    expect((error as SwitchyardError).code).toBe('invalid_response');
  });
  it('parses the last score line in the forms judges use', () => {
    expect(parseJudgeScore('Score: 1')).toBe(1);
    expect(parseJudgeScore('**Score:** 0.25')).toBe(0.25);
    expect(parseJudgeScore('score = 7/10')).toBe(0.7);
    expect(parseJudgeScore('Score: 80%')).toBe(0.8);
    expect(parseJudgeScore('Score: 0.2\nOn reflection, Score: 0.4')).toBe(0.4);
    expect(parseJudgeScore('Score: 7')).toBeNull();
    expect(parseJudgeScore('no score')).toBeNull();
  });
});

describe('all (several promptfoo assertions)', () => {
  it('averages the parts and lists each explanation', async () => {
    const combined = item('all', [], {
      assertions: [
        { grader: 'includes', ideal: ['Paris'], options: {} },
        { grader: 'regex', ideal: ['^The'], options: {} },
        { grader: 'includes', ideal: ['London'], options: { negate: true } },
      ],
    });
    expect((await grade(combined, 'The capital is Paris.')).score).toBe(1);
    const partial = await grade(combined, 'Paris, not London.');
    expect(partial.score).toBeCloseTo(1 / 3);
    expect(partial.explanation).toMatch(/^1\/3 assertions pass/);
  });
});
