/**
 * Publishing a policy: insert the immutable version and move the current pointer in one
 * Postgres transaction (policy.repository.ts), then tell every router through Redis —
 * the document goes to `currentPolicy` (routers read it at start) and the hash to the
 * pub/sub channel (running routers swap on it). Redis failing after the commit loses
 * nothing: routers' periodic check reads Postgres and catches up.
 */
import type { Redis } from 'ioredis';
import { redisKeys, type LiveEvent } from '@switchyard/core';
import type { Db } from './database';
import { getCurrentPolicy, publishPolicy, rollbackPolicy, type PolicyVersionInput, type PublishOptions, type PublishOutcome } from './repositories/policy.repository';

export interface PublishedPolicy {
  hash: string;
  document: Record<string, unknown>;
}

/** Write the current policy into Redis and announce it. */
export async function announcePolicy(redis: Redis, prefix: string, policy: PublishedPolicy, action: 'publish' | 'rollback' = 'publish'): Promise<void> {
  const keys = redisKeys(prefix);
  await redis.set(keys.currentPolicy, JSON.stringify(policy));
  await redis.publish(keys.policyChannel, policy.hash);
  const event: LiveEvent = { type: 'policy', hash: policy.hash, action };
  await redis.publish(keys.eventsChannel, JSON.stringify(event));
}

/**
 * Tell routers that what they route by changed outside a policy (a model switched on or off, a
 * route saved): they reload on the policy channel. Best effort: their periodic check catches up.
 */
export async function announceRoutingChange(redis: Redis, prefix: string, what: string): Promise<void> {
  await redis.publish(redisKeys(prefix).policyChannel, what).catch(() => undefined);
}

export async function publishAndAnnounce(
  db: Db,
  redis: Redis,
  prefix: string,
  input: PolicyVersionInput,
  options: PublishOptions = {},
): Promise<PublishOutcome> {
  const outcome = await publishPolicy(db, input, options);
  if (outcome.published) {
    await announcePolicy(redis, prefix, { hash: input.hash, document: input.document }).catch(() => undefined);
  }
  return outcome;
}

/** Make an earlier version current again, pinned (unless `pin` is false) so the optimizer leaves it in place. */
export async function rollbackAndAnnounce(db: Db, redis: Redis, prefix: string, hash: string, actor: string, pin = true): Promise<PublishOutcome | undefined> {
  const rolled = await rollbackPolicy(db, hash, actor, pin);
  if (!rolled) return undefined;
  const { outcome, row } = rolled;
  if (outcome.published) await announcePolicy(redis, prefix, { hash: row.hash, document: row.document }, 'rollback').catch(() => undefined);
  return outcome;
}

/**
 * The current policy as a router loads it: Redis first (fast, no Postgres needed), then
 * Postgres. Returns undefined when nothing was ever published.
 */
export async function loadCurrentPolicy(db: Db | undefined, redis: Redis | undefined, prefix: string): Promise<PublishedPolicy | undefined> {
  if (redis) {
    const cached = await redis.get(redisKeys(prefix).currentPolicy).catch(() => null);
    if (cached) {
      const parsed = JSON.parse(cached) as PublishedPolicy;
      if (parsed && typeof parsed.hash === 'string') return parsed;
    }
  }
  if (db) {
    const row = await getCurrentPolicy(db);
    if (row) return { hash: row.hash, document: row.document };
  }
  return undefined;
}
