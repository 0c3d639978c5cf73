/**
 * Anthropic Messages translator. Requests: leading system messages become the top-level
 * `system`, tool results become `tool_result` blocks in a user turn, consecutive turns of
 * one role are merged (the API wants alternation), `max_tokens` is always set. JSON mode
 * is a forced tool whose input is the JSON document, returned to the caller as text.
 * Responses and the named-event stream are mapped back to the OpenAI shape.
 */
import {
  SwitchyardError,
  messageText,
  type ChatMessage,
  type ChatRequest,
  type ErrorCode,
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
import { foldTurns } from '../http/turns';
import {
  anthropicErrorBodySchema,
  anthropicMessageResponseSchema,
  anthropicModelListSchema,
  type AnthropicContentBlock,
  type AnthropicMessage,
  type AnthropicTool,
  type AnthropicToolChoice,
  type AnthropicUsage,
} from './anthropic-wire';
import { parseToolArguments } from '../http/tool-arguments';

export const ANTHROPIC_VERSION = '2023-06-01';
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** The forced tool that carries a JSON-mode answer. */
export const JSON_TOOL_NAME = 'json_response';
const DEFAULT_MAX_TOKENS = 4096;
/** Anthropic-native fields a caller may pass through the OpenAI-shaped request. */
const PASS_THROUGH = ['top_k', 'thinking', 'metadata', 'service_tier'] as const;

export function anthropicFinishReason(reason: string | null | undefined, jsonMode: boolean): FinishReason {
  switch (reason) {
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return jsonMode ? 'stop' : 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

export function anthropicErrorCode(type: string): ErrorCode | undefined {
  switch (type) {
    case 'invalid_request_error':
      return 'bad_request';
    case 'authentication_error':
    case 'permission_error':
      return 'auth';
    case 'not_found_error':
      return 'not_found';
    case 'request_too_large':
      return 'payload_too_large';
    case 'rate_limit_error':
      return 'rate_limited';
    case 'overloaded_error':
      return 'overloaded';
    case 'api_error':
      return 'upstream';
    default:
      return undefined;
  }
}

function anthropicErrorDetails(_status: number, body: unknown): VendorErrorDetails {
  const parsed = anthropicErrorBodySchema.safeParse(body);
  if (!parsed.success) return {};
  const code = anthropicErrorCode(parsed.data.error.type);
  return { ...(parsed.data.error.message ? { message: parsed.data.error.message } : {}), ...(code ? { code } : {}) };
}

function isJsonMode(request: ChatRequest): boolean {
  const type = request.response_format?.type;
  return type === 'json_object' || type === 'json_schema';
}

function contentBlocks(content: ChatMessage['content']): AnthropicContentBlock[] {
  if (typeof content === 'string') return content.length > 0 ? [{ type: 'text', text: content }] : [];
  const blocks: AnthropicContentBlock[] = [];
  for (const part of content ?? []) {
    if (part.type === 'text') {
      if (part.text.length > 0) blocks.push({ type: 'text', text: part.text });
    } else if (part.type === 'image_url') {
      const url = part.image_url.url;
      const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
      blocks.push(
        match
          ? { type: 'image', source: { type: 'base64', media_type: match[1] as string, data: match[2] as string } }
          : { type: 'image', source: { type: 'url', url } },
      );
    } else {
      throw new SwitchyardError('bad_request', `content part "${part.type}" is not supported by Anthropic models`, {
        param: 'messages',
        retryable: false,
      });
    }
  }
  return blocks;
}

/** OpenAI-shaped request → Anthropic Messages body. */
export function encodeAnthropicRequest(request: ChatRequest, settings: ModelCallSettings, stream: boolean): Record<string, unknown> {
  const { system, turns } = foldTurns<AnthropicContentBlock>(request.messages, {
    content: contentBlocks,
    text: (text) => ({ type: 'text', text }),
    toolCalls: (calls) => calls.map((call) => ({ type: 'tool_use', id: call.id, name: call.function.name, input: parseToolArguments(call.function.arguments) })),
    toolResult: (message) => ({ type: 'tool_result', tool_use_id: message.tool_call_id ?? '', content: messageText(message.content) }),
  });
  const messages: AnthropicMessage[] = turns.map((turn) => ({ role: turn.role, content: turn.parts }));

  const body: Record<string, unknown> = {
    model: settings.upstreamName,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? settings.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system) body.system = system;
  if (request.temperature !== undefined) body.temperature = Math.min(1, request.temperature);
  if (request.top_p !== undefined) body.top_p = request.top_p;
  if (request.stop !== undefined) body.stop_sequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (stream) body.stream = true;
  if (request.user) body.metadata = { user_id: request.user };
  for (const field of PASS_THROUGH) if (request[field] !== undefined) body[field] = request[field];

  const tools: AnthropicTool[] = (request.tools ?? []).map((tool) => ({
    name: tool.function.name,
    ...(tool.function.description ? { description: tool.function.description } : {}),
    input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
  }));
  let toolChoice: AnthropicToolChoice | undefined;
  const choice = request.tool_choice;
  if (choice === 'auto') toolChoice = { type: 'auto' };
  else if (choice === 'required') toolChoice = { type: 'any' };
  else if (choice === 'none') toolChoice = { type: 'none' };
  else if (choice) toolChoice = { type: 'tool', name: choice.function.name };

  const format = request.response_format;
  if (format && (format.type === 'json_object' || format.type === 'json_schema')) {
    const schema = format.type === 'json_schema' ? format.json_schema.schema : undefined;
    tools.push({
      name: JSON_TOOL_NAME,
      description: 'Respond with the answer as a JSON document.',
      input_schema: schema ?? { type: 'object', additionalProperties: true },
    });
    toolChoice = { type: 'tool', name: JSON_TOOL_NAME };
  }
  if (tools.length > 0) body.tools = tools;
  if (toolChoice && tools.length > 0) body.tool_choice = toolChoice;
  return body;
}

function rawUsage(usage: Partial<AnthropicUsage>): RawUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  return {
    promptTokens: (usage.input_tokens ?? 0) + cacheRead + cacheWrite,
    completionTokens: usage.output_tokens ?? 0,
    ...(usage.cache_read_input_tokens == null ? {} : { cachedTokens: cacheRead }),
  };
}

function decodeAnthropicResponse(json: unknown, request: ChatRequest, settings: ModelCallSettings, context: ErrorContext): DecodedResponse {
  const parsed = anthropicMessageResponseSchema.safeParse(json);
  if (!parsed.success) throw invalidResponse(context, `unexpected response shape (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  const data = parsed.data;
  const jsonMode = isJsonMode(request);
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of data.content) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    else if (block.type === 'tool_use') {
      const use = block as { id: string; name: string; input: unknown };
      if (jsonMode && use.name === JSON_TOOL_NAME) text += JSON.stringify(use.input ?? {});
      else toolCalls.push({ id: use.id, type: 'function', function: { name: use.name, arguments: JSON.stringify(use.input ?? {}) } });
    }
  }
  return {
    response: {
      id: data.id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: data.model ?? settings.upstreamName,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: text.length > 0 || toolCalls.length === 0 ? text : null,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: anthropicFinishReason(data.stop_reason, jsonMode),
          logprobs: null,
        },
      ],
    },
    usage: data.usage ? rawUsage(data.usage) : undefined,
  };
}

type BlockKind = { kind: 'text' } | { kind: 'tool'; toolIndex: number } | { kind: 'json' } | { kind: 'other' };

class AnthropicStreamDecoder implements StreamDecoder {
  complete = false;
  usage: RawUsage | undefined;
  private readonly blocks: BlockKind[] = [];
  private nextToolIndex = 0;
  private input: Partial<AnthropicUsage> = {};

  constructor(
    private readonly context: ErrorContext,
    private readonly fallbackModel: string,
    private readonly jsonMode: boolean,
  ) {}

  onEvent(event: SseEvent, out: StreamEvent[]): void {
    if (this.complete) return;
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(event.data) as Record<string, unknown>;
    } catch (error) {
      throw invalidResponse(this.context, 'malformed stream event', error);
    }
    if (!data || typeof data !== 'object') throw invalidResponse(this.context, 'malformed stream event');
    switch (data.type) {
      case 'message_start': {
        const message = (data.message ?? {}) as { id?: unknown; model?: unknown; usage?: Partial<AnthropicUsage> };
        this.input = message.usage ?? {};
        this.usage = rawUsage(this.input);
        out.push({
          type: 'start',
          id: typeof message.id === 'string' ? message.id : '',
          model: typeof message.model === 'string' ? message.model : this.fallbackModel,
          created: Math.floor(Date.now() / 1000),
        });
        break;
      }
      case 'content_block_start': {
        const index = typeof data.index === 'number' ? data.index : this.blocks.length;
        const block = (data.content_block ?? {}) as { type?: unknown; id?: unknown; name?: unknown; text?: unknown };
        if (block.type === 'text') {
          this.blocks[index] = { kind: 'text' };
          if (typeof block.text === 'string' && block.text.length > 0) out.push({ type: 'text', index: 0, text: block.text });
        } else if (block.type === 'tool_use') {
          if (this.jsonMode && block.name === JSON_TOOL_NAME) {
            this.blocks[index] = { kind: 'json' };
          } else {
            const toolIndex = this.nextToolIndex++;
            this.blocks[index] = { kind: 'tool', toolIndex };
            out.push({
              type: 'tool-call',
              index: 0,
              toolIndex,
              ...(typeof block.id === 'string' ? { id: block.id } : {}),
              ...(typeof block.name === 'string' ? { name: block.name } : {}),
              argumentsDelta: '',
            });
          }
        } else {
          this.blocks[index] = { kind: 'other' };
        }
        break;
      }
      case 'content_block_delta': {
        const block = this.blocks[typeof data.index === 'number' ? data.index : 0];
        const delta = (data.delta ?? {}) as { type?: unknown; text?: unknown; partial_json?: unknown };
        if (delta.type === 'text_delta' && typeof delta.text === 'string') {
          out.push({ type: 'text', index: 0, text: delta.text });
        } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string' && block) {
          if (block.kind === 'json') {
            if (delta.partial_json.length > 0) out.push({ type: 'text', index: 0, text: delta.partial_json });
          } else if (block.kind === 'tool') {
            out.push({ type: 'tool-call', index: 0, toolIndex: block.toolIndex, argumentsDelta: delta.partial_json });
          }
        }
        break;
      }
      case 'message_delta': {
        const delta = (data.delta ?? {}) as { stop_reason?: unknown };
        const usage = (data.usage ?? {}) as Partial<AnthropicUsage>;
        this.usage = rawUsage({ ...this.input, ...usage });
        if (typeof delta.stop_reason === 'string') {
          out.push({ type: 'finish', index: 0, finishReason: anthropicFinishReason(delta.stop_reason, this.jsonMode) });
        }
        break;
      }
      case 'message_stop':
        this.complete = true;
        break;
      case 'error': {
        const error = (data.error ?? {}) as { type?: unknown; message?: unknown };
        const code = (typeof error.type === 'string' ? anthropicErrorCode(error.type) : undefined) ?? 'upstream';
        throw new SwitchyardError(code, `${this.context.provider}: ${typeof error.message === 'string' ? error.message : 'error in stream'}`, {
          provider: this.context.provider,
          ...(this.context.model ? { model: this.context.model } : {}),
        });
      }
      default:
        // ping, content_block_stop, and event types added later.
        break;
    }
  }
}

export const anthropicFormat: WireFormat = {
  // The Messages API has no `n`.
  maxChoices: 1,
  chatPath: () => '/v1/messages',
  authHeaders(apiKey) {
    return { 'anthropic-version': ANTHROPIC_VERSION, ...(apiKey ? { 'x-api-key': apiKey } : {}) };
  },
  encode: encodeAnthropicRequest,
  decode: decodeAnthropicResponse,
  createStreamDecoder: (request, settings, context) => new AnthropicStreamDecoder(context, settings.upstreamName, isJsonMode(request)),
  errorDetails: anthropicErrorDetails,
  listModels: {
    path: '/v1/models',
    decode: (json) => anthropicModelListSchema.parse(json).data.map((model) => ({ id: model.id })),
  },
};

export function createAnthropicAdapter(provider: ProviderConfig): ProviderAdapter {
  return new HttpAdapter({ provider, format: anthropicFormat, defaultBaseUrl: ANTHROPIC_DEFAULT_BASE_URL });
}
