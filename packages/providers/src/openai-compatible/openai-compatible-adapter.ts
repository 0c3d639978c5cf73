/**
 * The OpenAI-compatible base. Requests already are in the lingua franca, so encoding is a
 * shallow copy with the upstream model name and the preset's quirks; unknown fields pass
 * through. Stream chunks are read by hand (no schema per chunk) because this is the hot path.
 */
import {
  isRecord,
  SwitchyardError,
  type ChatChoice,
  type ChatRequest,
  type FinishReason,
  type ModelCallSettings,
  type ProviderAdapter,
  type ProviderConfig,
  type StreamEvent,
  type ToolCall,
} from '@switchyard/core';
import type { RawUsage } from '../cost';
import { invalidResponse, type ErrorContext, type VendorErrorDetails } from '../http/error-mapping';
import { HttpAdapter, type DecodedResponse, type StreamDecoder, type WireFormat } from '../http/http-adapter';
import type { SseEvent } from '../http/sse';
import type { OpenAiCompatiblePreset } from './openai-compatible-preset';
import {
  openAiChatResponseSchema,
  openAiErrorBodySchema,
  openAiModelListSchema,
  type OpenAiChatResponseInput,
  type OpenAiUsage,
} from './openai-compatible-wire';

export function openAiFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    case 'error':
      return 'error';
    default:
      return 'stop';
  }
}

function rawUsage(usage: OpenAiUsage): RawUsage {
  const cached = usage.prompt_tokens_details?.cached_tokens;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    ...(cached === undefined ? {} : { cachedTokens: cached }),
  };
}

function readUsage(value: unknown): RawUsage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const usage = value as Partial<OpenAiUsage>;
  if (typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  return rawUsage(usage as OpenAiUsage);
}

/** Error body hints: OpenAI's `insufficient_quota` 429 is not worth retrying. */
export function openAiErrorDetails(_status: number, body: unknown): VendorErrorDetails {
  const parsed = openAiErrorBodySchema.safeParse(body);
  if (!parsed.success) return {};
  const { message, code, type } = parsed.data.error;
  const details: VendorErrorDetails = {};
  if (message) details.message = message;
  if (code === 'insufficient_quota' || type === 'insufficient_quota') details.retryable = false;
  if (code === 'model_not_found') details.code = 'not_found';
  return details;
}

const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isOptional = (value: unknown, type: 'string' | 'number'): boolean => value === undefined || typeof value === type;
const isNullish = (value: unknown, type: 'string'): boolean => value === undefined || value === null || typeof value === type;

function isWellFormedToolCall(call: unknown): boolean {
  if (!isRecord(call) || typeof call.id !== 'string' || (call.type !== undefined && call.type !== 'function')) return false;
  const fn = call.function;
  return isRecord(fn) && typeof fn.name === 'string' && isNullish(fn.arguments, 'string');
}

/**
 * The hot path's check of a non-streamed response: true when `json` already has the exact
 * shape `openAiChatResponseSchema` accepts (so it can be used as is, defaults aside). Anything
 * else goes through the schema, for its message. Mirrors the schema field by field.
 */
export function isWellFormedResponse(json: unknown): json is OpenAiChatResponseInput {
  if (!isRecord(json)) return false;
  if (!isOptional(json.id, 'string') || !isOptional(json.object, 'string') || !isOptional(json.created, 'number')) return false;
  if (!isOptional(json.model, 'string') || !isNullish(json.system_fingerprint, 'string')) return false;
  const usage = json.usage;
  if (usage !== undefined && usage !== null) {
    if (!isRecord(usage) || !isCount(usage.prompt_tokens) || !isCount(usage.completion_tokens)) return false;
    if (usage.total_tokens !== undefined && !isCount(usage.total_tokens)) return false;
    const details = usage.prompt_tokens_details;
    if (details !== undefined && details !== null && (!isRecord(details) || (details.cached_tokens !== undefined && !isCount(details.cached_tokens)))) return false;
  }
  const choices = json.choices;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices as unknown[]) {
    if (!isRecord(choice) || (choice.index !== undefined && !isCount(choice.index)) || !isNullish(choice.finish_reason, 'string')) return false;
    const message = choice.message;
    if (!isRecord(message) || !isOptional(message.role, 'string') || !isNullish(message.content, 'string') || !isNullish(message.refusal, 'string')) return false;
    const toolCalls = message.tool_calls;
    if (toolCalls !== undefined && toolCalls !== null && (!Array.isArray(toolCalls) || !toolCalls.every(isWellFormedToolCall))) return false;
  }
  return true;
}

class OpenAiStreamDecoder implements StreamDecoder {
  complete = false;
  usage: RawUsage | undefined;
  private started = false;

  constructor(
    private readonly context: ErrorContext,
    private readonly fallbackModel: string,
  ) {}

