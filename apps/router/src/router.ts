/**
 * The serving router: an OpenAI-compatible endpoint that routes by the published policy.
 * `createRouter(config, deps)` builds the fastify app and its lifecycle; `start()` loads the
 * policy, routes and API keys, subscribes to changes and listens; `drain()` makes /readyz
 * answer 503 while in-flight requests finish; `stop()` closes everything.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { httpErrorResponse, redisKeys, unmatchedRouteResponse, type Logger, type SwitchyardConfig } from '@switchyard/core';
import { findApiKeyByHash, listActiveApiKeys, type Db } from '@switchyard/db';
import type { ProviderSet } from '@switchyard/providers';
import { ApiKeyCache } from './api-keys';
import { compileClassifier } from './category';
import { CircuitBreakers } from './circuit-breaker';
import { DecisionRecorder } from './decision-recorder';
import { parseJsonBody } from './json-body';
import { RouterMetrics } from './metrics';
import { PolicyWatcher, type PolicySnapshot } from './policy-watcher';
import type { RouterContext } from './router-context';
import { compileRoutingTable, type RoutingTable } from './routing-table';
import { decisionRecord, registerChatCompletions, routingHeaders } from './routes/chat-completions';
import { registerServiceRoutes } from './routes/service';

export interface RouterDeps {
  /** Postgres: routes, API keys, feedback, the policy fallback. Optional for unit tests. */
  db?: Db | undefined;
  /** Redis: current policy, pub/sub, decision stream. Optional for unit tests. */
  redis?: Redis | undefined;
  providerSet: ProviderSet;
  logger: Logger;
  /** Collect Node's default process metrics (default true). */
  defaultMetrics?: boolean;
}

export interface SwitchyardRouter {
  app: FastifyInstance;
  context: RouterContext;
  /** Load policy, routes and keys and subscribe to changes (idempotent); no listening. */
  init(): Promise<void>;
  /** `init()` then listen on config.host:config.router.port; resolves to the base URL. */
  start(): Promise<string>;
  /** /readyz answers 503 from now on; in-flight and new requests are still served. */
  drain(): void;
  /** Drain, wait for in-flight requests, flush decision records, unsubscribe. */
  stop(): Promise<void>;
  /** Reload policy and routes now (tests; the watcher does it on announcements). */
  reload(): Promise<void>;
  readonly table: RoutingTable;
}

