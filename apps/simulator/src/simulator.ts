/**
 * The simulated provider fleet as one loopback HTTP server speaking three wire formats:
 * `/openai/v1/chat/completions`, `/anthropic/v1/messages` and
 * `/gemini/v1beta/models/{model}:generateContent|streamGenerateContent`.
 *
 * How a request is served: check the key the way the vendor does, parse the body into a
 * format-neutral SimRequest, look the model up, draw a fault (or take the one a test forced
 * with `x-sim-fault`), compose the answer (eval items are answered right with probability =
 * skill), then wait a lognormal time to first token and stream in real chunks at the
 * model's tokens/s. Zero-latency mode skips every wait.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type pg from 'pg';
import { seededRandom } from '@switchyard/core';
import { loadFleet, type Fleet, type FleetModel } from '@switchyard/providers';
import { composeOutcome, type SimOutcome, type SimRequest } from './answers';
import { registerControlRoutes } from './control';
import { countDatabaseItems, createDatabasePool, DatasetIndex, loadDatabaseItems, loadDatasetDirs } from './datasets';
import { drawFault, parseFaultHeader, FAULT_HEADER, type Fault } from './faults';
import { streamPlan, type StreamPiece } from './pacing';
import { FleetState } from './fleet-state';
import { anthropicFormat } from './formats/anthropic-format';
import { SimHttpError, type SimErrorResponse, type SimFormat, type StreamContext } from './formats/format';
import { geminiFormat } from './formats/gemini-format';
import { openAiFormat } from './formats/openai-format';
import { lognormal } from './random';

export const DEFAULT_DATASET_DIR = fileURLToPath(new URL('../../../datasets', import.meta.url));

export interface SimulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  fleet?: Fleet;
  /** Token for `/control/*`; unset disables the control endpoint. */
  controlToken?: string;
  /** No artificial delays (router overhead benchmarks, fast tests). */
  zeroLatency?: boolean;
  /** Seed of quality draws and of the latency/fault stream. */
  seed?: number;
  /** Directories of eval JSONL files whose items are recognized (default: the repo's `datasets/`). */
  datasetDirs?: readonly string[];
  /** Also recognize items uploaded to Switchyard (table `dataset_items`). */
  databaseUrl?: string;
  datasetRefreshMs?: number;
  logger?: FastifyBaseLogger | boolean;
}

export interface Simulator {
  app: FastifyInstance;
  state: FleetState;
  datasets: DatasetIndex;
  /** Re-read uploaded items now (no-op without a database). */
  refreshDatasets(): Promise<void>;
}

export interface RunningSimulator extends Simulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Longest a "timeout" fault holds a connection before dropping it. */
const HANG_LIMIT_MS = 10 * 60_000;
/** How often a prompt no item matches may trigger a check for newly uploaded items. */
const MISS_CHECK_MS = 1_000;
const NEVER_ABORTED = new AbortController().signal;

/** One chat call, decided (outcome, fault, time to first token) and ready to be answered. */
interface SimCall {
  format: SimFormat;
  reply: FastifyReply;
  model: FleetModel;
  context: StreamContext;
  outcome: SimOutcome;
  fault: Fault | undefined;
  ttftMs: number;
  /** Aborted when the client goes away (never, for zero-latency answers that do not wait). */
  signal: AbortSignal;
}

function sendError(reply: FastifyReply, error: SimErrorResponse): FastifyReply {
  return reply.code(error.status).headers(error.headers).send(error.body);
}

