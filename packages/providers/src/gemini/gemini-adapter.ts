/**
 * Google Gemini translator: `contents/parts` with the `model` role, `systemInstruction`,
 * `generationConfig`, function declarations and calls (Gemini has no call ids on older
 * models, so we mint them and map tool results back by name), JSON mode through
 * `responseMimeType`, and the `streamGenerateContent?alt=sse` stream whose chunks each carry
 * whole parts and cumulative usage.
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
  geminiErrorBodySchema,
  geminiModelListSchema,
  geminiResponseSchema,
  type GeminiContent,
  type GeminiPart,
  type GeminiUsage,
} from './gemini-wire';
import { parseToolArguments } from '../http/tool-arguments';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';
/** Gemini-native fields a caller may pass through the OpenAI-shaped request. */
const PASS_THROUGH = ['safetySettings', 'cachedContent', 'labels'] as const;

export function geminiFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool_calls';
  switch (reason) {
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content_filter';
    case 'MALFORMED_FUNCTION_CALL':
      return 'error';
    default:
      return 'stop';
  }
}

function geminiErrorCode(status: string | undefined, reasons: string[]): ErrorCode | undefined {
  if (reasons.includes('API_KEY_INVALID')) return 'auth';
  switch (status) {
    case 'UNAUTHENTICATED':
    case 'PERMISSION_DENIED':
      return 'auth';
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
      return 'bad_request';
    case 'NOT_FOUND':
      return 'not_found';
    case 'RESOURCE_EXHAUSTED':
      return 'rate_limited';
    case 'UNAVAILABLE':
      return 'overloaded';
    case 'DEADLINE_EXCEEDED':
      return 'timeout';
    case 'INTERNAL':
      return 'upstream';
    default:
      return undefined;
  }
}

function geminiErrorDetails(_status: number, body: unknown): VendorErrorDetails {
  const parsed = geminiErrorBodySchema.safeParse(body);
  if (!parsed.success) return {};
  const error = parsed.data.error;
  const reasons = (error.details ?? []).flatMap((detail) => (detail.reason ? [detail.reason] : []));
  const code = geminiErrorCode(error.status, reasons);
  return { ...(error.message ? { message: error.message } : {}), ...(code ? { code } : {}) };
}

function parts(content: ChatMessage['content']): GeminiPart[] {
  if (typeof content === 'string') return content.length > 0 ? [{ text: content }] : [];
  const out: GeminiPart[] = [];
  for (const part of content ?? []) {
    if (part.type === 'text') {
      if (part.text.length > 0) out.push({ text: part.text });
    } else if (part.type === 'image_url') {
      const match = /^data:([^;,]+);base64,(.*)$/s.exec(part.image_url.url);
      out.push(
        match
          ? { inlineData: { mimeType: match[1] as string, data: match[2] as string } }
          : { fileData: { fileUri: part.image_url.url } },
      );
    } else if (part.type === 'input_audio') {
      out.push({ inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } });
    } else {
      throw new SwitchyardError('bad_request', `content part "${part.type}" is not supported by Gemini models`, {
        param: 'messages',
        retryable: false,
      });
    }
  }
  return out;
}

