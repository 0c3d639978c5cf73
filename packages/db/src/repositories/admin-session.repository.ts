/**
 * Admin sessions of the control plane, in Redis with a TTL under the configured key prefix.
 *
 * The dashboard signs in once with the admin token and from then on carries only a random
 * session id in its cookie. Redis holds the SHA-256 of the id (so a Redis dump cannot be
 * replayed as a cookie); the key's TTL is the session's expiry, and signing out deletes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Lifetime of a session: the key's TTL in Redis, and the cookie's Max-Age. */
export const ADMIN_SESSION_TTL_SECONDS = 7 * 86_400;

/** 32 random bytes, base64url: exactly 43 characters of the URL-safe alphabet. */
const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

function sessionKey(prefix: string, id: string): string {
  return `${prefix}:admin-session:${createHash('sha256').update(id).digest('hex')}`;
}

/** Start a session; returns its id (the only place the id exists outside the client's cookie). */
export async function createAdminSession(redis: Redis, prefix: string, ttlSeconds = ADMIN_SESSION_TTL_SECONDS): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await redis.set(sessionKey(prefix, id), JSON.stringify({ createdAt: new Date().toISOString() }), 'EX', ttlSeconds);
  return id;
}

/** Whether `id` names a live session. Malformed ids are rejected without asking Redis. */
export async function adminSessionExists(redis: Redis, prefix: string, id: string): Promise<boolean> {
  if (!sessionIdPattern.test(id)) return false;
  return (await redis.exists(sessionKey(prefix, id))) === 1;
}

/** End a session (sign-out); a no-op for unknown ids. */
export async function deleteAdminSession(redis: Redis, prefix: string, id: string): Promise<void> {
  if (!sessionIdPattern.test(id)) return;
  await redis.del(sessionKey(prefix, id));
}
