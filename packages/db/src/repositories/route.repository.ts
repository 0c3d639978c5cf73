import { sql } from 'kysely';
import type { RouteConfig } from '@switchyard/core';
import type { Db } from '../database';
import type { RouteRow } from '../tables/route.table';
import { recordAudit } from './audit.repository';

export function listRoutes(db: Db): Promise<RouteRow[]> {
  return db.selectFrom('routes').selectAll().orderBy('name').execute();
}

export function getRoute(db: Db, name: string): Promise<RouteRow | undefined> {
  return db.selectFrom('routes').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Create or replace a route, recording who changed it. */
export async function saveRoute(db: Db, route: RouteConfig & { enabled?: boolean }, actor: string): Promise<RouteRow> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('routes')
      .values({
        name: route.name,
        description: route.description ?? null,
        candidates: route.candidates,
        objective: JSON.stringify(route.objective),
        constraints: JSON.stringify(route.constraints),
        enabled: route.enabled ?? true,
        updated_by: actor,
      })
      .onConflict((conflict) =>
        conflict.column('name').doUpdateSet((eb) => ({
          description: eb.ref('excluded.description'),
          candidates: eb.ref('excluded.candidates'),
          objective: eb.ref('excluded.objective'),
          constraints: eb.ref('excluded.constraints'),
          enabled: eb.ref('excluded.enabled'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: sql<Date>`now()`,
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'route.save', target: `route:${route.name}`, detail: route });
    return row;
  });
}

/** Seed routes from the config file on first start: existing routes are left alone. */
export async function seedRoutes(db: Db, routes: RouteConfig[]): Promise<number> {
  if (routes.length === 0) return 0;
  const result = await db
    .insertInto('routes')
    .values(
      routes.map((route) => ({
        name: route.name,
        description: route.description ?? null,
        candidates: route.candidates,
        objective: JSON.stringify(route.objective),
        constraints: JSON.stringify(route.constraints),
        updated_by: 'config',
      })),
    )
    .onConflict((conflict) => conflict.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function deleteRoute(db: Db, name: string, actor: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom('routes').where('name', '=', name).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return false;
    await recordAudit(trx, { actor, action: 'route.delete', target: `route:${name}`, detail: null });
    return true;
  });
}

export function routeRowToConfig(row: RouteRow): RouteConfig & { enabled: boolean } {
  return {
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    candidates: row.candidates,
    objective: row.objective,
    constraints: row.constraints,
    enabled: row.enabled,
  };
}
