/**
 * One measured call to a model: streamed, so time to first token is seen; returns the
 * text, usage, cost and timings. Shared by latency probes and eval items.
 */
import { costUsd, type ChatMessage, type ModelCallSettings, type ProviderAdapter } from '@switchyard/core';

export interface MeasuredCall {
  text: string;
  ttftMs: number | null;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  /**
   * Output tokens per second after the first chunk (see `generationRate`); null when the answer
   * came in one burst and the rate cannot be seen.
   */
  outputTokensPerSecond: number | null;
  costUsd: number;
  costEstimated: boolean;
  finishReason: string | null;
}

export interface ModelBindingLike {
  adapter: ProviderAdapter;
  settings: ModelCallSettings;
}

/** Shortest span of text chunks a generation rate is computed from. */
export const MIN_GENERATION_SPAN_MS = 5;

/**
 * Output tokens per second, from when each text chunk arrived. The tokens of the first chunk
 * belong to the time to first token, so the rate counts the tokens that came after it (the
 * usage's count, shared out by characters, since chunks carry no token counts) over the time
 * from the first chunk to the last. A vendor that sends a short answer in one chunk (or several
 * chunks in one read) shows no generation time: the rate is null, not a huge number.
 */
export function generationRate(chunks: ReadonlyArray<{ at: number; chars: number }>, outputTokens: number): number | null {
  const first = chunks[0];
  const last = chunks.at(-1);
  if (!first || !last || outputTokens <= 0) return null;
  const spanMs = last.at - first.at;
  if (spanMs < MIN_GENERATION_SPAN_MS) return null;
  let totalChars = 0;
  for (const chunk of chunks) totalChars += chunk.chars;
  if (totalChars <= first.chars) return null;
  const laterTokens = (outputTokens * (totalChars - first.chars)) / totalChars;
  return laterTokens / (spanMs / 1000);
}

export async function measuredCall(
  binding: ModelBindingLike,
  request: { messages: ChatMessage[]; max_tokens?: number; temperature?: number },
  options: { signal?: AbortSignal; totalTimeoutMs?: number; stream?: boolean } = {},
): Promise<MeasuredCall> {
  if (options.stream === false) return unstreamedCall(binding, request, options);
  const started = performance.now();
  let firstToken: number | null = null;
  const chunks: Array<{ at: number; chars: number }> = [];
  let text = '';
  let finishReason: string | null = null;
  let usage: { prompt_tokens: number; completion_tokens: number; cost?: number; cost_estimated?: boolean } | undefined;
  const stream = binding.adapter.stream(
    { ...request, model: binding.settings.upstreamName, stream: true },
    {
      model: binding.settings,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.totalTimeoutMs ? { timeouts: { totalMs: options.totalTimeoutMs } } : {}),
    },
  );
  for await (const event of stream) {
    if (event.type === 'text') {
      if (event.text.length > 0) {
        const at = performance.now();
        if (firstToken === null) firstToken = at;
        chunks.push({ at, chars: event.text.length });
      }
      if (event.index === 0) text += event.text;
    } else if (event.type === 'finish' && event.index === 0) {
      finishReason = event.finishReason;
    } else if (event.type === 'usage') {
      usage = event.usage;
    }
  }
  const ended = performance.now();
  const inputTokens = usage?.prompt_tokens ?? 0;
  const outputTokens = usage?.completion_tokens ?? 0;
  const cost = usage?.cost ?? costUsd(binding.settings.price, { promptTokens: inputTokens, completionTokens: outputTokens });
  const ttftMs = firstToken === null ? null : firstToken - started;
  return {
    text,
    ttftMs,
    latencyMs: ended - started,
    inputTokens,
    outputTokens,
    outputTokensPerSecond: generationRate(chunks, outputTokens),
    costUsd: cost,
    costEstimated: usage?.cost_estimated ?? usage === undefined,
    finishReason,
  };
}

/** Without streaming: cheaper per call when time to first token is not needed (evals). */
async function unstreamedCall(
  binding: ModelBindingLike,
  request: { messages: ChatMessage[]; max_tokens?: number; temperature?: number },
  options: { signal?: AbortSignal; totalTimeoutMs?: number },
): Promise<MeasuredCall> {
  const started = performance.now();
  const response = await binding.adapter.chat(
    { ...request, model: binding.settings.upstreamName },
    {
      model: binding.settings,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.totalTimeoutMs ? { timeouts: { totalMs: options.totalTimeoutMs } } : {}),
    },
  );
  const latencyMs = performance.now() - started;
  const choice = response.choices[0];
  const usage = response.usage;
  return {
    text: choice?.message.content ?? '',
    ttftMs: null,
    latencyMs,
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    outputTokensPerSecond: null,
    costUsd: usage.cost ?? costUsd(binding.settings.price, { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens }),
    costEstimated: usage.cost_estimated ?? false,
    finishReason: choice?.finish_reason ?? null,
  };
}