/** OpenAI-shaped request → generateContent body. */
export function encodeGeminiRequest(request: ChatRequest, _settings: ModelCallSettings): Record<string, unknown> {
  // Gemini matches a function's response to its call by name, so remember the names by call id.
  const toolNames = new Map<string, string>();
  const { system, turns } = foldTurns<GeminiPart>(request.messages, {
    content: parts,
    text: (text) => ({ text }),
    toolCalls: (calls) =>
      calls.map((call) => {
        toolNames.set(call.id, call.function.name);
        return { functionCall: { name: call.function.name, args: parseToolArguments(call.function.arguments) } };
      }),
    toolResult: (message) => {
      const name = toolNames.get(message.tool_call_id ?? '') ?? message.name ?? 'tool';
      const text = messageText(message.content);
      let response: Record<string, unknown>;
      try {
        const parsed = JSON.parse(text) as unknown;
        response = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { result: parsed };
      } catch {
        response = { result: text };
      }
      return { functionResponse: { name, response } };
    },
  });
  const contents: GeminiContent[] = turns.map((turn) => ({ role: turn.role === 'assistant' ? 'model' : 'user', parts: turn.parts }));

  const generationConfig: Record<string, unknown> = {};
  if (request.temperature !== undefined) generationConfig.temperature = request.temperature;
  if (request.top_p !== undefined) generationConfig.topP = request.top_p;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens !== undefined) generationConfig.maxOutputTokens = maxTokens;
  if (request.stop !== undefined) generationConfig.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.seed !== undefined) generationConfig.seed = request.seed;
  if (request.n !== undefined) generationConfig.candidateCount = request.n;
  const format = request.response_format;
  if (format?.type === 'json_object' || format?.type === 'json_schema') {
    generationConfig.responseMimeType = 'application/json';
    if (format.type === 'json_schema' && format.json_schema.schema) generationConfig.responseJsonSchema = format.json_schema.schema;
  }

  const body: Record<string, unknown> = { contents };
  if (system) body.systemInstruction = { parts: [{ text: system }] };
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  if (request.tools && request.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.function.name,
          ...(tool.function.description ? { description: tool.function.description } : {}),
          parametersJsonSchema: tool.function.parameters ?? { type: 'object', properties: {} },
        })),
      },
    ];
    const choice = request.tool_choice;
    if (choice === 'auto') body.toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
    else if (choice === 'required') body.toolConfig = { functionCallingConfig: { mode: 'ANY' } };
    else if (choice === 'none') body.toolConfig = { functionCallingConfig: { mode: 'NONE' } };
    else if (choice) body.toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
  }
  for (const field of PASS_THROUGH) if (request[field] !== undefined) body[field] = request[field];
  return body;
}

function rawUsage(usage: Partial<GeminiUsage>): RawUsage {
  return {
    promptTokens: usage.promptTokenCount ?? 0,
    // Thinking tokens are billed as output.
    completionTokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
    ...(usage.cachedContentTokenCount === undefined ? {} : { cachedTokens: usage.cachedContentTokenCount }),
  };
}

