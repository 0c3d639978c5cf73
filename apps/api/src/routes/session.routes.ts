import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SwitchyardError } from '@switchyard/core';
import { ADMIN_SESSION_TTL_SECONDS, createAdminSession, deleteAdminSession } from '@switchyard/db';
import type { ApiContext } from '../context';
import { assertAdmin, isAdminToken, SESSION_COOKIE, sessionIdOf } from '../auth';
import { documented } from './route-schema';

const sessionBody = z.object({ token: z.string().min(1).max(512) });

/**
 * Whether the browser reached us over https: directly, or through a TLS-terminating proxy that
 * says so in X-Forwarded-Proto. Trusting the header is safe here: it can only add `Secure`.
 */
function overHttps(request: FastifyRequest): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return request.protocol === 'https' || first === 'https';
}

/** The session cookie: HttpOnly, SameSite=Strict, whole site, Secure when the request came over https. */
function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = overHttps(request) ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/**
 * POST /api/session exchanges the admin token for a session: a random id kept in Redis with a
 * TTL and sent back in an HttpOnly cookie, so EventSource (which cannot send headers) and the
 * queue UI at /admin/queues are authenticated too. The cookie never holds the token; signing
 * out deletes the session, so a copied cookie stops working.
 */
export async function sessionRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { config, redis } = context;
  const authOn = config.api.auth === 'on' && Boolean(config.api.adminToken);
  const adminAuth = { token: config.api.adminToken ?? '', redis, redisPrefix: config.redisPrefix };

  app.get('/api/session', documented({ tags: ['session'], summary: 'Whether this client is signed in' }), async (request) => {
    if (!authOn) return { auth: 'off', authenticated: true };
    const authenticated = await assertAdmin(request, adminAuth).then(
      () => true,
      (error: unknown) => {
        if (error instanceof SwitchyardError && error.code === 'auth') return false;
        throw error;
      },
    );
    return { auth: 'on', authenticated };
  });

  app.post(
    '/api/session',
    documented({ tags: ['session'], summary: 'Sign in with the admin token (sets the sy_admin session cookie)', body: sessionBody }),
    async (request, reply) => {
      const { token } = sessionBody.parse(request.body ?? {});
      if (!authOn) return { auth: 'off', authenticated: true };
      if (!isAdminToken(token, adminAuth.token)) throw new SwitchyardError('auth', 'Invalid admin token');
      const sessionId = await createAdminSession(redis, config.redisPrefix, adminAuth.token, ADMIN_SESSION_TTL_SECONDS);
      reply.header('set-cookie', sessionCookie(request, sessionId, ADMIN_SESSION_TTL_SECONDS));
      return { auth: 'on', authenticated: true };
    },
  );

  app.delete('/api/session', documented({ tags: ['session'], summary: 'Sign out (ends the session and clears the cookie)' }), async (request, reply) => {
    const sessionId = sessionIdOf(request);
    if (sessionId) await deleteAdminSession(redis, config.redisPrefix, sessionId);
    reply.header('set-cookie', sessionCookie(request, '', 0));
    return { authenticated: false };
  });
}
