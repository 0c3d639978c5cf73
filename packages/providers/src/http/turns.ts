/**
 * OpenAI messages → the alternating user/assistant turns of vendors that keep instructions
 * apart (Anthropic `system`, Gemini `systemInstruction`). Leading system and developer
 * messages become the instructions; later ones stay in place as user content. Consecutive
 * parts of one role are merged into one turn (those APIs want alternation), and a prompt
 * made only of instructions gets its last one as the user turn. The vendor supplies how a
 * message's content, its tool calls and a tool result become its own parts.
 */
import { messageText, type ChatMessage } from '@switchyard/core';

export type TurnRole = 'user' | 'assistant';

export interface Turn<Part> {
  role: TurnRole;
  parts: Part[];
}

export interface TurnParts<Part> {
  /** A user or assistant message's content (text, images, …). */
  content(content: ChatMessage['content']): Part[];
  /** One text part (the instructions-only prompt's user turn). */
  text(text: string): Part;
  /** The tool calls of an assistant message. */
  toolCalls(calls: NonNullable<ChatMessage['tool_calls']>): Part[];
  /** A `tool` message's result, sent in a user turn. */
  toolResult(message: ChatMessage): Part;
}

/** The turns of `messages` and their instructions (joined by blank lines; '' when none). */
export function foldTurns<Part>(messages: readonly ChatMessage[], parts: TurnParts<Part>): { system: string; turns: Array<Turn<Part>> } {
  const system: string[] = [];
  const turns: Array<Turn<Part>> = [];
  const push = (role: TurnRole, items: Part[]): void => {
    if (items.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.parts.push(...items);
    else turns.push({ role, parts: items });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        // Only leading instructions can be the top-level system prompt; later ones stay in place.
        if (turns.length === 0) system.push(messageText(message.content));
        else push('user', parts.content(message.content));
        break;
      case 'user':
        push('user', parts.content(message.content));
        break;
      case 'assistant':
        push('assistant', [...parts.content(message.content), ...parts.toolCalls(message.tool_calls ?? [])]);
        break;
      case 'tool':
        push('user', [parts.toolResult(message)]);
        break;
    }
  }
  // A prompt made only of instructions: the last one becomes the user turn.
  if (turns.length === 0 && system.length > 0) push('user', [parts.text(system.pop() as string)]);
  return { system: system.filter((text) => text.length > 0).join('\n\n'), turns };
}
