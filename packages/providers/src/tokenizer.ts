/**
 * Token counting for cost estimates when a vendor reports no usage: the o200k_base BPE
 * (GPT-4o and later) from js-tiktoken's rank file. Other vendors' tokenizers differ by a
 * few percent, which is why such costs are flagged `cost_estimated`.
 *
 * How it works: js-tiktoken's own `Tiktoken` constructor takes seconds to index the 200k
 * ranks (it builds a dictionary-mode object and joins byte arrays into string keys), so we
 * index the same rank file ourselves — one native base64 decode per rank into a Map keyed
 * by the bytes as a latin1 string — and run the standard BPE merge on that. Counts equal
 * js-tiktoken's `encode(text, [], []).length`. The table loads lazily, once per process.
 */
import { createRequire } from 'node:module';
import { messageText, type ChatRequest } from '@switchyard/core';

interface RankFile {
  pat_str: string;
  bpe_ranks: string;
}

const BASE64_VALUES = new Int8Array(128).fill(-1);
for (const [index, char] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) {
  BASE64_VALUES[char.charCodeAt(0)] = index;
}

/** Decode `text[start, end)` from base64 into a string of byte values (latin1). */
function decodeBase64Latin1(text: string, start: number, end: number): string {
  let bits = 0;
  let accumulator = 0;
  let out = '';
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 61) break; // '=' padding
    accumulator = ((accumulator << 6) | (BASE64_VALUES[code] ?? 0)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((accumulator >> bits) & 255);
    }
  }
  return out;
}

class BpeTokenCounter {
  private readonly ranks = new Map<string, number>();
  private readonly pattern: RegExp;

  constructor(file: RankFile) {
    this.pattern = new RegExp(file.pat_str, 'gu');
    // The rank file is "<marker> <offset> <base64 token> <base64 token> …" per line, ranks
    // counting up from the offset. Decoding base64 by hand is ~2× faster than Buffer per token.
    const text = file.bpe_ranks;
    let lineStart = 0;
    while (lineStart < text.length) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) lineEnd = text.length;
      const markerEnd = text.indexOf(' ', lineStart);
      const offsetEnd = text.indexOf(' ', markerEnd + 1);
      if (markerEnd !== -1 && offsetEnd !== -1 && offsetEnd < lineEnd) {
        let rank = Number.parseInt(text.slice(markerEnd + 1, offsetEnd), 10);
        let position = offsetEnd + 1;
        while (position < lineEnd) {
          let end = text.indexOf(' ', position);
          if (end === -1 || end > lineEnd) end = lineEnd;
          this.ranks.set(decodeBase64Latin1(text, position, end), rank);
          rank += 1;
          position = end + 1;
        }
      }
      lineStart = lineEnd + 1;
    }
  }

  count(text: string): number {
    let count = 0;
    for (const match of text.matchAll(this.pattern)) {
      const piece = Buffer.from(match[0], 'utf8').toString('latin1');
      count += this.ranks.has(piece) ? 1 : this.mergedLength(piece);
    }
    return count;
  }

  /** Tokens of a piece after BPE merges: repeatedly merge the adjacent pair of lowest rank. */
  private mergedLength(piece: string): number {
    const bounds: number[] = [];
    for (let index = 0; index <= piece.length; index += 1) bounds.push(index);
    while (bounds.length > 2) {
      let minRank = Number.POSITIVE_INFINITY;
      let minIndex = -1;
      for (let index = 0; index < bounds.length - 2; index += 1) {
        const rank = this.ranks.get(piece.slice(bounds[index], bounds[index + 2]));
        if (rank !== undefined && rank < minRank) {
          minRank = rank;
          minIndex = index;
        }
      }
      if (minIndex === -1) break;
      bounds.splice(minIndex + 1, 1);
    }
    return bounds.length - 1;
  }
}

let counter: BpeTokenCounter | undefined;

/** Load the rank table now (e.g. at start-up) instead of on the first estimate. */
export function warmTokenizer(): void {
  getCounter();
}

function getCounter(): BpeTokenCounter {
  if (!counter) {
    const require = createRequire(import.meta.url);
    const ranks = require('js-tiktoken/ranks/o200k_base') as RankFile | { default: RankFile };
    counter = new BpeTokenCounter('default' in ranks ? ranks.default : ranks);
  }
  return counter;
}

/** Tokens in a text (o200k_base); special-token text counts as ordinary text. */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return getCounter().count(text);
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
