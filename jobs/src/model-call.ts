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
  /** Output tokens per second after the first token. */
  outputTokensPerSecond: number | null;
  costUsd: number;
  costEstimated: boolean;
  finishReason: string | null;
}

export interface ModelBindingLike {
  adapter: ProviderAdapter;
  settings: ModelCallSettings;
}

export async function measuredCall(
  binding: ModelBindingLike,
  request: { messages: ChatMessage[]; max_tokens?: number; temperature?: number },
  options: { signal?: AbortSignal; totalTimeoutMs?: number; stream?: boolean } = {},
): Promise<MeasuredCall> {
  if (options.stream === false) return unstreamedCall(binding, request, options);
  const started = performance.now();
  let firstToken: number | null = null;
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
      if (firstToken === null && event.text.length > 0) firstToken = performance.now();
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
  const generationSeconds = firstToken === null ? 0 : (ended - firstToken) / 1000;
  return {
    text,
    ttftMs,
    latencyMs: ended - started,
    inputTokens,
    outputTokens,
    outputTokensPerSecond: generationSeconds > 0 && outputTokens > 1 ? (outputTokens - 1) / generationSeconds : null,
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