let callCounter = 0;
function callId(id: string | undefined): string {
  if (id) return id;
  callCounter = (callCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `call_${Date.now().toString(36)}${callCounter.toString(36)}`;
}

function decodeGeminiResponse(json: unknown, _request: ChatRequest, settings: ModelCallSettings, context: ErrorContext): DecodedResponse {
  const parsed = geminiResponseSchema.safeParse(json);
  if (!parsed.success) throw invalidResponse(context, `unexpected response shape (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  const data = parsed.data;
  const choices = data.candidates.map((candidate, position) => {
    let text = '';
    const toolCalls: ToolCall[] = [];
    for (const part of candidate.content?.parts ?? []) {
      if (part.thought) continue;
      if (typeof part.text === 'string') text += part.text;
      if (part.functionCall) {
        toolCalls.push({
          id: callId(part.functionCall.id),
          type: 'function',
          function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
        });
      }
    }
    return {
      index: candidate.index ?? position,
      message: {
        role: 'assistant' as const,
        content: text.length > 0 || toolCalls.length === 0 ? text : null,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      },
      finish_reason: geminiFinishReason(candidate.finishReason, toolCalls.length > 0),
      logprobs: null,
    };
  });
  if (choices.length === 0) {
    const blocked = data.promptFeedback?.blockReason;
    choices.push({
      index: 0,
      message: { role: 'assistant', content: '' },
      finish_reason: blocked ? 'content_filter' : 'stop',
      logprobs: null,
    });
  }
  return {
    response: {
      id: data.responseId ?? '',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: data.modelVersion ?? settings.upstreamName,
      choices,
    },
    usage: data.usageMetadata ? rawUsage(data.usageMetadata) : undefined,
  };
}

class GeminiStreamDecoder implements StreamDecoder {
  complete = false;
  usage: RawUsage | undefined;
  private started = false;
  private readonly toolCounts = new Map<number, number>();

  constructor(
    private readonly context: ErrorContext,
    private readonly fallbackModel: string,
  ) {}

  onEvent(event: SseEvent, out: StreamEvent[]): void {
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(event.data) as Record<string, unknown>;
    } catch (error) {
      throw invalidResponse(this.context, 'malformed stream chunk', error);
    }
    if (!chunk || typeof chunk !== 'object') throw invalidResponse(this.context, 'malformed stream chunk');
    if (chunk.error !== undefined) {
      const details = geminiErrorDetails(0, chunk);
      throw new SwitchyardError(details.code ?? 'upstream', `${this.context.provider}: ${details.message ?? 'error in stream'}`, {
        provider: this.context.provider,
        ...(this.context.model ? { model: this.context.model } : {}),
      });
    }
    if (!this.started) {
      this.started = true;
      out.push({
        type: 'start',
        id: typeof chunk.responseId === 'string' ? chunk.responseId : '',
        model: typeof chunk.modelVersion === 'string' ? chunk.modelVersion : this.fallbackModel,
        created: Math.floor(Date.now() / 1000),
      });
    }
    const candidates = chunk.candidates;
    if (candidates !== undefined && !Array.isArray(candidates)) throw invalidResponse(this.context, 'stream chunk has no candidates array');
    if (Array.isArray(candidates)) {
      for (let position = 0; position < candidates.length; position += 1) {
        const candidate = candidates[position] as { index?: unknown; content?: { parts?: unknown }; finishReason?: unknown };
        const index = typeof candidate.index === 'number' ? candidate.index : position;
        const partList = candidate.content?.parts;
        if (Array.isArray(partList)) {
          for (const part of partList as Array<Record<string, unknown>>) {
            if (part.thought === true) continue;
            if (typeof part.text === 'string' && part.text.length > 0) out.push({ type: 'text', index, text: part.text });
            const call = part.functionCall as { id?: unknown; name?: unknown; args?: unknown } | undefined;
            if (call && typeof call.name === 'string') {
              const toolIndex = this.toolCounts.get(index) ?? 0;
              this.toolCounts.set(index, toolIndex + 1);
              out.push({
                type: 'tool-call',
                index,
                toolIndex,
                id: callId(typeof call.id === 'string' ? call.id : undefined),
                name: call.name,
                argumentsDelta: JSON.stringify(call.args ?? {}),
              });
            }
          }
        }
        if (typeof candidate.finishReason === 'string') {
          out.push({ type: 'finish', index, finishReason: geminiFinishReason(candidate.finishReason, (this.toolCounts.get(index) ?? 0) > 0) });
          // Gemini has no terminator event: a finish reason marks the last content chunk.
          this.complete = true;
        }
      }
    }
    const usage = chunk.usageMetadata;
    if (usage && typeof usage === 'object') this.usage = rawUsage(usage as Partial<GeminiUsage>);
  }
}

export const geminiFormat: WireFormat = {
  // `n` becomes generationConfig.candidateCount, at most 8.
  maxChoices: 8,
  chatPath: (settings, stream) =>
    `/v1beta/models/${settings.upstreamName}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
  authHeaders: (apiKey): Record<string, string> => (apiKey ? { 'x-goog-api-key': apiKey } : {}),
  encode: (request, settings) => encodeGeminiRequest(request, settings),
  decode: decodeGeminiResponse,
  createStreamDecoder: (_request, settings, context) => new GeminiStreamDecoder(context, settings.upstreamName),
  errorDetails: geminiErrorDetails,
  listModels: {
    path: '/v1beta/models',
    decode: (json) =>
      geminiModelListSchema.parse(json).models.map((model) => ({
        id: model.name.replace(/^models\//, ''),
        ...(model.inputTokenLimit === undefined ? {} : { contextWindow: model.inputTokenLimit }),
      })),
  },
};

export function createGeminiAdapter(provider: ProviderConfig): ProviderAdapter {
  return new HttpAdapter({ provider, format: geminiFormat, defaultBaseUrl: GEMINI_DEFAULT_BASE_URL });
}
