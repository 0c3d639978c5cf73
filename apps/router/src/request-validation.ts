/**
 * Hand-written validation of a chat-completions body, for the hot path.
 *
 * A zod parse of the full body allocates a copy of every message; this checks the fields the
 * router and the adapters rely on (types of `model`, `messages`, content parts, tools and the
 * sampling knobs), names the first bad field in a 400, and passes unknown fields through
 * untouched. It also notes what the request needs from a model (vision, audio, files, tools)
 * and the text the classifier reads, in the same pass.
 */
import { SwitchyardError, type ChatRequest } from '@switchyard/core';

const roles = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

export interface ContentNeeds {
  vision: boolean;
  audio: boolean;
  file: boolean;
  tools: boolean;
  /** Choices asked for (`n`, 1 when absent): more than one needs an API that returns several. */
  choices: number;
  /** JSON mode (`response_format` of type `json_object` or `json_schema`). */
  json: boolean;
}

export interface ValidatedChat {
  /** The body itself, checked (the `switchyard` hint object removed). */
  request: ChatRequest;
  model: string;
  stream: boolean;
  includeUsage: boolean;
  needs: ContentNeeds;
  /** Text of the last user message (what the classifier reads). */
  promptText: string;
  /** The `switchyard` hint object of the body, if any. */
  hints: Record<string, unknown> | undefined;
}

function bad(param: string, message: string): SwitchyardError {
  return new SwitchyardError('bad_request', message, { param, retryable: false });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function expectType(body: Record<string, unknown>, field: string, type: 'number' | 'boolean' | 'string', integer = false): void {
  const value = body[field];
  if (value === undefined || value === null) return;
  if (typeof value !== type || (integer && !Number.isInteger(value))) {
    throw bad(field, `\`${field}\` must be ${integer ? 'an integer' : `a ${type}`}, got ${typeName(value)}`);
  }
}

function checkRange(body: Record<string, unknown>, field: string, min: number, max: number): void {
  const value = body[field];
  if (typeof value === 'number' && (value < min || value > max)) {
    throw bad(field, `\`${field}\` must be between ${min} and ${max}, got ${value}`);
  }
}

function checkParts(parts: unknown[], path: string, needs: ContentNeeds): string {
  let text = '';
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index];
    const partPath = `${path}[${index}]`;
    if (!isObject(part)) throw bad(partPath, `\`${partPath}\` must be an object, got ${typeName(part)}`);
    switch (part.type) {
      case 'text':
        if (typeof part.text !== 'string') throw bad(`${partPath}.text`, `\`${partPath}.text\` must be a string, got ${typeName(part.text)}`);
        text += part.text;
        break;
      case 'image_url': {
        const image = part.image_url;
        if (!isObject(image) || typeof image.url !== 'string') throw bad(`${partPath}.image_url.url`, `\`${partPath}.image_url.url\` must be a string`);
        needs.vision = true;
        break;
      }
      case 'input_audio':
        if (!isObject(part.input_audio)) throw bad(`${partPath}.input_audio`, `\`${partPath}.input_audio\` must be an object`);
        needs.audio = true;
        break;
      case 'file':
        if (!isObject(part.file)) throw bad(`${partPath}.file`, `\`${partPath}.file\` must be an object`);
        needs.file = true;
        break;
      default:
        throw bad(
          `${partPath}.type`,
          `\`${partPath}.type\` must be one of text, image_url, input_audio, file; got ${JSON.stringify(part.type) ?? 'nothing'}`,
        );
    }
  }
  return text;
}

