/** The Anthropic Messages wire format, as the simulator speaks it (named SSE events). */
import type { SimOutcome, SimRequest } from '../answers';
import { SimHttpError, asObject, contentText, sse, type SimErrorKind, type SimFormat, type StreamContext } from './format';

const errorTypes: Record<SimErrorKind, { type: string; status: number }> = {
  bad_request: { type: 'invalid_request_error', status: 400 },
  auth: { type: 'authentication_error', status: 401 },
  not_found: { type: 'not_found_error', status: 404 },
  rate_limited: { type: 'rate_limit_error', status: 429 },
  server: { type: 'api_error', status: 500 },
  unavailable: { type: 'overloaded_error', status: 503 },
  overloaded: { type: 'overloaded_error', status: 529 },
};

const stopReasons: Record<SimOutcome['finishReason'], string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' };

function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content) {
    const entry = asObject(block);
    if (!entry) continue;
    if (entry.type === 'text' && typeof entry.text === 'string') text += entry.text;
    else if (entry.type === 'tool_result') text += contentText(entry.content);
  }
  return text;
}

function usage(outcome: SimOutcome) {
  return { input_tokens: outcome.promptTokens, output_tokens: outcome.completionTokens, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
}

export const anthropicFormat: SimFormat = {
  name: 'anthropic',
  hasKey(request) {
    const key = request.headers['x-api-key'];
    return typeof key === 'string' && key.trim().length > 0;
  },
  parse(request) {
    if (typeof request.headers['anthropic-version'] !== 'string') {
      throw new SimHttpError('bad_request', 'anthropic-version: header is required');
    }
    const body = asObject(request.body);
    if (!body) throw new SimHttpError('bad_request', 'Request body is not valid JSON');
    if (typeof body.model !== 'string') throw new SimHttpError('bad_request', 'model: Field required');
    if (typeof body.max_tokens !== 'number' || body.max_tokens < 1) throw new SimHttpError('bad_request', 'max_tokens: Field required');
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) throw new SimHttpError('bad_request', 'messages: at least one message is required');
    if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 1)) {
      throw new SimHttpError('bad_request', 'temperature: Input should be less than or equal to 1');
    }
    const texts: string[] = [];
    const system = typeof body.system === 'string' ? body.system : blockText(body.system);
    if (system) texts.push(system);
    let previousRole = '';
    for (const message of messages) {
      const entry = asObject(message);
      if (!entry || (entry.role !== 'user' && entry.role !== 'assistant')) {
        throw new SimHttpError('bad_request', 'messages: roles must be "user" or "assistant"');
      }
      if (entry.role === previousRole) throw new SimHttpError('bad_request', 'messages: roles must alternate between "user" and "assistant"');
      previousRole = entry.role;
      texts.push(blockText(entry.content));
    }
    const last = asObject(messages[messages.length - 1]);
    const lastIsToolResult =
      Array.isArray(last?.content) && last.content.some((block) => asObject(block)?.type === 'tool_result');
    const tools = Array.isArray(body.tools)
      ? body.tools.flatMap((tool) => {
          const entry = asObject(tool);
          return typeof entry?.name === 'string' ? [{ name: entry.name, parameters: asObject(entry.input_schema) }] : [];
        })
      : [];
    const choice = asObject(body.tool_choice);
    let toolChoice: SimRequest['toolChoice'] = 'auto';
    if (choice?.type === 'any') toolChoice = 'required';
    else if (choice?.type === 'none') toolChoice = 'none';
    else if (choice?.type === 'tool' && typeof choice.name === 'string') toolChoice = { name: choice.name };
    return {
      model: body.model,
      texts,
      lastText: texts[texts.length - 1] ?? '',
      lastIsToolResult,
      tools,
      toolChoice,
      jsonMode: false,
      jsonSchema: undefined,
      maxTokens: body.max_tokens,
      stop: Array.isArray(body.stop_sequences) ? body.stop_sequences.filter((value): value is string => typeof value === 'string') : [],
      stream: body.stream === true,
      includeUsage: true,
      choices: 1,
    };
  },
  error(kind, message, options = {}) {
    const spec = errorTypes[kind];
    const headers: Record<string, string> = { 'request-id': `req_sim_${Date.now().toString(36)}` };
    if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.ceil(options.retryAfterSeconds));
    return { status: options.status ?? spec.status, headers, body: { type: 'error', error: { type: spec.type, message } } };
  },
  response(context, outcome) {
    const content: unknown[] = [];
    if (outcome.text) content.push({ type: 'text', text: outcome.text });
    for (const call of outcome.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) as unknown });
    return {
      id: context.id,
      type: 'message',
      role: 'assistant',
      model: context.model,
      content,
      stop_reason: stopReasons[outcome.finishReason],
      stop_sequence: null,
      usage: usage(outcome),
    };
  },
  streamStart(context, outcome) {
    let out = sse(
      {
        type: 'message_start',
        message: {
          id: context.id,
          type: 'message',
          role: 'assistant',
          model: context.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage(outcome), output_tokens: 1 },
        },
      },
      'message_start',
    );
    out += sse({ type: 'ping' }, 'ping');
    if (outcome.toolCalls.length === 0) {
      out += sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start');
    }
    return out;
  },
  streamText(_context, text) {
    return sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta');
  },
  streamToolCalls(_context, outcome) {
    let out = '';
    outcome.toolCalls.forEach((call, index) => {
      out += sse({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }, 'content_block_start');
      const half = Math.ceil(call.arguments.length / 2);
      for (const piece of ['', call.arguments.slice(0, half), call.arguments.slice(half)]) {
        out += sse({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }, 'content_block_delta');
      }
      out += sse({ type: 'content_block_stop', index }, 'content_block_stop');
    });
    return out;
  },
  streamEnd(_context, outcome) {
    let out = '';
    if (outcome.toolCalls.length === 0) out += sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop');
    out += sse(
      { type: 'message_delta', delta: { stop_reason: stopReasons[outcome.finishReason], stop_sequence: null }, usage: { output_tokens: outcome.completionTokens } },
      'message_delta',
    );
    return out + sse({ type: 'message_stop' }, 'message_stop');
  },
  malformedFrame() {
    return 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"unterminated\n\n';
  },
};

export type { StreamContext };