export function createRouter(config: SwitchyardConfig, deps: RouterDeps): SwitchyardRouter {
  const { db, redis, providerSet, logger } = deps;
  const keys = redisKeys(config.redisPrefix);
  const metrics = new RouterMetrics({ defaultMetrics: deps.defaultMetrics ?? true });
  const breakers = new CircuitBreakers({
    failureThreshold: config.router.circuitBreaker.failureThreshold,
    coolDownMs: config.router.circuitBreaker.coolDownMs,
    onChange: (model, state) => {
      metrics.circuit(model, state);
      logger.warn({ model, state }, 'circuit breaker changed state');
    },
  });
  const recorder = new DecisionRecorder({
    redis,
    streamKey: keys.decisions,
    maxLen: config.router.decisionStreamMaxLen,
    onDropped: (count) => metrics.decisionsDropped.inc(count),
    onWritten: (count) => metrics.decisionsWritten.inc(count),
  });
  const apiKeys =
    config.router.auth === 'on' && db
      ? new ApiKeyCache({ listActive: () => listActiveApiKeys(db), findByHash: (hash) => findApiKeyByHash(db, hash) })
      : undefined;
  if (config.router.auth === 'on' && !db) throw new Error('router auth is "on" but no database was given to read API keys from');

  const initial = compileRoutingTable({ providerSet, routes: config.routes });
  const context: RouterContext = {
    config,
    db,
    redis,
    providerSet,
    logger,
    metrics,
    breakers,
    recorder,
    apiKeys,
    live: { table: initial, classify: undefined },
    state: { ready: false, draining: false },
  };
  metrics.policy(null, initial.algorithm, true);

  const swap = (snapshot: PolicySnapshot): void => {
    const table = compileRoutingTable({ providerSet, routes: snapshot.routes, policy: snapshot.policy, disabledModels: snapshot.disabledModels });
    context.live = { table, classify: compileClassifier(snapshot.policy?.document.classifier) };
    metrics.policy(table.policyHash, table.algorithm, table.coldStart);
    logger.info({ policy: table.policyHash, algorithm: table.algorithm, routes: [...table.routes.keys()], coldStart: table.coldStart }, 'routing table loaded');
  };
  const watcher = new PolicyWatcher({
    db,
    redis,
    prefix: config.redisPrefix,
    intervalMs: config.router.policyCheckIntervalMs,
    configRoutes: config.routes,
    logger,
    onChange: swap,
    onApiKeysMessage: (message) => apiKeys?.invalidate(message),
    ...(apiKeys ? { onTick: () => apiKeys.refresh() } : {}),
  });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.router.bodyLimitBytes,
    genReqId: () => randomUUID(),
    // No child logger per request (pino builds one with its bindings and redaction each time):
    // the router logs per request only on internal errors, and names the request id there.
    childLoggerFactory: (logger) => logger,
    routerOptions: { ignoreTrailingSlash: true },
  });
  // JSON only: a text/plain body is a 415, not a string that fails validation later.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // A path no route has gets its 404/405, not a complaint about a body nobody would read.
    if (request.is404) {
      done(null, undefined);
      return;
    }
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.decorateRequest('apiKey', null);
  app.decorateRequest('routing', null);

  /** Methods other than the request's under which its path exists (the router's paths have no parameters). */
  const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
  const unmatched = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = ROUTE_METHODS.filter((method) => method !== request.method && app.hasRoute({ method, url: path }));
    const response = unmatchedRouteResponse(request.method, path, allowed);
    reply.header('x-request-id', request.id);
    return reply.code(response.status).headers(response.headers).send(response.body);
  };

  app.setErrorHandler((error, request, reply) => {
    const response = httpErrorResponse(error, { bodyLimitBytes: config.router.bodyLimitBytes });
    const routing = request.routing;
    reply.header('x-request-id', request.id);
    if (routing) {
      const served = null;
      routingHeaders(reply, routing, routing.chosen);
      metrics.request(routing.route, routing.stream ? 'sse' : 'json', response.status);
      recorder.record(decisionRecord(request.id, routing, { status: response.status, errorCode: response.error.code, servedModel: served, ttftMs: null, usage: undefined }));
    }
    metrics.error(response.error.code);
    if (response.status >= 500 && response.error.code === 'internal') request.log.error({ err: error, reqId: request.id }, 'request failed');
    return reply.code(response.status).headers(response.headers).send(response.body);
  });
  app.setNotFoundHandler(unmatched);

  if (apiKeys) {
    app.addHook('onRequest', (request, _reply, done) => {
      if (!request.url.startsWith('/v1/')) {
        done();
        return;
      }
      let result;
      try {
        result = apiKeys.authenticate(request.headers.authorization);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (result instanceof Promise) {
        result.then(
          (entry) => {
            request.apiKey = entry;
            try {
              ApiKeyCache.consume(entry);
            } catch (error) {
              done(error as Error);
              return;
            }
            done();
          },
          (error: Error) => done(error),
        );
        return;
      }
      request.apiKey = result;
      try {
        ApiKeyCache.consume(result);
      } catch (error) {
        done(error as Error);
        return;
      }
      done();
    });
  }

  registerChatCompletions(app, context);
  registerServiceRoutes(app, context);

  let initialized: Promise<void> | undefined;
  const init = (): Promise<void> => {
    initialized ??= (async () => {
      if (apiKeys) await apiKeys.refresh();
      await watcher.start();
      await app.ready();
      context.state.ready = true;
    })();
    return initialized;
  };

  return {
    app,
    context,
    init,
    async start() {
      await init();
      await app.listen({ host: config.host, port: config.router.port });
      const address = app.server.address() as AddressInfo;
      return `http://${config.host}:${address.port}`;
    },
    drain() {
      context.state.draining = true;
    },
    async stop() {
      context.state.draining = true;
      await app.close();
      await watcher.stop();
      await recorder.close();
      metrics.close();
    },
    reload: () => watcher.reload(),
    get table() {
      return context.live.table;
    },
  };
}
