/**
 * POST /v1/chat/completions: validate, resolve `model` (auto / auto:<route> / provider/model),
 * decide the category, select the model and its fallback chain, call with failover, answer in
 * OpenAI's exact shape (JSON or SSE), and record one decision. No local try/catch for errors
 * before the response starts: the app's one error handler answers and records them.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  DEFAULT_CATEGORY,
  SwitchyardError,
  openAiErrorType,
  publicRouteName,
  toSwitchyardError,
  type DecisionRecord,
  type StreamEvent,
  type Usage,
} from '@switchyard/core';
import { estimateRequestTokens } from '@switchyard/providers';
import { decideCategory, type CategoryDecision } from '../category';
import { contextualWeights } from '../contextual-weights';
import { drawFromRequestId } from '../deterministic-draw';
import { chatWithFailover, openStreamWithFailover, type FailoverContext } from '../failover';
import { validateChatBody, type ValidatedChat } from '../request-validation';
import type { RouterContext, RoutingState } from '../router-context';
import { hasHints, noHints, parseHints } from '../routing-hints';
import type { CategoryTable, ModelEntry, RouteTable, RoutingTable } from '../routing-table';
import { ChunkEncoder, DONE_FRAME, errorFrame } from '../sse-encoder';
import { formatWeight, selectModels, type Selection } from '../selection';

const DIRECT_ROUTE = 'direct';
const COMPLETION_ID_PREFIX = 'chatcmpl-';

/**
 * A completion's `id` (JSON and every SSE chunk): derived from the request id, OpenAI-style,
 * whichever provider served, so `/v1/feedback` can take it as well as `x-request-id`.
 */
export function completionIdOf(requestId: string): string {
  return COMPLETION_ID_PREFIX + requestId;
}

/** The request id a completion id or request id names. */
export function requestIdOf(id: string): string {
  return id.startsWith(COMPLETION_ID_PREFIX) ? id.slice(COMPLETION_ID_PREFIX.length) : id;
}
/** A request that fails before selection was routable to nothing (shared: records only read it). */
const NO_CANDIDATES: DecisionRecord['candidates'] = Object.freeze([]);
/** Output tokens assumed by the `max_cost_usd` estimate when the request sets no max_tokens. */
const ASSUMED_OUTPUT_TOKENS = 512;

type Target = { route: RouteTable; direct?: undefined } | { route?: undefined; direct: CategoryTable };

function resolveTarget(table: RoutingTable, model: string): Target {
  if (model === 'auto' || model.startsWith('auto:')) {
    const name = model === 'auto' ? 'auto' : model.slice(5);
    const route = table.routes.get(name);
    if (route) return { route };
    const unusable = table.unusableRoutes.get(name);
    if (unusable !== undefined) {
      throw new SwitchyardError('no_eligible_model', `Route "${model}" has no model to route to: ${unusable}. Change the route's constraints or candidates, or enable a model.`, {
        param: 'model',
        retryable: false,
      });
    }
    throw new SwitchyardError('model_not_found', `Unknown route "${model}". Routes: ${[...table.routes.keys()].map(publicRouteName).join(', ')}`, {
      param: 'model',
      retryable: false,
    });
  }
  const direct = table.direct.get(model);
  if (direct) return { direct };
  if (table.disabled.has(model)) {
    throw new SwitchyardError('model_not_found', `The model \`${model}\` is disabled. Enable it again (PATCH /api/models/{id} with {"enabled": true}) to call it.`, {
      param: 'model',
      retryable: false,
    });
  }
  throw new SwitchyardError(
    'model_not_found',
    `The model \`${model}\` does not exist here. Use "auto", "auto:<route>" or a configured "provider/model" (GET /v1/models lists them).`,
    { param: 'model', retryable: false },
  );
}

/** The request's prompt tokens, estimated once on first use. */
function requestTokenEstimate(request: ValidatedChat['request']): () => number {
  let estimate: number | undefined;
  return () => (estimate ??= estimateRequestTokens(request));
}

/** `"auto"` or `"auto:<route>"`, quoted, as a client names the route. */
function routeLabelOf(route: string): string {
  return `"${publicRouteName(route)}"`;
}

