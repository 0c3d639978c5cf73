/**
 * Replay data: one prompt per JSONL line with every model's recorded outcome, plus a
 * price list (the format of /work/shared/replay, see its README). Parsing only; the CLI reads
 * the files.
 */
import { z } from 'zod';

const outcomeSchema = z.object({
  score: z.number().min(0).max(1),
  input_tokens: z.number().nonnegative(),
  output_tokens: z.number().nonnegative(),
});

export const replayLineSchema = z.looseObject({
  id: z.string(),
  task: z.string().default('general'),
  prompt: z.string(),
  outcomes: z.record(z.string(), outcomeSchema),
});
export type ReplayLine = z.infer<typeof replayLineSchema>;

export const replayModelSchema = z.looseObject({
  model: z.string(),
  provider: z.string(),
  input_usd_per_mtok: z.number().nonnegative(),
  output_usd_per_mtok: z.number().nonnegative(),
});
export type ReplayModel = z.infer<typeof replayModelSchema>;

export function parseReplayLines(text: string): ReplayLine[] {
  const lines: ReplayLine[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    try {
      lines.push(replayLineSchema.parse(JSON.parse(raw)));
    } catch (error) {
      throw new Error(`line ${index + 1}: ${(error as Error).message.slice(0, 200)}`, { cause: error });
    }
  }
  return lines;
}

export function parseReplayModels(text: string): ReplayModel[] {
  return z.array(replayModelSchema).parse(JSON.parse(text));
}
