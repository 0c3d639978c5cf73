/**
 * Probes recorded before tokens/s was computed from the chunks' arrival times divided the
 * output tokens by the time from the first token to the end of the stream, so a short answer
 * that came in one chunk got a rate of hundreds of thousands of tokens per second. Those rates
 * (generation span under 5 ms, the same rule as `generationRate`'s MIN_GENERATION_SPAN_MS)
 * say nothing; clear them so the leaderboard's medians come from real measurements only.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`update probe_samples set output_tokens_per_s = null where output_tokens_per_s is not null and latency_ms - ttft_ms < 5`.execute(db);
}

/** Nothing to undo: the cleared rates were not measurements. */
export async function down(): Promise<void> {}