function reasonOf(routing: RoutingState, selection: Selection, source: RouteTable['source'] | 'direct', category: CategoryDecision): string {
  const unknown = routing.unknownCategory ? `; hinted category "${routing.unknownCategory}" is not in the policy` : '';
  if (source === 'direct') return `direct${unknown}`;
  let reason = `weight ${formatWeight(selection.weight)} of ${selection.eligible} eligible`;
  if (source === 'cold-start') reason = `cold-start; ${reason}`;
  if (selection.skippedOpen > 0) reason += `; ${selection.skippedOpen} skipped (circuit open)`;
  if (routing.category !== DEFAULT_CATEGORY || routing.categorySource !== 'default') reason += `; category by ${routing.categorySource}`;
  else if (category.unsure !== undefined) {
    const { top, confidence, threshold } = category.unsure;
    reason += `; category ${routing.category} (classifier: ${top} ${confidence.toFixed(2)}${threshold})`;
  }
  return reason + unknown;
}

function withFallbackReason(reason: string, routing: RoutingState): string {
  const attempts = routing.attempts;
  if (attempts.length < 2) return reason;
  const failed = attempts[attempts.length - 2];
  if (!failed) return reason;
  return `${reason}; fallback after ${failed.status ?? failed.errorCode ?? 'error'} from ${failed.model}`;
}

/** Headers every chat response carries (also set by the error handler from `request.routing`). */
export function routingHeaders(reply: FastifyReply, routing: RoutingState, model: string | null): void {
  reply.header('x-switchyard-route', routing.route);
  reply.header('x-switchyard-category', routing.category);
  reply.header('x-switchyard-policy', routing.policyHash ?? 'cold-start');
  reply.header('x-switchyard-reason', withFallbackReason(routing.reason, routing));
  if (model) reply.header('x-switchyard-model', model);
}

/** One decision record from the routing state and the outcome. */
export function decisionRecord(
  requestId: string,
  routing: RoutingState,
  outcome: {
    status: number;
    errorCode: string | null;
    servedModel: string | null;
    ttftMs: number | null;
    usage: Usage | undefined;
    content?: DecisionRecord['content'];
  },
): DecisionRecord {
  const usage = outcome.usage;
  let fallbacks = 0;
  for (const attempt of routing.attempts) if (!attempt.ok) fallbacks += 1;
  if (!outcome.servedModel && fallbacks > 0) fallbacks -= 1;
  return {
    requestId,
    at: new Date(routing.startedAt).toISOString(),
    route: routing.route,
    category: routing.category,
    categorySource: routing.categorySource,
    chosenModel: routing.chosen,
    servedModel: outcome.servedModel,
    candidates: routing.candidates,
    attempts: routing.attempts,
    fallbacks,
    policyHash: routing.policyHash,
    status: outcome.status,
    errorCode: outcome.errorCode,
    stream: routing.stream,
    ttftMs: outcome.ttftMs,
    latencyMs: Date.now() - routing.startedAt,
    promptTokens: usage ? usage.prompt_tokens : null,
    completionTokens: usage ? usage.completion_tokens : null,
    costUsd: usage?.cost ?? null,
    costEstimated: usage?.cost_estimated === true,
    apiKeyId: routing.apiKeyId,
    ...(outcome.content === undefined ? {} : { content: outcome.content }),
  };
}

/** Resolves when the socket can take more (or is gone). */
function drained(raw: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}

/**
 * Frames written in one tick leave in one packet: an upstream read usually carries many
 * events, each of which would otherwise be its own write to the socket (one syscall each).
 * The socket is corked at the first frame of a tick and uncorked once the tick's microtasks
 * (the events of that read) are done.
 */
function tickBatchedWriter(raw: ServerResponse): (frame: string) => boolean {
  // Returns true when the caller must wait for `drained` before writing more.
  let corked = false;
  const uncork = (): void => {
    corked = false;
    raw.uncork();
  };
  return (frame) => {
    if (frame.length === 0 || raw.destroyed || raw.writableEnded) return false;
    if (!corked) {
      corked = true;
      raw.cork();
      process.nextTick(uncork);
    }
    return !raw.write(frame);
  };
}

