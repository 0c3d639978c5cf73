/**
 * Token counting for cost estimates when a vendor reports no usage. js-tiktoken with the
 * o200k_base ranks (GPT-4o and later); other vendors' tokenizers differ by a few percent,
 * which is why such costs are flagged `cost_estimated`. The 2 MB rank table is loaded
 * lazily on first use, once per process.
 */
import { createRequire } from 'node:module';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { messageText, type ChatRequest } from '@switchyard/core';

let encoder: Tiktoken | undefined;

function getEncoder(): Tiktoken {
  if (!encoder) {
    const require = createRequire(import.meta.url);
    const ranks = require('js-tiktoken/ranks/o200k_base') as TiktokenBPE | { default: TiktokenBPE };
    encoder = new Tiktoken('default' in ranks ? ranks.default : ranks);
  }
  return encoder;
}

/** Tokens in a text (o200k_base). */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return getEncoder().encode(text, [], []).length;
}

/** Per-message framing overhead in chat formats (role markers), as OpenAI documents it. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;
/** A flat charge per image part; real costs depend on size and detail. */
const TOKENS_PER_IMAGE = 765;

/** Estimated prompt tokens of a chat request: message texts, tool calls, tool schemas. */
export function estimateRequestTokens(request: Pick<ChatRequest, 'messages' | 'tools'>): number {
  let tokens = TOKENS_PER_REPLY;
  for (const message of request.messages) {
    tokens += TOKENS_PER_MESSAGE + countTokens(messageText(message.content));
    if (Array.isArray(message.content)) {
      for (const part of message.content) if (part.type !== 'text') tokens += TOKENS_PER_IMAGE;
    }
    if (message.tool_calls) {
      for (const call of message.tool_calls) tokens += countTokens(call.function.name) + countTokens(call.function.arguments);
    }
  }
  if (request.tools && request.tools.length > 0) tokens += countTokens(JSON.stringify(request.tools));
  return tokens;
}