  onEvent(event: SseEvent, out: StreamEvent[]): void {
    if (this.complete) return;
    const data = event.data;
    if (data === '[DONE]') {
      this.complete = true;
      return;
    }
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(data) as Record<string, unknown>;
    } catch (error) {
      throw invalidResponse(this.context, 'malformed stream chunk', error);
    }
    if (!chunk || typeof chunk !== 'object') throw invalidResponse(this.context, 'malformed stream chunk');
    if (chunk.error !== undefined) {
      const details = openAiErrorDetails(0, chunk);
      throw new SwitchyardError('upstream', `${this.context.provider}: ${details.message ?? 'error in stream'}`, {
        provider: this.context.provider,
        ...(this.context.model ? { model: this.context.model } : {}),
        retryable: true,
      });
    }
    if (!this.started) {
      this.started = true;
      out.push({
        type: 'start',
        id: typeof chunk.id === 'string' ? chunk.id : '',
        model: typeof chunk.model === 'string' ? chunk.model : this.fallbackModel,
        created: typeof chunk.created === 'number' ? chunk.created : Math.floor(Date.now() / 1000),
      });
    }
    const choices = chunk.choices;
    if (choices !== undefined && !Array.isArray(choices)) throw invalidResponse(this.context, 'stream chunk has no choices array');
    if (choices) {
      for (const choice of choices as Array<Record<string, unknown>>) {
        const index = typeof choice.index === 'number' ? choice.index : 0;
        const delta = choice.delta as Record<string, unknown> | undefined;
        if (delta) {
          const content = delta.content;
          if (typeof content === 'string' && content.length > 0) out.push({ type: 'text', index, text: content });
          const toolCalls = delta.tool_calls;
          if (Array.isArray(toolCalls)) {
            for (const call of toolCalls as Array<Record<string, unknown>>) {
              const fn = call.function as { name?: unknown; arguments?: unknown } | undefined;
              out.push({
                type: 'tool-call',
                index,
                toolIndex: typeof call.index === 'number' ? call.index : 0,
                ...(typeof call.id === 'string' ? { id: call.id } : {}),
                ...(typeof fn?.name === 'string' ? { name: fn.name } : {}),
                argumentsDelta: typeof fn?.arguments === 'string' ? fn.arguments : '',
              });
            }
          }
        }
        const finish = choice.finish_reason;
        if (typeof finish === 'string') out.push({ type: 'finish', index, finishReason: openAiFinishReason(finish) });
      }
    }
    const usage = readUsage(chunk.usage);
    if (usage) this.usage = usage;
  }
}

/** OpenAI's own bound on `n`; a compatible vendor with a lower one answers a 400 that says so. */
const OPENAI_MAX_CHOICES = 128;

export function openAiCompatibleFormat(preset: OpenAiCompatiblePreset): WireFormat {
  const quirks = preset.quirks ?? {};
  const authHeader = preset.authHeader ?? 'authorization';
  return {
    maxChoices: quirks.maxChoices ?? (quirks.unsupportedFields?.includes('n') ? 1 : OPENAI_MAX_CHOICES),
    chatPath: () => '/chat/completions',
    authHeaders(apiKey) {
      const headers: Record<string, string> = { ...preset.extraHeaders };
      if (apiKey) headers[authHeader] = authHeader === 'authorization' ? `Bearer ${apiKey}` : apiKey;
      return headers;
    },
    encode(request: ChatRequest, settings: ModelCallSettings, stream: boolean) {
      const body: Record<string, unknown> = { ...request, ...quirks.extraBody, model: settings.upstreamName, stream };
      if (stream) {
        if (quirks.streamUsage !== false) body.stream_options = { ...request.stream_options, include_usage: true };
      } else {
        delete body.stream_options;
      }
      if (quirks.toolChoiceRequired === 'any' && request.tool_choice === 'required') body.tool_choice = 'any';
      if (quirks.unsupportedFields) for (const field of quirks.unsupportedFields) delete body[field];
      return body;
    },
    decode(json, _request, settings, context): DecodedResponse {
      let data: OpenAiChatResponseInput;
      if (isWellFormedResponse(json)) data = json;
      else {
        // Only an unexpected shape pays for the schema, which names what is wrong.
        const parsed = openAiChatResponseSchema.safeParse(json);
        if (!parsed.success) throw invalidResponse(context, `unexpected response shape (${parsed.error.issues[0]?.message ?? 'invalid'})`);
        data = parsed.data;
      }
      const choices: ChatChoice[] = data.choices.map((choice) => {
        const toolCalls: ToolCall[] | undefined = choice.message.tool_calls?.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.function.name, arguments: call.function.arguments ?? '' },
        }));
        return {
          index: choice.index ?? 0,
          message: {
            role: 'assistant',
            content: choice.message.content ?? null,
            ...(toolCalls && toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            ...(choice.message.refusal ? { refusal: choice.message.refusal } : {}),
          },
          finish_reason: openAiFinishReason(choice.finish_reason),
          logprobs: null,
        };
      });
      return {
        response: {
          id: data.id ?? '',
          object: 'chat.completion',
          created: data.created ?? Math.floor(Date.now() / 1000),
          model: data.model ?? settings.upstreamName,
          choices,
          ...(data.system_fingerprint === undefined ? {} : { system_fingerprint: data.system_fingerprint }),
        },
        usage: data.usage ? rawUsage(data.usage) : undefined,
      };
    },
    createStreamDecoder: (_request, settings, context) => new OpenAiStreamDecoder(context, settings.upstreamName),
    errorDetails: openAiErrorDetails,
    listModels: {
      path: '/models',
      decode(json) {
        const parsed = openAiModelListSchema.parse(json);
        return parsed.data.map((model) => {
          const contextWindow = model.context_window ?? model.context_length;
          return { id: model.id, ...(contextWindow === undefined ? {} : { contextWindow }) };
        });
      },
    },
  };
}

/** An adapter for any OpenAI-compatible vendor described by a preset. */
export function createOpenAiCompatibleAdapter(provider: ProviderConfig, preset: OpenAiCompatiblePreset): ProviderAdapter {
  const defaultBaseUrl = preset.defaultBaseUrl;
  if (!provider.baseUrl && !defaultBaseUrl) {
    throw new SwitchyardError('config', `provider "${provider.id}" (${preset.type}) needs a baseUrl`, { retryable: false });
  }
  return new HttpAdapter({
    provider,
    format: openAiCompatibleFormat(preset),
    defaultBaseUrl: provider.baseUrl ?? (defaultBaseUrl as string),
  });
}
