import { timingSafeEqual, createHash } from 'node:crypto';
import { SwitchyardError } from '@switchyard/core';
import type { FastifyRequest } from 'fastify';

const digest = (value: string) => createHash('sha256').update(value).digest();

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

/**
 * The admin token comes as `Authorization: Bearer <token>`, or — for EventSource and the
 * queue UI, which cannot set headers — as the `sy_admin` cookie set by POST /api/session.
 */
export function assertAdmin(request: FastifyRequest, token: string): void {
  const header = request.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  const cookie = request.headers.cookie
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('sy_admin='))
    ?.slice('sy_admin='.length);
  const presented = bearer ?? (cookie ? decodeURIComponent(cookie) : undefined);
  if (!presented) throw new SwitchyardError('auth', 'Admin token required: send `Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN>`');
  if (!timingSafeEqual(digest(presented), digest(token))) throw new SwitchyardError('auth', 'Invalid admin token');
}
