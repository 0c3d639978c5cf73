import { LETTERS } from './formats/common';
import type { EvalItem, EvalMessage } from './item';

/**
 * The messages to send to a model for an item. Items carry their full prompt; a
 * multiple-choice item whose prompt does not already list its options gets them appended
 * as "A. …" lines, so every model sees the same lettered options the grader expects.
 */
export function promptMessages(item: EvalItem): EvalMessage[] {
  const messages = item.input.map((message) => ({ ...message }));
  const choices = item.choices;
  if (!choices || choices.length === 0) return messages;
  const text = messages.map((message) => message.content).join('\n');
  const listed = choices.every((choice, index) => text.includes(`${LETTERS[index]}. ${choice}`) || text.includes(`(${LETTERS[index]}) ${choice}`));
  if (listed) return messages;
  const options = choices.map((choice, index) => `${LETTERS[index]}. ${choice}`).join('\n');
  const suffix = `\n\n${options}\n\nAnswer with the letter of the correct option.`;
  const lastUser = messages.map((message) => message.role).lastIndexOf('user');
  if (lastUser >= 0) messages[lastUser] = { ...messages[lastUser]!, content: messages[lastUser]!.content + suffix };
  else messages.push({ role: 'user', content: suffix.trimStart() });
  return messages;
}
