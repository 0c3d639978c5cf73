import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { SwitchyardError } from '@switchyard/core';
import type { Db } from '../database';
import type { ApiKeyRow } from '../tables/api-key.table';
import { recordAudit } from './audit.repository';
import { unknownModelIds } from './catalog.repository';
import { listRoutes } from './route.repository';

/** SHA-256 (hex) of an API key: what Postgres stores and what routers look keys up by. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface NewApiKeyInput {
  name: string;
  /** Route names the key may use (`auto`, `cheap`, …); null or empty = every route. */
  routes?: string[] | null;
  /** Model ids the key may reach (directly or as routing candidates); null or empty = every model. */
  models?: string[] | null;
  rateLimitPerMin?: number | null;
}

export interface CreatedApiKey {
  row: ApiKeyRow;
  /** The plaintext key. Shown once; only its hash is stored. */
  key: string;
}

/**
 * A key may only name routes and models that exist: a typo would otherwise make a key that is
 * refused everywhere (or, for a model, one that never reaches what was meant). Routes are the
 * stored ones (the control plane stores the configured routes at start; before anything was
 * stored, e.g. the CLI on a fresh database, routes are not checked). Throws a `bad_request`
 * naming the unknown ones and listing what exists.
 */
export async function assertApiKeyScopes(
  db: Db,
  scopes: { routes?: readonly string[] | null | undefined; models?: readonly string[] | null | undefined },
): Promise<void> {
  const refuse = (param: string, what: string, unknown: readonly string[], known: readonly string[], source: string): never => {
    const listed = known.length > 20 ? `${known.slice(0, 20).join(', ')}, … (${known.length} in all, see ${source})` : known.join(', ') || 'none';
    throw new SwitchyardError('bad_request', `Unknown ${what}${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}. Configured ${what}s: ${listed}`, { param });
  };
  const routes = scopes.routes ?? [];
  if (routes.length > 0) {
    const known = (await listRoutes(db)).map((row) => row.name);
    const unknown = known.length === 0 ? [] : routes.filter((name) => !known.includes(name));
    if (unknown.length > 0) refuse('routes', 'route', unknown, known, 'GET /api/routes');
  }
  const models = await unknownModelIds(db, scopes.models ?? []);
  if (models.unknown.length > 0) refuse('models', 'model', models.unknown, models.known, 'GET /api/models');
}

/** Create a key (`sy-` + 32 random bytes, base64url). The plaintext is returned once and never stored. */
export async function createApiKey(db: Db, input: NewApiKeyInput, actor = 'system'): Promise<CreatedApiKey> {
  const key = `sy-${randomBytes(32).toString('base64url')}`;
  const row = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('api_keys')
      .values({
        name: input.name,
        prefix: key.slice(0, 10),
        key_hash: hashApiKey(key),
        routes: input.routes && input.routes.length > 0 ? input.routes : null,
        models: input.models && input.models.length > 0 ? input.models : null,
        rate_limit_per_min: input.rateLimitPerMin ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'api-key.create', target: `api-key:${inserted.id}`, detail: { name: input.name } });
    return inserted;
  });
  return { row, key };
}

export function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

/** Keys that are not revoked; routers load them all into memory at start. */
export function listActiveApiKeys(db: Db): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('revoked_at', 'is', null).orderBy('created_at').execute();
}

export function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute();
}

/**
 * Revoke a key. Routers drop it from their cache when told on `redisKeys(prefix).apiKeysChannel`
 * (publish the key id there after calling this), and at their next periodic refresh otherwise.
 */
export async function revokeApiKey(db: Db, id: string, actor = 'system'): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('api_keys')
      .set({ revoked_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await recordAudit(trx, { actor, action: 'api-key.revoke', target: `api-key:${id}`, detail: null });
    return true;
  });
}