export async function buildSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const fleet = options.fleet ?? loadFleet();
  const state = new FleetState(fleet);
  const seed = options.seed ?? 42;
  const zeroLatency = options.zeroLatency ?? false;
  const random = seededRandom(seed);
  const datasets = new DatasetIndex();
  for (const item of loadDatasetDirs(options.datasetDirs ?? [DEFAULT_DATASET_DIR])) datasets.add(item);

  let pool: pg.Pool | undefined;
  let refreshTimer: ReturnType<typeof setInterval> | undefined;
  const app = Fastify({
    ...(typeof options.logger === 'object' ? { loggerInstance: options.logger } : { logger: options.logger ?? false }),
    bodyLimit: 32 * 1024 * 1024,
    forceCloseConnections: true,
    // One log line per simulated request would drown every other process's log.
    logController: new LogController({ disableRequestLogging: true }),
  });

  let refreshing: Promise<void> | undefined;
  let loadedRows = 0;
  const refreshDatasets = (): Promise<void> => {
    if (!pool) return Promise.resolve();
    const source = pool;
    // Concurrent callers share one read.
    refreshing ??= (async () => {
      try {
        const loaded = await loadDatabaseItems(source);
        datasets.replaceDatabaseItems(loaded.items);
        loadedRows = loaded.rows;
      } catch (error) {
        app.log.warn({ err: error }, 'simulator: could not read uploaded dataset items');
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };
  /**
   * The item a prompt comes from. A prompt no item matches may be from a dataset uploaded since
   * the last read: check (at most every MISS_CHECK_MS) and read again before answering it as unknown,
   * so a new dataset's first eval is not answered with filler (and its zeros reused later).
   */
  let checkedAt = 0;
  const matchItem = async (lastText: string, fullText: string) => {
    const item = datasets.match(lastText, fullText);
    if (item || !pool || Date.now() - checkedAt < MISS_CHECK_MS) return item;
    checkedAt = Date.now();
    // A count first: ordinary prompts miss all the time, and a full read is only due when items were added.
    const count = await countDatabaseItems(pool).catch(() => loadedRows);
    if (count === loadedRows) return item;
    await refreshDatasets();
    return datasets.match(lastText, fullText);
  };
  if (options.databaseUrl) {
    pool = createDatabasePool(options.databaseUrl);
    await refreshDatasets();
    refreshTimer = setInterval(() => void refreshDatasets(), options.datasetRefreshMs ?? 30_000);
    refreshTimer.unref();
  }
  app.addHook('onClose', async () => {
    if (refreshTimer) clearInterval(refreshTimer);
    await pool?.end();
  });

  let counter = 0;
  const nextId = () => (++counter).toString(36).padStart(6, '0');

  const hang = async (reply: FastifyReply, signal: AbortSignal): Promise<void> => {
    try {
      await delay(HANG_LIMIT_MS, undefined, { signal });
    } catch {
      return;
    }
    reply.raw.destroy();
  };

  const serve = async (format: SimFormat, request: FastifyRequest, reply: FastifyReply, modelFromUrl?: string, streamFromUrl?: boolean) => {
    if (!format.hasKey(request)) {
      const message =
        format.name === 'openai'
          ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
          : format.name === 'anthropic'
            ? 'x-api-key header is required'
            : 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.';
      return sendError(reply, format.error('auth', message));
    }
    let sim: SimRequest;
    try {
      sim = format.parse(request, modelFromUrl, streamFromUrl ?? false);
    } catch (error) {
      if (error instanceof SimHttpError) return sendError(reply, format.error(error.kind, error.message));
      throw error;
    }
    if (streamFromUrl !== undefined) sim.stream = streamFromUrl;
    const model = state.get(sim.model);
    if (!model || model.format !== format.name) {
      const message =
        format.name === 'openai'
          ? `The model \`${sim.model}\` does not exist or you do not have access to it.`
          : format.name === 'anthropic'
            ? `model: ${sim.model}`
            : `models/${sim.model} is not found for API version v1beta, or is not supported for generateContent.`;
      return sendError(reply, format.error('not_found', message));
    }

    const fault: Fault | undefined = parseFaultHeader(request.headers[FAULT_HEADER]) ?? drawFault(model, sim.stream, random);
    const retryAfterSeconds = model.reliability.retryAfterSeconds;
    switch (fault) {
      case '400':
        return sendError(reply, format.error('bad_request', 'Simulated invalid request.'));
      case '401':
        return sendError(reply, format.error('auth', 'Simulated invalid API key.', { status: 401 }));
      case '404':
        return sendError(reply, format.error('not_found', `Simulated: model ${sim.model} not found.`));
      case '429':
        return sendError(
          reply,
          format.error('rate_limited', `Rate limit reached for ${sim.model}. Please try again in ${retryAfterSeconds}s.`, { retryAfterSeconds }),
        );
      case '500':
        return sendError(reply, format.error('server', 'The server had an error while processing your request.'));
      case '503':
        return sendError(reply, format.error('unavailable', 'The model is overloaded. Please try again later.'));
      case '529':
        return sendError(reply, format.error('overloaded', 'Overloaded'));
      default:
        break;
    }

    const item = await matchItem(sim.lastText, sim.texts.join('\n'));
    const callId = `call_sim${nextId()}`;
    const outcome = composeOutcome(sim, { model, seed, item, random, callId });
    const context: StreamContext = {
      id: `${format.name === 'anthropic' ? 'msg_sim' : format.name === 'openai' ? 'chatcmpl-sim' : 'sim'}${nextId()}`,
      model: model.name,
      created: Math.floor(Date.now() / 1000),
      request: sim,
    };
    // Only waits need to hear about a client going away; zero-latency answers skip the controller.
    let signal = NEVER_ABORTED;
    if (!zeroLatency || fault === 'timeout') {
      const closed = new AbortController();
      reply.raw.on('close', () => closed.abort());
      signal = closed.signal;
    }
    const ttftMs = zeroLatency ? 0 : lognormal(random, model.latency.ttftMedianMs, model.latency.ttftSpread);

    const call: SimCall = { format, reply, model, context, outcome, fault, ttftMs, signal };
    return sim.stream ? stream(call) : respond(call);
  };

  const wait = async (ms: number, signal: AbortSignal): Promise<boolean> => {
    if (ms <= 0) return !signal.aborted;
    try {
      await delay(ms, undefined, { signal });
      return true;
    } catch {
      return false;
    }
  };

  const respond = async ({ format, reply, model, context, outcome, fault, ttftMs, signal }: SimCall) => {
    if (fault === 'timeout') {
      reply.hijack();
      await hang(reply, signal);
      return;
    }
    const generationMs = zeroLatency ? 0 : (outcome.completionTokens / model.latency.tokensPerSecond) * 1000;
    if (!(await wait(ttftMs + generationMs, signal))) return;
    if (fault === 'cut' || fault === 'reset') {
      reply.hijack();
      if (fault === 'reset') reply.raw.socket?.resetAndDestroy();
      else reply.raw.socket?.destroy();
      return;
    }
    if (fault === 'malformed') {
      return reply.code(200).header('content-type', 'application/json').send('{"id":"broken","choices":[{"index":0,"message":');
    }
    return reply.code(200).send(format.response(context, outcome));
  };

  const stream = async ({ format, reply, model, context, outcome, fault, ttftMs, signal }: SimCall) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    raw.flushHeaders();
    if (fault === 'timeout') return hang(reply, signal);
    if (!(await wait(ttftMs, signal))) return;
    const write = (frame: string): boolean => {
      if (signal.aborted || raw.destroyed) return false;
      if (frame.length > 0) raw.write(frame);
      return true;
    };
    if (!write(format.streamStart(context, outcome))) return;
    if (outcome.toolCalls.length > 0) {
      if (fault === 'cut' || fault === 'reset' || fault === 'malformed') return breakStream(format, raw, fault);
      if (!write(format.streamToolCalls(context, outcome))) return;
    } else {
      const pieces = streamPlan(outcome.text, zeroLatency ? null : model.latency.tokensPerSecond);
      const breakAt = fault === 'cut' || fault === 'reset' || fault === 'malformed' ? Math.max(1, Math.floor(pieces.length / 2)) : -1;
      for (let index = 0; index < pieces.length; index += 1) {
        if (index === breakAt) return breakStream(format, raw, fault as Fault);
        const piece = pieces[index] as StreamPiece;
        if (piece.pauseMs > 0 && !(await wait(piece.pauseMs, signal))) return;
        if (!write(format.streamText(context, piece.text))) return;
      }
      if (breakAt !== -1) return breakStream(format, raw, fault as Fault);
    }
    if (!write(format.streamEnd(context, outcome))) return;
    raw.end();
  };

  const breakStream = (format: SimFormat, raw: FastifyReply['raw'], fault: Fault): void => {
    if (raw.destroyed) return;
    if (fault === 'malformed') {
      raw.write(format.malformedFrame());
      raw.end();
    } else if (fault === 'reset') {
      // Let the client read what was sent first: a RST discards data still in flight.
      const socket = raw.socket;
      setTimeout(() => socket?.resetAndDestroy(), 30).unref();
    } else {
      // A clean end of the body before the vendor's terminator: the stream was cut.
      raw.end();
    }
  };

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => ({ status: 'ready', models: state.snapshot().length, datasetItems: datasets.size, uploadedItems: datasets.databaseSize }));

  // OpenAI
  app.post('/openai/v1/chat/completions', (request, reply) => serve(openAiFormat, request, reply));
  app.get('/openai/v1/models', async (request, reply) => {
    if (!openAiFormat.hasKey(request)) return sendError(reply, openAiFormat.error('auth', "You didn't provide an API key."));
    return {
      object: 'list',
      data: state.byFormat('openai').map((model) => ({ id: model.name, object: 'model', created: 1_763_683_200, owned_by: 'switchyard-simulator', context_window: model.contextWindow })),
    };
  });

  // Anthropic
  app.post('/anthropic/v1/messages', (request, reply) => serve(anthropicFormat, request, reply));
  app.get('/anthropic/v1/models', async (request, reply) => {
    if (!anthropicFormat.hasKey(request)) return sendError(reply, anthropicFormat.error('auth', 'x-api-key header is required'));
    const data = state.byFormat('anthropic').map((model) => ({ type: 'model', id: model.name, display_name: model.displayName ?? model.name, created_at: '2026-11-21T00:00:00Z' }));
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
  });

  // Gemini: `models/{model}:{action}` — the colon makes this a wildcard route.
  app.post('/gemini/v1beta/models/*', (request, reply) => {
    const target = (request.params as { '*': string })['*'];
    const colon = target.lastIndexOf(':');
    const model = colon === -1 ? target : target.slice(0, colon);
    const action = colon === -1 ? '' : target.slice(colon + 1);
    if (action === 'generateContent') return serve(geminiFormat, request, reply, model, false);
    if (action === 'streamGenerateContent') {
      if ((request.query as { alt?: string }).alt !== 'sse') {
        return sendError(reply, geminiFormat.error('bad_request', 'The simulator streams only with alt=sse.'));
      }
      return serve(geminiFormat, request, reply, model, true);
    }
    return sendError(reply, geminiFormat.error('not_found', `Method ${action} not found`));
  });
  app.get('/gemini/v1beta/models', async (request, reply) => {
    if (!geminiFormat.hasKey(request)) return sendError(reply, geminiFormat.error('auth', 'API key required'));
    return {
      models: state.byFormat('gemini').map((model) => ({
        name: `models/${model.name}`,
        displayName: model.displayName ?? model.name,
        inputTokenLimit: model.contextWindow,
        outputTokenLimit: model.maxOutputTokens,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent'],
      })),
    };
  });

  if (options.controlToken) registerControlRoutes(app, state, options.controlToken, refreshDatasets);

  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const format = request.url.startsWith('/anthropic') ? anthropicFormat : request.url.startsWith('/gemini') ? geminiFormat : openAiFormat;
    return sendError(reply, format.error(status >= 500 ? 'server' : 'bad_request', error.message, { status }));
  });

  return { app, state, datasets, refreshDatasets };
}

/** Start the simulator on a socket. `port: 0` picks a free port; `url` is where it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const simulator = await buildSimulator(options);
  const host = options.host ?? '127.0.0.1';
  await simulator.app.listen({ host, port: options.port ?? 0 });
  const address = simulator.app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    ...simulator,
    url: `http://${urlHost}:${port}`,
    port,
    close: () => simulator.app.close(),
  };
}
