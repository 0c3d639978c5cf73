import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { publicRouteName, routeNameSchema, SwitchyardError } from '@switchyard/core';
import { createApiKey, listRoutes } from '@switchyard/db';
import type { ApiContext } from '../context';
import { documented } from './route-schema';

const playgroundBody = z.object({
  route: routeNameSchema.default('auto'),
  messages: z
    .array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().max(100_000) }))
    .min(1)
    .max(50),
  /** Routing hints, passed as the router's `switchyard` body object. */
  hints: z
    .object({
      category: z.string().max(64).optional(),
      max_cost_per_mtok: z.number().nonnegative().optional(),
      max_ttft_ms: z.number().nonnegative().optional(),
      min_quality: z.number().min(0).max(1).optional(),
      only: z.array(z.string()).max(50).optional(),
      exclude: z.array(z.string()).max(50).optional(),
      fallback: z.boolean().optional(),
    })
    .optional(),
  stream: z.boolean().default(true),
  max_tokens: z.number().int().positive().max(8192).optional(),
  temperature: z.number().min(0).max(2).optional(),
});

/** The router's address as this process reaches it, and as a browser would. */
export function routerUrl(context: ApiContext): string {
  const host = context.config.host === '0.0.0.0' || context.config.host === '::' ? '127.0.0.1' : context.config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${context.config.router.port}`;
}

/**
 * The playground talks to the router through this API (same origin, admin-authenticated),
 * streaming the answer back and passing the router's `x-switchyard-*` headers through.
 */
/** Enabled route names from Postgres; the config file's before anything was stored. */
async function currentRouteNames(context: ApiContext): Promise<string[]> {
  const rows = await listRoutes(context.db);
  return rows.length > 0 ? rows.filter((row) => row.enabled).map((row) => row.name) : context.config.routes.map((route) => route.name);
}

export async function playgroundRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { config } = context;
  let key: Promise<string> | undefined;
  /** With router auth on, the playground uses its own API key, created once per API process. */
  const playgroundKey = () => {
    key ??= createApiKey(context.db, { name: 'dashboard-playground' }, 'dashboard').then((created) => created.key);
    key.catch(() => (key = undefined));
    return key;
  };

  app.get('/api/meta', documented({ tags: ['meta'], summary: 'Versions, addresses and switches the dashboard needs' }), async () => ({
    name: 'switchyard',
    version: '0.1.0',
    routerUrl: routerUrl(context),
    routerAuth: config.router.auth,
    apiAuth: config.api.auth,
    queueUi: '/admin/queues',
    docs: '/docs',
    openapi: '/openapi.json',
    // The routes as they are now (created and deleted through the API), not as the config file started them.
    routes: await currentRouteNames(context),
    demoTraffic: config.demoTraffic.ratePerSecond,
  }));

  app.post(
    '/api/playground/chat',
    documented({
      tags: ['playground'],
      summary: 'Send a chat to the router (auto route) and stream the answer with the routing headers',
      body: playgroundBody,
      produces: ['text/event-stream', 'application/json'],
    }),
    async (request, reply) => {
      const body = playgroundBody.parse(request.body ?? {});
      const controller = new AbortController();
      // The response closing before it finished means the browser went away: stop the upstream call.
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      const upstreamBody = {
        model: publicRouteName(body.route),
        messages: body.messages,
        stream: body.stream,
        ...(body.stream ? { stream_options: { include_usage: true } } : {}),
        ...(body.max_tokens ? { max_tokens: body.max_tokens } : {}),
        ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
        ...(body.hints ? { switchyard: body.hints } : {}),
      };
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (config.router.auth === 'on') headers.authorization = `Bearer ${await playgroundKey()}`;
      const started = performance.now();
      let upstream: Response;
      try {
        upstream = await fetch(`${routerUrl(context)}/v1/chat/completions`, {
          method: 'POST',
          headers,
          body: JSON.stringify(upstreamBody),
          signal: controller.signal,
        });
      } catch (error) {
        throw new SwitchyardError('unavailable', `The router at ${routerUrl(context)} is not reachable`, { cause: error });
      }
      const passthrough: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        if (name.startsWith('x-switchyard-') || name === 'x-request-id' || name === 'retry-after') passthrough[name] = value;
      });
      passthrough['x-playground-upstream-ms'] = (performance.now() - started).toFixed(1);
      const contentType = upstream.headers.get('content-type') ?? 'application/json';
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(upstream.status, {
        ...passthrough,
        'content-type': contentType,
        'cache-control': 'no-cache, no-transform',
        'x-content-type-options': 'nosniff',
      });
      if (!upstream.body) {
        raw.end();
        return;
      }
      try {
        const reader = upstream.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          raw.write(value);
        }
      } catch (error) {
        if (!controller.signal.aborted) {
          const message = error instanceof Error ? error.message : 'stream failed';
          raw.write(`data: ${JSON.stringify({ error: { message, type: 'api_error', code: 'upstream' } })}\n\n`);
        }
      } finally {
        raw.end();
      }
    },
  );
}
