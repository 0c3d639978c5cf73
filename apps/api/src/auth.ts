import { timingSafeEqual, createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { SwitchyardError } from '@switchyard/core';
import { adminSessionValid } from '@switchyard/db';
import type { FastifyRequest } from 'fastify';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Name of the cookie holding the admin session id (never the token itself). */
export const SESSION_COOKIE = 'sy_admin';

/** Paths that stay open with admin auth on: health, the dashboard shell and its assets, API docs. */
export function isPublicPath(url: string): boolean {
  const path = url.split('?')[0] ?? url;
  return (
    path === '/healthz' ||
    path === '/readyz' ||
    path === '/openapi.json' ||
    path.startsWith('/docs') ||
    !(path.startsWith('/api/') || path.startsWith('/admin/'))
  );
}

/** Whether `presented` is the admin token, in constant time. */
export function isAdminToken(presented: string, token: string): boolean {
  return timingSafeEqual(digest(presented), digest(token));
}

/** The session id in the request's `sy_admin` cookie, if any. */
export function sessionIdOf(request: FastifyRequest): string | undefined {
  const value = request.headers.cookie
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1);
  return value ? value : undefined;
}

export interface AdminAuth {
  token: string;
  redis: Redis;
  redisPrefix: string;
}

/**
 * The admin token comes as `Authorization: Bearer <token>` (CLI, scripts); the dashboard,
 * EventSource and the queue UI, which cannot set headers, send the `sy_admin` cookie holding
 * a session id from POST /api/session, checked against the sessions stored in Redis.
 */
export async function assertAdmin(request: FastifyRequest, auth: AdminAuth): Promise<void> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    if (!isAdminToken(header.slice(7), auth.token)) throw new SwitchyardError('auth', 'Invalid admin token');
    return;
  }
  const sessionId = sessionIdOf(request);
  if (!sessionId) throw new SwitchyardError('auth', 'Admin token required: send `Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN>`');
  if (!(await adminSessionValid(auth.redis, auth.redisPrefix, sessionId, auth.token))) {
    throw new SwitchyardError('auth', 'Session expired, signed out or opened with a previous admin token: sign in again with the admin token');
  }
}
