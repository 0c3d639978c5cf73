/** The OpenAI chat-completions wire format, as the simulator speaks it. */
import type { SimOutcome, SimRequest } from '../answers';
import { SimHttpError, asObject, contentText, sse, type SimErrorKind, type SimFormat, type StreamContext } from './format';

const errorTypes: Record<SimErrorKind, { type: string; code: string | null; status: number }> = {
  bad_request: { type: 'invalid_request_error', code: null, status: 400 },
  auth: { type: 'invalid_request_error', code: 'invalid_api_key', status: 401 },
  not_found: { type: 'invalid_request_error', code: 'model_not_found', status: 404 },
  rate_limited: { type: 'requests', code: 'rate_limit_exceeded', status: 429 },
  server: { type: 'server_error', code: null, status: 500 },
  unavailable: { type: 'server_error', code: 'service_unavailable', status: 503 },
  overloaded: { type: 'server_error', code: 'overloaded', status: 529 },
};

function parseToolChoice(value: unknown): SimRequest['toolChoice'] {
  if (value === 'none' || value === 'required' || value === 'auto') return value;
  const name = asObject(asObject(value)?.function)?.name;
  return typeof name === 'string' ? { name } : 'auto';
}

export const openAiFormat: SimFormat = {
  name: 'openai',
  hasKey(request) {
    const header = request.headers.authorization;
    return typeof header === 'string' && /^Bearer\s+\S+/i.test(header);
  },
  parse(request, _modelFromUrl, _stream) {
    const body = asObject(request.body);
    if (!body) throw new SimHttpError('bad_request', 'We could not parse the JSON body of your request.');
    if (typeof body.model !== 'string' || body.model.length === 0) throw new SimHttpError('bad_request', "you must provide a model parameter");
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      throw new SimHttpError('bad_request', "Invalid 'messages': empty array. Expected an array with minimum length 1.");
    }
    if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 2)) {
      throw new SimHttpError('bad_request', `Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got ${body.temperature} instead.`);
    }
    const texts: string[] = [];
    for (const message of messages) {
      const entry = asObject(message);
      if (!entry || typeof entry.role !== 'string') throw new SimHttpError('bad_request', "Invalid 'messages': each message needs a role.");
      texts.push(contentText(entry.content));
    }
    const last = asObject(messages[messages.length - 1]);
    const tools = Array.isArray(body.tools)
      ? body.tools.flatMap((tool) => {
          const fn = asObject(asObject(tool)?.function);
          return typeof fn?.name === 'string' ? [{ name: fn.name, parameters: asObject(fn.parameters) }] : [];
        })
      : [];
    const n = body.n ?? 1;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 128) {
      throw new SimHttpError('bad_request', `Invalid 'n': expected an integer from 1 to 128, but got ${JSON.stringify(n)} instead.`);
    }
    const format = asObject(body.response_format);
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.filter((value): value is string => typeof value === 'string') : [];
    return {
      model: body.model,
      texts,
      lastText: texts[texts.length - 1] ?? '',
      lastIsToolResult: last?.role === 'tool',
      tools,
      toolChoice: parseToolChoice(body.tool_choice),
      jsonMode: format?.type === 'json_object' || format?.type === 'json_schema',
      jsonSchema: format?.type === 'json_schema' ? asObject(asObject(format.json_schema)?.schema) : undefined,
      maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
      stop,
      stream: body.stream === true,
      includeUsage: asObject(body.stream_options)?.include_usage === true,
      choices: n,
    };
  },
  error(kind, message, options = {}) {
    const spec = errorTypes[kind];
    const status = options.status ?? spec.status;
    const headers: Record<string, string> = { 'x-request-id': `req_sim_${Date.now().toString(36)}` };
    if (options.retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(Math.ceil(options.retryAfterSeconds));
      headers['retry-after-ms'] = String(Math.round(options.retryAfterSeconds * 1000));
      headers['x-ratelimit-remaining-requests'] = '0';
    }
    return { status, headers, body: { error: { message, type: spec.type, param: null, code: spec.code } } };
  },
  response(context, outcome) {
    const message = {
      role: 'assistant',
      content: outcome.toolCalls.length > 0 && outcome.text === '' ? null : outcome.text,
      ...(outcome.toolCalls.length > 0
        ? { tool_calls: outcome.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })) }
        : {}),
      refusal: null,
    };
    return {
      id: context.id,
      object: 'chat.completion',
      created: context.created,
      model: context.model,
      choices: Array.from({ length: context.request.choices }, (_, index) => ({ index, message, logprobs: null, finish_reason: outcome.finishReason })),
      usage: usage(outcome, context.request.choices),
      system_fingerprint: 'fp_switchyard_sim',
    };
  },
  streamStart(context) {
    return chunks(context, { role: 'assistant', content: '' }, null);
  },
  streamText(context, text) {
    return chunks(context, { content: text }, null);
  },
  streamToolCalls(context, outcome) {
    let out = '';
    outcome.toolCalls.forEach((call, index) => {
      out += chunks(context, { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, null);
      const half = Math.ceil(call.arguments.length / 2);
      for (const piece of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
        if (piece) out += chunks(context, { tool_calls: [{ index, function: { arguments: piece } }] }, null);
      }
    });
    return out;
  },
  streamEnd(context, outcome) {
    let out = chunks(context, {}, outcome.finishReason);
    if (context.request.includeUsage) {
      out += sse({ id: context.id, object: 'chat.completion.chunk', created: context.created, model: context.model, choices: [], usage: usage(outcome, context.request.choices) });
    }
    return out + sse('[DONE]');
  },
  malformedFrame() {
    return 'data: {"id":"chatcmpl-broken","choices":[{"index":0,"delta":{"content":"unterminated\n\n';
  },
};

/** Every choice answers alike and is billed (as OpenAI bills `n` choices). */
function usage(outcome: SimOutcome, choices: number) {
  const completion = outcome.completionTokens * choices;
  return {
    prompt_tokens: outcome.promptTokens,
    completion_tokens: completion,
    total_tokens: outcome.promptTokens + completion,
    prompt_tokens_details: { cached_tokens: 0 },
  };
}

function chunk(context: StreamContext, delta: Record<string, unknown>, finishReason: string | null, index: number) {
  return {
    id: context.id,
    object: 'chat.completion.chunk',
    created: context.created,
    model: context.model,
    system_fingerprint: 'fp_switchyard_sim',
    choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** The same delta for every requested choice, one chunk each (as OpenAI interleaves `n` choices). */
function chunks(context: StreamContext, delta: Record<string, unknown>, finishReason: string | null): string {
  let out = '';
  for (let index = 0; index < context.request.choices; index += 1) out += sse(chunk(context, delta, finishReason, index));
  return out;
}
