/**
 * How a streamed answer is cut and paced: whole words, gathered until a piece holds the
 * tokens a model emits in one 40 ms tick (as the usage counts tokens, `approximateTokens`).
 * The first piece goes out at the time to first token; each later one after a pause of its
 * own size at the model's tokens/s. So the time from the first piece to the last is the
 * tokens after the first piece divided by tokens/s — what a client measures as the rate.
 */
import { approximateTokens, CHARS_PER_TOKEN } from './answers';

const CHUNK_INTERVAL_MS = 40;
/** Piece size when the simulator runs without latency (nothing is paced). */
const ZERO_LATENCY_TOKENS_PER_PIECE = 16;

export interface StreamPiece {
  text: string;
  /** Pause before sending the piece (0 for the first, and without latency). */
  pauseMs: number;
}

/** Pieces of `text` and their pauses; `tokensPerSecond` null means zero latency. */
export function streamPlan(text: string, tokensPerSecond: number | null): StreamPiece[] {
  const tokensPerPiece =
    tokensPerSecond === null ? ZERO_LATENCY_TOKENS_PER_PIECE : Math.max(1, Math.round((tokensPerSecond * CHUNK_INTERVAL_MS) / 1000));
  // Unrounded characters per token: summed over the pieces it is the usage's token count.
  const pause = (piece: string, first: boolean): number => (tokensPerSecond === null || first ? 0 : (piece.length / CHARS_PER_TOKEN / tokensPerSecond) * 1000);
  const pieces: StreamPiece[] = [];
  let piece = '';
  for (const word of text.match(/\S+\s*|\s+/g) ?? []) {
    piece += word;
    if (approximateTokens(piece) >= tokensPerPiece) {
      pieces.push({ text: piece, pauseMs: pause(piece, pieces.length === 0) });
      piece = '';
    }
  }
  if (piece) pieces.push({ text: piece, pauseMs: pause(piece, pieces.length === 0) });
  return pieces;
}
