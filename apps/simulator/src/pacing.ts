/**
 * How a streamed answer is cut and paced: whole words, gathered until a piece holds the
 * tokens a model emits in one 40 ms tick (as the usage counts tokens, `approximateTokens`),
 * each followed by a pause of its own size at the model's tokens/s. Summed over the pieces,
 * the pauses are the usage's tokens divided by tokens/s: the stream runs at the configured rate.
 */
import { approximateTokens } from './answers';

const CHUNK_INTERVAL_MS = 40;
/** Piece size when the simulator runs without latency (nothing is paced). */
const ZERO_LATENCY_TOKENS_PER_PIECE = 16;

export interface StreamPiece {
  text: string;
  /** Pause after sending the piece (0 without latency). */
  pauseMs: number;
}

/** Pieces of `text` and their pauses; `tokensPerSecond` null means zero latency. */
export function streamPlan(text: string, tokensPerSecond: number | null): StreamPiece[] {
  const tokensPerPiece =
    tokensPerSecond === null ? ZERO_LATENCY_TOKENS_PER_PIECE : Math.max(1, Math.round((tokensPerSecond * CHUNK_INTERVAL_MS) / 1000));
  // Characters / 4 unrounded: summed over the pieces it is the usage's token count.
  const pause = (piece: string): number => (tokensPerSecond === null ? 0 : (piece.length / 4 / tokensPerSecond) * 1000);
  const pieces: StreamPiece[] = [];
  let piece = '';
  for (const word of text.match(/\S+\s*|\s+/g) ?? []) {
    piece += word;
    if (approximateTokens(piece) >= tokensPerPiece) {
      pieces.push({ text: piece, pauseMs: pause(piece) });
      piece = '';
    }
  }
  if (piece) pieces.push({ text: piece, pauseMs: pause(piece) });
  return pieces;
}
