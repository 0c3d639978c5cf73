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

/** How long a session check waits for Redis before answering 503 (instead of hanging the request). */
const SESSION_LOOKUP_TIMEOUT_MS = 2_000;

/** 32 random bytes, base64url: exactly 43 characters of the URL-safe alphabet. */
const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function sessionKey(prefix: string, id: string): string {
  return `${prefix}:admin-session:${sha256(id)}`;
}

/** Start a session for whoever holds `adminToken`; returns its id (the only place the id exists outside the client's cookie). */
export async function createAdminSession(redis: Redis, prefix: string, adminToken: string, ttlSeconds = ADMIN_SESSION_TTL_SECONDS): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await redis.set(sessionKey(prefix, id), JSON.stringify({ createdAt: new Date().toISOString(), token: sha256(adminToken) }), 'EX', ttlSeconds);
  return id;
}

/**
 * Whether `id` names a live session opened with the current `adminToken`. Malformed ids are
 * rejected without asking Redis; a Redis that does not answer within `timeoutMs` is a 503.
 */
export async function adminSessionValid(redis: Redis, prefix: string, id: string, adminToken: string, timeoutMs = SESSION_LOOKUP_TIMEOUT_MS): Promise<boolean> {
  if (!sessionIdPattern.test(id)) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new SwitchyardError('unavailable', 'Sessions are unavailable: Redis does not answer. Try again, or send the admin token as a Bearer header')), timeoutMs);
  });
  try {
    const stored = await Promise.race([redis.get(sessionKey(prefix, id)), timeout]);
    if (stored === null) return false;
    const session = JSON.parse(stored) as { token?: string };
    return session.token === sha256(adminToken);
  } finally {
    clearTimeout(timer);
  }
}

/** End a session (sign-out); a no-op for unknown ids. */
export async function deleteAdminSession(redis: Redis, prefix: string, id: string): Promise<void> {
  if (!sessionIdPattern.test(id)) return;
  await redis.del(sessionKey(prefix, id));
}
