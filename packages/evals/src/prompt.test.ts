import { describe, expect, it } from 'vitest';
import type { EvalItem } from './item';
import { promptMessages } from './prompt';

const base: EvalItem = {
  id: 'p1',
  input: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Which is a mammal?' },
  ],
  ideal: ['B'],
  grader: 'choice',
  graderOptions: {},
  category: 'knowledge',
  choices: ['Shark', 'Dolphin'],
};

describe('promptMessages', () => {
  it('appends lettered options when the prompt does not list them', () => {
    const messages = promptMessages(base);
    expect(messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(messages[1]!.content).toBe('Which is a mammal?\n\nA. Shark\nB. Dolphin\n\nAnswer with the letter of the correct option.');
    expect(base.input[1]!.content).toBe('Which is a mammal?');
  });
  it('leaves prompts that already list their options (the bundled sets) unchanged', () => {
    const listed = { ...base, input: [{ role: 'user' as const, content: 'Which is a mammal?\nA. Shark\nB. Dolphin' }] };
    expect(promptMessages(listed)).toEqual(listed.input);
    const plain = { ...base, grader: 'exact' as const, choices: undefined };
    expect(promptMessages(plain)).toEqual(base.input);
  });
});
