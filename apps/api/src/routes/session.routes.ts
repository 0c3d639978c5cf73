import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SwitchyardError } from '@switchyard/core';
import type { ApiContext } from '../context';
import { assertAdmin } from '../auth';
import { documented } from './route-schema';

const sessionBody = z.object({ token: z.string().min(1).max(512) });
const digest = (value: string) => createHash('sha256').update(value).digest();
const COOKIE = 'sy_admin';

/**
 * POST /api/session exchanges the admin token for an HttpOnly cookie, so EventSource
 * (which cannot send headers) and the queue UI at /admin/queues are authenticated too.
 */
export async function sessionRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { config } = context;
  const authOn = config.api.auth === 'on' && Boolean(config.api.adminToken);

  app.get('/api/session', documented({ tags: ['session'], summary: 'Whether this client is signed in' }), async (request) => {
    if (!authOn) return { auth: 'off', authenticated: true };
    try {
      assertAdmin(request, config.api.adminToken as string);
      return { auth: 'on', authenticated: true };
    } catch {
      return { auth: 'on', authenticated: false };
    }
  });

  app.post(
    '/api/session',
    documented({ tags: ['session'], summary: 'Sign in with the admin token (sets the sy_admin cookie)', body: sessionBody }),
    async (request, reply) => {
      const { token } = sessionBody.parse(request.body ?? {});
      if (!authOn) return { auth: 'off', authenticated: true };
      if (!timingSafeEqual(digest(token), digest(config.api.adminToken as string))) {
        throw new SwitchyardError('auth', 'Invalid admin token');
      }
      reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${7 * 86400}`);
      return { auth: 'on', authenticated: true };
    },
  );

  app.delete('/api/session', documented({ tags: ['session'], summary: 'Sign out (clears the cookie)' }), async (_request, reply) => {
    reply.header('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    return { authenticated: false };
  });
}
