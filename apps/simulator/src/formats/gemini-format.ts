/** The Gemini generateContent wire format, as the simulator speaks it. */
import type { SimOutcome, SimRequest } from '../answers';
import { SimHttpError, asObject, sse, type SimErrorKind, type SimFormat, type StreamContext } from './format';

const errorTypes: Record<SimErrorKind, { status: string; code: number }> = {
  bad_request: { status: 'INVALID_ARGUMENT', code: 400 },
  auth: { status: 'PERMISSION_DENIED', code: 403 },
  not_found: { status: 'NOT_FOUND', code: 404 },
  rate_limited: { status: 'RESOURCE_EXHAUSTED', code: 429 },
  server: { status: 'INTERNAL', code: 500 },
  unavailable: { status: 'UNAVAILABLE', code: 503 },
  overloaded: { status: 'UNAVAILABLE', code: 529 },
};

const finishReasons: Record<SimOutcome['finishReason'], string> = { stop: 'STOP', length: 'MAX_TOKENS', tool_calls: 'STOP' };

function partsText(parts: unknown): { text: string; hasFunctionResponse: boolean } {
  let text = '';
  let hasFunctionResponse = false;
  if (Array.isArray(parts)) {
    for (const part of parts) {
      const entry = asObject(part);
      if (!entry) continue;
      if (typeof entry.text === 'string') text += entry.text;
      if (entry.functionResponse) {
        hasFunctionResponse = true;
        text += JSON.stringify(asObject(entry.functionResponse)?.response ?? {});
      }
    }
  }
  return { text, hasFunctionResponse };
}

/** Every candidate answers alike and is billed. */
function usage(outcome: SimOutcome, candidates: number) {
  const completion = outcome.completionTokens * candidates;
  return {
    promptTokenCount: outcome.promptTokens,
    candidatesTokenCount: completion,
    totalTokenCount: outcome.promptTokens + completion,
  };
}

/** The same candidate once per requested `candidateCount`, indexed. */
function candidates(context: StreamContext, parts: unknown[], finishReason?: string) {
  return Array.from({ length: context.request.choices }, (_, index) => ({
    content: { role: 'model', parts },
    index,
    ...(finishReason ? { finishReason } : {}),
  }));
}

export const geminiFormat: SimFormat = {
  name: 'gemini',
  hasKey(request) {
    const header = request.headers['x-goog-api-key'];
    if (typeof header === 'string' && header.trim().length > 0) return true;
    const key = asObject(request.query)?.key;
    return typeof key === 'string' && key.length > 0;
  },
  parse(request, modelFromUrl, stream) {
    const body = asObject(request.body);
    if (!body) throw new SimHttpError('bad_request', 'Invalid JSON payload received.');
    const contents = body.contents;
    if (!Array.isArray(contents) || contents.length === 0) throw new SimHttpError('bad_request', '* GenerateContentRequest.contents: contents is not specified');
    const texts: string[] = [];
    const system = partsText(asObject(body.systemInstruction)?.parts).text;
    if (system) texts.push(system);
    let lastIsToolResult = false;
    for (const content of contents) {
      const entry = asObject(content);
      if (!entry || (entry.role !== undefined && entry.role !== 'user' && entry.role !== 'model')) {
        throw new SimHttpError('bad_request', 'Please use a valid role: user, model.');
      }
      const { text, hasFunctionResponse } = partsText(entry.parts);
      texts.push(text);
      lastIsToolResult = hasFunctionResponse;
    }
    const config = asObject(body.generationConfig) ?? {};
    if (typeof config.temperature === 'number' && (config.temperature < 0 || config.temperature > 2)) {
      throw new SimHttpError('bad_request', 'Invalid value at \'generation_config.temperature\'');
    }
    const candidateCount = config.candidateCount ?? 1;
    if (typeof candidateCount !== 'number' || !Number.isInteger(candidateCount) || candidateCount < 1 || candidateCount > 8) {
      throw new SimHttpError('bad_request', 'Invalid value at \'generation_config.candidate_count\': must be an integer from 1 to 8');
    }
    const tools: SimRequest['tools'] = [];
    if (Array.isArray(body.tools)) {
      for (const tool of body.tools) {
        const declarations = asObject(tool)?.functionDeclarations;
        if (!Array.isArray(declarations)) continue;
        for (const declaration of declarations) {
          const entry = asObject(declaration);
          if (typeof entry?.name === 'string') tools.push({ name: entry.name, parameters: asObject(entry.parametersJsonSchema) ?? asObject(entry.parameters) });
        }
      }
    }
    const calling = asObject(asObject(body.toolConfig)?.functionCallingConfig);
    let toolChoice: SimRequest['toolChoice'] = 'auto';
    if (calling?.mode === 'NONE') toolChoice = 'none';
    else if (calling?.mode === 'ANY') {
      const allowed = calling.allowedFunctionNames;
      toolChoice = Array.isArray(allowed) && typeof allowed[0] === 'string' ? { name: allowed[0] } : 'required';
    }
    return {
      model: modelFromUrl ?? '',
      texts,
      lastText: texts[texts.length - 1] ?? '',
      lastIsToolResult,
      tools,
      toolChoice,
      jsonMode: config.responseMimeType === 'application/json',
      jsonSchema: asObject(config.responseJsonSchema) ?? asObject(config.responseSchema),
      maxTokens: typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : undefined,
      stop: Array.isArray(config.stopSequences) ? config.stopSequences.filter((value): value is string => typeof value === 'string') : [],
      stream,
      includeUsage: true,
      choices: candidateCount,
    };
  },
  error(kind, message, options = {}) {
    const spec = errorTypes[kind];
    const status = options.status ?? spec.code;
    const details: unknown[] = [];
    if (options.retryAfterSeconds !== undefined) {
      details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${Math.ceil(options.retryAfterSeconds)}s` });
    }
    return { status, headers: {}, body: { error: { code: status, message, status: spec.status, ...(details.length > 0 ? { details } : {}) } } };
  },
  response(context, outcome) {
    const parts: unknown[] = [];
    if (outcome.text) parts.push({ text: outcome.text });
    for (const call of outcome.toolCalls) parts.push({ functionCall: { name: call.name, args: JSON.parse(call.arguments) as unknown } });
    return {
      candidates: candidates(context, parts, finishReasons[outcome.finishReason]),
      usageMetadata: usage(outcome, context.request.choices),
      modelVersion: context.model,
      responseId: context.id,
    };
  },
  streamStart() {
    return '';
  },
  streamText(context, text) {
    return sse({ candidates: candidates(context, [{ text }]), modelVersion: context.model, responseId: context.id });
  },
  streamToolCalls(context, outcome) {
    const parts = outcome.toolCalls.map((call) => ({ functionCall: { name: call.name, args: JSON.parse(call.arguments) as unknown } }));
    return sse({ candidates: candidates(context, parts), modelVersion: context.model, responseId: context.id });
  },
  streamEnd(context, outcome) {
    return sse({
      candidates: candidates(context, [{ text: '' }], finishReasons[outcome.finishReason]),
      usageMetadata: usage(outcome, context.request.choices),
      modelVersion: context.model,
      responseId: context.id,
    });
  },
  malformedFrame() {
    return 'data: {"candidates":[{"content":{"role":"model","parts":[{"text":"unterminated\n\n';
  },
};

export type { StreamContext };
