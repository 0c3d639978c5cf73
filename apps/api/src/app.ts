import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type HTTPMethods } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { httpErrorResponse, unmatchedRouteResponse } from '@switchyard/core';
import { createBullConnection, QueueSet } from '@switchyard/jobs';
import { assertAdmin, isPublicPath } from './auth';
import type { ApiContext, RouteContext } from './context';
import { LiveHub } from './live-events';
import { routeModules } from './routes/index';

const here = dirname(fileURLToPath(import.meta.url));
const dashboardDist = join(here, '../../dashboard/dist');

/** The dashboard loads only its own scripts, styles and images, and talks only to this origin. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
].join('; ');

/** JSON bodies of the control plane; dataset uploads are multipart, with their own limit. */
const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/** The methods an unmatched request's path may exist under, in the order an `allow` header lists them. */
const ROUTE_METHODS: readonly HTTPMethods[] = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** What `createApi` takes beside the process context. */
export interface CreateApiOptions {
  /** The built dashboard to serve at `/`, with its SPA fallback; `dashboardDist` by default. Served only if it exists at start-up. */
  dashboardDirectory?: string;
}

/**
 * The control plane: JSON API for the dashboard, OpenAPI docs, the queue UI and the built
 * dashboard. Handlers have no local try/catch: one error handler maps every error. A request
 * no route takes gets 405 with `allow` when its path exists under other methods (parametric
 * and wildcard routes included), else 404 — or, for a GET outside /api and /admin, the
 * dashboard's index.html.
 */
export async function createApi(context: ApiContext, options: CreateApiOptions = {}): Promise<FastifyInstance> {
  const { config } = context;
  const dashboardDirectory = options.dashboardDirectory ?? dashboardDist;
  // Decided once: the static routes and `reply.sendFile` exist only if it was there at start-up.
  const servesDashboard = existsSync(dashboardDirectory);
  const app = Fastify({
    loggerInstance: context.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
  });

  /**
   * The methods whose routes take this URL, found by fastify's own router (so `:params`,
   * wildcards and the trailing-slash rule match as they do for a real request).
   */
  const methodsServing = (url: string): HTTPMethods[] =>
    ROUTE_METHODS.filter((method) => {
      const found = app.findRoute({ method, url });
      // A parameter longer than maxParamLength comes back as the router's own 414 stand-in, under
      // any method with a parametric route there; unlike a route it parses no query (searchParams).
      return found !== null && found.searchParams !== undefined;
    });

  app.setErrorHandler((error, request, reply) => {
    const response = httpErrorResponse(error, { bodyLimitBytes: request.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES });
    if (response.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(response.status).headers(response.headers).send(response.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/') && !path.startsWith('/admin/') && request.method === 'GET' && servesDashboard) {
      return reply.sendFile('index.html');
    }
    const serving = methodsServing(request.url);
    // A route of this very method sent us here (a static-file route whose file is missing): the path exists, the file does not.
    const allowed = serving.includes(request.method as HTTPMethods) ? [] : serving;
    const response = unmatchedRouteResponse(request.method, path, allowed);
    return reply.code(response.status).headers(response.headers).send(response.body);
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });

  if (config.api.auth === 'on' && config.api.adminToken) {
    const adminAuth = { token: config.api.adminToken, redis: context.redis, redisPrefix: config.redisPrefix };
    app.addHook('onRequest', async (request) => {
      if (isPublicPath(request.url) || request.url.startsWith('/api/session')) return;
      await assertAdmin(request, adminAuth);
    });
  }

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchyard control plane', version: '0.1.0', description: 'Leaderboards, datasets, eval runs, policies, routes.' },
      components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer' } } },
      security: config.api.auth === 'on' ? [{ admin: [] }] : [],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const live = new LiveHub({ redis: context.redis, prefix: config.redisPrefix, logger: context.logger });
  app.addHook('onClose', async () => live.close());
  const queueConnection = createBullConnection(config.redisUrl);
  queueConnection.on('error', () => undefined);
  const queues = new QueueSet(queueConnection, config.redisPrefix);
  app.addHook('onClose', async () => {
    await queues.close();
    await queueConnection.quit().catch(() => queueConnection.disconnect());
  });
  const routeContext: RouteContext = { ...context, live, queues };
  for (const register of routeModules) await register(app, routeContext);

  if (servesDashboard) {
    await app.register(fastifyStatic, { root: dashboardDirectory, prefix: '/', wildcard: false, index: 'index.html' });
  }
  return app;
}
