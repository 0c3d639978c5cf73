/**
 * The provider contract: a normalized chat request, response and stream events.
 *
 * OpenAI's chat-completions shape is the lingua franca. Adapters for other wire formats
 * (Anthropic Messages, Gemini) translate to and from it. Unknown request fields are passed
 * through untouched, never rejected, so new vendor parameters keep working.
 */
import { z } from 'zod';
import type { Price } from './domain';

const textPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });
const imagePartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string(), detail: z.string().optional() }),
});
const audioPartSchema = z.looseObject({
  type: z.literal('input_audio'),
  input_audio: z.looseObject({ data: z.string(), format: z.string() }),
});
const filePartSchema = z.looseObject({ type: z.literal('file'), file: z.looseObject({}) });
export const contentPartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  imagePartSchema,
  audioPartSchema,
  filePartSchema,
]);
export type ContentPart = z.infer<typeof contentPartSchema>;
export type ContentPartType = ContentPart['type'];

export const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const chatMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  tool_call_id: z.string().optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const toolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().optional(),
  }),
});
export type Tool = z.infer<typeof toolSchema>;

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export const responseFormatSchema = z.union([
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().optional(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

/** A chat-completions request. `model` is the upstream model name once it reaches an adapter. */
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  response_format: responseFormatSchema.optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  seed: z.number().int().optional(),
  n: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).optional(),
  user: z.string().optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  /** USD, computed from the model's price; OpenRouter puts cost here too. */
  cost?: number;
  /** True when tokens were counted by our tokenizer because the vendor reported none. */
  cost_estimated?: boolean;
}

export interface ChatChoice {
  index: number;
  message: {
    role: 'assistant';
    content: string | null;
    tool_calls?: ToolCall[];
    refusal?: string | null;
  };
  finish_reason: FinishReason;
  logprobs: null;
}

/** A non-streaming response, exactly OpenAI-shaped. `model` is the upstream model that served. */
export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatChoice[];
  usage: Usage;
  system_fingerprint?: string | null;
}

/** Normalized stream events. Every stream ends with exactly one `finish` per choice and one `usage`. */
export type StreamEvent =
  | { type: 'start'; id: string; model: string; created: number }
  | { type: 'text'; index: number; text: string }
  | {
      type: 'tool-call';
      index: number;
      /** Position of the call among the choice's tool calls. */
      toolIndex: number;
      id?: string;
      name?: string;
      argumentsDelta: string;
    }
  | { type: 'finish'; index: number; finishReason: FinishReason }
  | { type: 'usage'; usage: Usage };

/** What an adapter needs to know about the model it is calling. */
export interface ModelCallSettings {
  /** The `provider/model` id, for errors and metrics. */
  id: string;
  /** The model name the vendor's API takes. */
  upstreamName: string;
  price: Price;
  /** Default `max_tokens` for APIs that require one (Anthropic). */
  maxOutputTokens?: number;
}

export interface Timeouts {
  connectMs: number;
  firstTokenMs: number;
  totalMs: number;
}

export interface CallOptions {
  model: ModelCallSettings;
  signal?: AbortSignal;
  /** Overrides the provider's configured timeouts for this call. */
  timeouts?: Partial<Timeouts>;
}

export interface ListedModel {
  id: string;
  contextWindow?: number;
  price?: Price;
}

/**
 * One provider instance (a vendor endpoint plus credentials). Errors are thrown as
 * `SwitchyardError` with a normalized code, `retryable` and `retryAfterMs`.
 */
export interface ProviderAdapter {
  readonly id: string;
  readonly type: string;
  /**
   * The most choices (`n`) one call can return: 1 where the vendor's API has no such parameter
   * or drops it, so that a router never silently answers `n: 3` with one choice.
   */
  readonly maxChoices: number;
  chat(request: ChatRequest, options: CallOptions): Promise<ChatResponse>;
  /** Events as they arrive; a failure after the first event is thrown from the iterator. */
  stream(request: ChatRequest, options: CallOptions): AsyncIterable<StreamEvent>;
  /**
   * The same events in the batches they arrived in (one array per upstream read), for a proxy
   * that writes each batch in one go: one await per read instead of one per event.
   */
  streamBatches(request: ChatRequest, options: CallOptions): AsyncIterable<StreamEvent[]>;
  listModels?(options?: { signal?: AbortSignal }): Promise<ListedModel[]>;
  close(): Promise<void>;
}

/** The content part types a request uses, so a router can skip models that cannot take them. */
export function contentPartTypes(request: Pick<ChatRequest, 'messages'>): Set<ContentPartType> {
  const types = new Set<ContentPartType>();
  for (const message of request.messages) {
    if (Array.isArray(message.content)) for (const part of message.content) types.add(part.type);
  }
  return types;
}

/** Concatenated text of a message's content, ignoring non-text parts. */
export function messageText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}
