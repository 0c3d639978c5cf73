/**
 * latency-probe: a cheap, scheduled measurement of one model. A small fixed set of
 * prompts (a short one and one of about 1k input tokens) is streamed with short outputs;
 * each yields a probe sample (TTFT, total latency, output tokens/s, ok or error code, and
 * the probe's own cost). A per-model daily budget in USD is never exceeded: before calling,
 * the probe estimates its cost and refuses — saying so in its result and the log — when
 * today's spend plus the estimate would pass the budget.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { ChatMessage, Price } from '@switchyard/core';
import { insertProbeSamples, probeSpendToday, setModelStatus, type NewProbeSampleRow } from '@switchyard/db';
import type { JobsContext } from './context';
import { classifyFailure } from './failures';
import { publishLiveEvent } from './live-events';
import { measuredCall } from './model-call';

export interface LatencyProbeData {
  model: string;
}

export type LatencyProbeResult =
  | { status: 'ok'; model: string; samples: number; errors: number; costUsd: number; spentTodayUsd: number }
  | { status: 'budget_exhausted'; model: string; message: string; spentTodayUsd: number; budgetUsd: number; estimateUsd: number }
  | { status: 'skipped'; model: string; message: string };

export interface ProbePrompt {
  kind: 'short' | 'long';
  messages: ChatMessage[];
  maxTokens: number;
  /** Rough input size, for the cost estimate made before calling. */
  approxInputTokens: number;
}

const LONG_PARAGRAPH =
  'Switchyard measures language models on a schedule so that routing decisions rest on evidence. ' +
  'This paragraph is padding that makes the prompt long enough to show how time to first token grows with input size. ';

/** The fixed probe prompts: short outputs by design. */
export const probePrompts: readonly ProbePrompt[] = [
  {
    kind: 'short',
    messages: [{ role: 'user', content: 'Reply with the single word: ready' }],
    maxTokens: 16,
    approxInputTokens: 12,
  },
  {
    kind: 'long',
    messages: [
      { role: 'system', content: 'You summarize text in one short sentence.' },
      // ~40 tokens per paragraph × 25 ≈ 1k tokens.
      { role: 'user', content: `${LONG_PARAGRAPH.repeat(25)}\nSummarize the text above in one sentence.` },
    ],
    maxTokens: 32,
    approxInputTokens: 1_050,
  },
];

/** Upper estimate of one probe's cost (every prompt, full output). */
export function estimateProbeCostUsd(price: Price, prompts: readonly ProbePrompt[] = probePrompts): number {
  let total = 0;
  for (const prompt of prompts) total += (prompt.approxInputTokens * price.inputPerMTok + prompt.maxTokens * price.outputPerMTok) / 1_000_000;
  return total;
}

export async function processLatencyProbe(
  context: JobsContext,
  job: Pick<Job<LatencyProbeData>, 'id' | 'data'>,
): Promise<LatencyProbeResult> {
  const { model } = job.data;
  const binding = context.providers.find(model);
  if (!binding) return { status: 'skipped', model, message: `model ${model} is not configured or not enabled` };

  const budgetUsd = context.config.schedules.latencyProbe.dailyBudgetUsd;
  const spentTodayUsd = await probeSpendToday(context.db, model);
  const estimateUsd = estimateProbeCostUsd(binding.settings.price);
  if (spentTodayUsd + estimateUsd > budgetUsd) {
    const message = `latency probe of ${model} refused: spent $${spentTodayUsd.toFixed(6)} of its $${budgetUsd} daily budget today; the next probe would cost about $${estimateUsd.toFixed(6)}`;
    context.logger.warn({ model, spentTodayUsd, budgetUsd, estimateUsd }, message);
    return { status: 'budget_exhausted', model, message, spentTodayUsd, budgetUsd, estimateUsd };
  }

  const rows: NewProbeSampleRow[] = [];
  let misconfigured: Error | undefined;
  for (const prompt of probePrompts) {
    const base = { job_id: `${job.id ?? 'adhoc'}|${prompt.kind}`, model_id: model, kind: 'latency', prompt_kind: prompt.kind };
    try {
      const call = await measuredCall(binding, { messages: prompt.messages, max_tokens: prompt.maxTokens, temperature: 0 });
      rows.push({
        ...base,
        ttft_ms: call.ttftMs,
        latency_ms: call.latencyMs,
        output_tokens_per_s: call.outputTokensPerSecond,
        input_tokens: call.inputTokens,
        output_tokens: call.outputTokens,
        cost_usd: call.costUsd,
        ok: true,
        error_code: null,
      });
    } catch (error) {
      const failure = classifyFailure(error);
      rows.push({ ...base, ok: false, error_code: failure.error.code, cost_usd: 0 });
      if (failure.kind === 'misconfigured') {
        misconfigured = failure.error;
        break;
      }
    }
  }
  await insertProbeSamples(context.db, rows);
  await publishLiveEvent(context.redis, context.prefix, { type: 'probe', model, at: new Date().toISOString() }).catch(() => undefined);

  if (misconfigured) {
    await setModelStatus(context.db, model, 'misconfigured', misconfigured.message);
    await publishLiveEvent(context.redis, context.prefix, { type: 'models', model }).catch(() => undefined);
    throw new UnrecoverableError(`${model} is misconfigured: ${misconfigured.message}`);
  }
  const costUsd = rows.reduce((sum, row) => sum + (row.cost_usd ?? 0), 0);
  return {
    status: 'ok',
    model,
    samples: rows.length,
    errors: rows.filter((row) => !row.ok).length,
    costUsd,
    spentTodayUsd: spentTodayUsd + costUsd,
  };
}