/** Validate a parsed JSON body. Throws a 400 `SwitchyardError` naming the first bad field. */
export function validateChatBody(body: unknown): ValidatedChat {
  if (!isObject(body)) throw bad('body', `The request body must be a JSON object, got ${typeName(body)}`);
  const model = body.model ?? 'auto';
  if (typeof model !== 'string' || model.length === 0) throw bad('model', '`model` must be a non-empty string');
  const messages = body.messages;
  if (messages === undefined) throw bad('messages', '`messages` is missing');
  if (!Array.isArray(messages)) throw bad('messages', `\`messages\` must be an array, got ${typeName(messages)}`);
  if (messages.length === 0) throw bad('messages', '`messages` must hold at least one message');
  const needs: ContentNeeds = { vision: false, audio: false, file: false, tools: false, choices: 1, json: false };
  let promptText = '';
  for (let index = 0; index < messages.length; index += 1) {
    const message: unknown = messages[index];
    if (!isObject(message)) throw bad(`messages[${index}]`, `\`messages[${index}]\` must be an object, got ${typeName(message)}`);
    const role = message.role;
    if (typeof role !== 'string' || !roles.has(role)) {
      throw bad(
        `messages[${index}].role`,
        role === undefined
          ? `\`messages[${index}].role\` is missing`
          : `\`messages[${index}].role\` must be one of system, developer, user, assistant, tool; got ${JSON.stringify(role)}`,
      );
    }
    const content = message.content;
    if (typeof content === 'string') {
      if (role === 'user') promptText = content;
    } else if (Array.isArray(content)) {
      const text = checkParts(content, `messages[${index}].content`, needs);
      if (role === 'user') promptText = text;
    } else if (content !== undefined && content !== null) {
      throw bad(`messages[${index}].content`, `\`messages[${index}].content\` must be a string or an array of content parts, got ${typeName(content)}`);
    } else if (role === 'user') {
      throw bad(`messages[${index}].content`, `\`messages[${index}].content\` is missing`);
    }
    const toolCalls = message.tool_calls;
    if (toolCalls !== undefined && toolCalls !== null && !Array.isArray(toolCalls)) {
      throw bad(`messages[${index}].tool_calls`, `\`messages[${index}].tool_calls\` must be an array`);
    }
  }
  const tools = body.tools;
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools)) throw bad('tools', `\`tools\` must be an array, got ${typeName(tools)}`);
    for (let index = 0; index < tools.length; index += 1) {
      const tool: unknown = tools[index];
      if (!isObject(tool) || !isObject(tool.function) || typeof tool.function.name !== 'string' || tool.function.name.length === 0) {
        throw bad(`tools[${index}].function.name`, `\`tools[${index}].function.name\` must be a non-empty string`);
      }
    }
    if (tools.length > 0) needs.tools = true;
  }
  expectType(body, 'stream', 'boolean');
  expectType(body, 'temperature', 'number');
  checkRange(body, 'temperature', 0, 2);
  expectType(body, 'top_p', 'number');
  checkRange(body, 'top_p', 0, 1);
  expectType(body, 'max_tokens', 'number', true);
  checkRange(body, 'max_tokens', 1, Number.MAX_SAFE_INTEGER);
  expectType(body, 'max_completion_tokens', 'number', true);
  checkRange(body, 'max_completion_tokens', 1, Number.MAX_SAFE_INTEGER);
  expectType(body, 'n', 'number', true);
  checkRange(body, 'n', 1, 128);
  if (typeof body.n === 'number') needs.choices = body.n;
  expectType(body, 'seed', 'number', true);
  expectType(body, 'user', 'string');
  const stop = body.stop;
  if (stop !== undefined && stop !== null && typeof stop !== 'string' && !Array.isArray(stop)) {
    throw bad('stop', '`stop` must be a string or an array of strings');
  }
  const responseFormat = body.response_format;
  if (responseFormat !== undefined && responseFormat !== null) {
    if (!isObject(responseFormat)) throw bad('response_format', `\`response_format\` must be an object, got ${typeName(responseFormat)}`);
    const type = responseFormat.type;
    // Vendors add their own types (Fireworks' `grammar`, vLLM's `structural_tag`): they pass through.
    if (typeof type !== 'string' || type.length === 0) {
      throw bad('response_format.type', `\`response_format.type\` must be a string such as text, json_object or json_schema; got ${JSON.stringify(type ?? null)}`);
    }
    if (type === 'json_schema') {
      const spec = responseFormat.json_schema;
      if (!isObject(spec) || typeof spec.name !== 'string' || spec.name.length === 0) {
        throw bad('response_format.json_schema.name', '`response_format.json_schema` must be an object with a non-empty `name`');
      }
      if (spec.schema !== undefined && !isObject(spec.schema)) throw bad('response_format.json_schema.schema', '`response_format.json_schema.schema` must be an object');
    }
    needs.json = type === 'json_object' || type === 'json_schema';
  }
  let includeUsage = false;
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null) {
    if (!isObject(streamOptions)) throw bad('stream_options', '`stream_options` must be an object');
    if (streamOptions.include_usage !== undefined && typeof streamOptions.include_usage !== 'boolean') {
      throw bad('stream_options.include_usage', '`stream_options.include_usage` must be a boolean');
    }
    includeUsage = streamOptions.include_usage === true;
  }
  let hints: Record<string, unknown> | undefined;
  if (body.switchyard !== undefined) {
    if (!isObject(body.switchyard)) throw bad('switchyard', '`switchyard` must be an object of routing hints');
    hints = body.switchyard;
    delete body.switchyard;
  }
  return {
    request: body as ChatRequest,
    model,
    stream: body.stream === true,
    includeUsage,
    needs,
    promptText,
    hints,
  };
}
