/**
 * Admin sessions of the control plane, in Redis with a TTL under the configured key prefix.
 *
 * The dashboard signs in once with the admin token and from then on carries only a random
 * session id in its cookie. Redis holds the SHA-256 of the id (so a Redis dump cannot be
 * replayed as a cookie) and the SHA-256 of the admin token the session was opened with, so
 * changing the token ends every session opened with the old one; the key's TTL is the
 * session's expiry, and signing out deletes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { SwitchyardError } from '@switchyard/core';

/** Lifetime of a session: the key's TTL in Redis, and the cookie's Max-Age. */
export const ADMIN_SESSION_TTL_SECONDS = 7 * 86_400;

/** 32 random bytes, base64url: exactly 43 characters of the URL-safe alphabet. */
const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A session command, its wait bounded by the Redis client's own `commandTimeout` (the API's
 * client sets one): a Redis that does not answer is a 503 that says what to do, not a hang.
 */
async function sessionCommand<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (error) {
    if (error instanceof Error && error.message === 'Command timed out') {
      throw new SwitchyardError('unavailable', 'Sessions are unavailable: Redis does not answer. Try again, or send the admin token as a Bearer header', { cause: error });
    }
    throw error;
  }
}

function sessionKey(prefix: string, id: string): string {
  return `${prefix}:admin-session:${sha256(id)}`;
}

/** Start a session for whoever holds `adminToken`; returns its id (the only place the id exists outside the client's cookie). */
export async function createAdminSession(redis: Redis, prefix: string, adminToken: string, ttlSeconds = ADMIN_SESSION_TTL_SECONDS): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await sessionCommand(redis.set(sessionKey(prefix, id), JSON.stringify({ createdAt: new Date().toISOString(), token: sha256(adminToken) }), 'EX', ttlSeconds));
  return id;
}

/**
 * Whether `id` names a live session opened with the current `adminToken`. Malformed ids are
 * rejected without asking Redis; a Redis that does not answer (the client's `commandTimeout`) is a 503.
 */
export async function adminSessionValid(redis: Redis, prefix: string, id: string, adminToken: string): Promise<boolean> {
  if (!sessionIdPattern.test(id)) return false;
  const stored = await sessionCommand(redis.get(sessionKey(prefix, id)));
  if (stored === null) return false;
  const session = JSON.parse(stored) as { token?: string };
  return session.token === sha256(adminToken);
}

/** End a session (sign-out); a no-op for unknown ids. */
export async function deleteAdminSession(redis: Redis, prefix: string, id: string): Promise<void> {
  if (!sessionIdPattern.test(id)) return;
  await sessionCommand(redis.del(sessionKey(prefix, id)));
}