export function registerChatCompletions(app: FastifyInstance, context: RouterContext): void {
  const { config, metrics, breakers, recorder } = context;
  const isOpen = (modelId: string): boolean => breakers.isOpen(modelId);
  const onAttemptDone = (modelId: string, latencyMs: number, ok: boolean): void => metrics.upstream(modelId, latencyMs / 1000, ok);
  const logContent = config.router.logContent;

  app.post('/v1/chat/completions', async (request: FastifyRequest, reply: FastifyReply) => {
    const startedAt = Date.now();
    reply.header('x-request-id', request.id);
    const chat = validateChatBody(request.body);
    const { table, classify } = context.live;
    const hints = hasHints(chat.hints, request.headers) ? parseHints(chat.hints, request.headers) : noHints;
    const target = resolveTarget(table, chat.model);
    const apiKey = request.apiKey;
    const routeName = target.route ? target.route.name : DIRECT_ROUTE;
    const directId = target.direct ? (target.direct.entries[0] as ModelEntry).id : undefined;
    if (apiKey) {
      if (target.route && apiKey.routes && !apiKey.routes.has(routeName)) {
        throw new SwitchyardError('forbidden', `This API key may not use route "${chat.model}"`, { param: 'model', retryable: false });
      }
      if (directId !== undefined && apiKey.models && !apiKey.models.has(directId)) {
        throw new SwitchyardError('forbidden', `This API key may not use model "${directId}"`, { param: 'model', retryable: false });
      }
    }
    const category = decideCategory(hints.category, classify, chat.promptText);
    const routing: RoutingState = {
      startedAt,
      route: routeName,
      category: category.category,
      categorySource: category.source,
      policyHash: table.policyHash,
      candidates: NO_CANDIDATES,
      chosen: null,
      attempts: [],
      stream: chat.stream,
      apiKeyId: apiKey ? apiKey.id : null,
      // Replaced once a model is selected; an error before that says why none was.
      reason: target.route ? 'no eligible model' : 'direct',
      unknownCategory: null,
    };
    request.routing = routing;

    let categoryTable: CategoryTable;
    if (target.route) {
      const named = target.route.categories.get(category.category);
      const closed = named ? undefined : target.route.closedCategories.get(category.category);
      if (closed !== undefined) {
        throw new SwitchyardError(
          'no_eligible_model',
          `No model of ${routeLabelOf(routeName)} can take requests of category "${category.category}" (by ${category.source}): ${closed}`,
          { param: category.source === 'hint' ? 'switchyard.category' : 'model', retryable: false },
        );
      }
      categoryTable = named ?? target.route.fallbackCategory;
      // The record says which category routed: a hint the policy does not know is not a category.
      if (!named && category.source === 'hint') routing.unknownCategory = category.category;
      routing.category = categoryTable.category;
    } else {
      categoryTable = target.direct;
      if (!table.categories.has(category.category)) {
        routing.unknownCategory = category.category;
        routing.category = DEFAULT_CATEGORY;
      }
    }
    const weights = categoryTable.contextual ? contextualWeights(categoryTable, chat.promptText) : undefined;
    const outputTokens = chat.request.max_completion_tokens ?? chat.request.max_tokens ?? 0;
    // A BPE token is at least one byte, so the body's size bounds the prompt's tokens: a request
    // within every model's limits (the common case) builds no context and never tokenizes.
    const bodyBytes = Number(request.headers['content-length']);
    const bound = (Number.isFinite(bodyBytes) ? bodyBytes : Infinity) + outputTokens;
    const limits = categoryTable.limits;
    const tokens = bound > limits.contextWindow || outputTokens > limits.maxOutputTokens || hints.maxCostUsd !== undefined ? requestTokenEstimate(chat.request) : undefined;
    const selection = selectModels({
      weights,
      table: categoryTable,
      routeLabel: target.route ? routeLabelOf(routeName) : `"${directId}"`,
      hints,
      needs: chat.needs,
      stream: chat.stream,
      allowedModels: apiKey?.models,
      draw: drawFromRequestId(request.id),
      isOpen,
      ...(tokens === undefined || (bound <= limits.contextWindow && outputTokens <= limits.maxOutputTokens)
        ? {}
        : { context: { bound, tokens: () => tokens() + outputTokens, outputTokens } }),
      // Only a `max_cost_usd` hint needs the cost estimate.
      ...(tokens === undefined || hints.maxCostUsd === undefined
        ? {}
        : {
            estimateCostUsd: (entry: ModelEntry) => {
              const output = chat.request.max_completion_tokens ?? chat.request.max_tokens ?? ASSUMED_OUTPUT_TOKENS;
              const price = entry.binding.settings.price;
              return (tokens() * price.inputPerMTok + output * price.outputPerMTok) / 1_000_000;
            },
          }),
    });
    // The record lists what this request could be routed to (none when no model was eligible).
    routing.candidates = selection.candidates;
    routing.reason = reasonOf(routing, selection, target.route ? target.route.source : 'direct', category);
    if (weights) routing.reason += '; contextual';
    routing.chosen = (selection.chain[0] as ModelEntry).id;
    const failover: FailoverContext = {
      breakers,
      deadline: startedAt + config.router.requestBudgetMs,
      attempts: routing.attempts,
      onAttemptDone,
    };

    if (!chat.stream) {
      const { value: response, entry } = await chatWithFailover(selection.chain, chat.request, failover);
      // The same OpenAI fields whichever provider served: our id, our model id. The vendor's own
      // id stays reachable (its logs and support know the request by it).
      if (response.id) reply.header('x-switchyard-upstream-id', response.id);
      response.id = completionIdOf(request.id);
      response.model = entry.id;
      if (response.system_fingerprint === undefined) response.system_fingerprint = null;
      routingHeaders(reply, routing, entry.id);
      if (routing.attempts.length > 1) metrics.fallback(routeName);
      metrics.request(routeName, 'json', 200);
      recorder.record(
        decisionRecord(request.id, routing, {
          status: 200,
          errorCode: null,
          servedModel: entry.id,
          ttftMs: Date.now() - startedAt,
          usage: response.usage,
          ...(logContent ? { content: { messages: chat.request.messages, response: response.choices[0]?.message.content ?? '' } } : {}),
        }),
      );
      return reply.code(200).type('application/json').send(JSON.stringify(response));
    }

    // Streaming: nothing is sent until an upstream produced its first content token.
    const controller = new AbortController();
    failover.signal = controller.signal;
    const raw = reply.raw;
    const onClose = (): void => {
      if (!raw.writableFinished) controller.abort();
    };
    raw.on('close', onClose);
    const { value: opened, entry } = await openStreamWithFailover(selection.chain, chat.request, failover);
    const ttftMs = opened.firstTokenAt - startedAt;
    metrics.firstToken(entry.id, ttftMs / 1000);
    if (routing.attempts.length > 1) metrics.fallback(routeName);
    routingHeaders(reply, routing, entry.id);
    const upstreamStart = opened.head[0]?.type === 'start' ? (opened.head[0] as Extract<StreamEvent, { type: 'start' }>) : undefined;
    if (upstreamStart?.id) reply.header('x-switchyard-upstream-id', upstreamStart.id);
    reply.hijack();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (typeof value === 'string') headers[name] = value;
    headers['content-type'] = 'text/event-stream; charset=utf-8';
    headers['cache-control'] = 'no-cache';
    headers['x-accel-buffering'] = 'no';
    raw.writeHead(200, headers);

    const encoder = new ChunkEncoder(completionIdOf(request.id), upstreamStart?.created ?? Math.floor(startedAt / 1000), entry.id);
    let usage: Usage | undefined;
    let failure: SwitchyardError | undefined;
    let text = '';
    // Frames of one event; a promise is only created when the socket pushes back.
    const writeFrame = tickBatchedWriter(raw);
    /** Set once the client has the whole answer; the upstream may still be read to its end. */
    let finished = false;
    const finish = (): void => {
      finished = true;
      if (!failure && chat.includeUsage && usage) writeFrame(encoder.usage(usage));
      if (!raw.destroyed) raw.end(DONE_FRAME);
    };
    const frameOf = (event: StreamEvent): string => {
      if (event.type === 'usage') {
        // The adapter's last event: the answer is complete, so the client gets the end now, in
        // the same packet as the last tokens, without waiting for the upstream body to end.
        usage = event.usage;
        return '';
      }
      if (logContent && event.type === 'text') text += event.text;
      return encoder.encode(event);
    };
    try {
      // Headers, the role chunk and the first token leave in one packet, at once; the rest of
      // the first token's batch follows in the next (time to first byte does not wait for it).
      let head = '';
      for (const event of opened.head) head += frameOf(event);
      if (!raw.destroyed && !raw.write(head)) await drained(raw);
      // Then one write per upstream read: the rest of the first token's read, then each next one.
      for (let batch = opened.rest; ; ) {
        if (!finished) {
          let frames = '';
          for (const event of batch) frames += frameOf(event);
          if (writeFrame(frames)) await drained(raw);
          if (usage) finish();
        }
        const next = await opened.iterator.next();
        if (next.done) break;
        batch = next.value;
      }
    } catch (thrown) {
      // After `finish` the client has its complete answer; a failure while reading the rest of
      // the upstream body only costs that connection.
      if (!finished) {
        failure = toSwitchyardError(thrown);
        if (!raw.destroyed) {
          writeFrame(
            errorFrame({ message: failure.code === 'internal' ? 'Internal error' : failure.message, type: openAiErrorType(failure.code), code: failure.code }),
          );
        }
        breakers.onFailure(entry.id);
      }
    }
    if (!finished) finish();
    raw.off('close', onClose);
    const aborted = controller.signal.aborted;
    metrics.request(routeName, 'sse', 200);
    if (failure) metrics.error(failure.code);
    recorder.record(
      decisionRecord(request.id, routing, {
        status: 200,
        errorCode: failure ? failure.code : aborted ? 'client_closed' : null,
        servedModel: entry.id,
        ttftMs,
        usage,
        ...(logContent ? { content: { messages: chat.request.messages, response: text } } : {}),
      }),
    );
    return reply;
  });
}
