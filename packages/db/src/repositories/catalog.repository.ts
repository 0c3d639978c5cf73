import { sql } from 'kysely';
import type { Db } from '../database';
import type { ModelRow, ModelUpdate, NewModelRow } from '../tables/model.table';
import type { NewProviderRow, ProviderRow } from '../tables/provider.table';

type Executor = Db;

/** Insert or update providers from config; status flags set by jobs are kept. */
export async function upsertProviders(db: Executor, rows: NewProviderRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('providers')
    .values(rows)
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet((eb) => ({
        type: eb.ref('excluded.type'),
        base_url: eb.ref('excluded.base_url'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export function listProviders(db: Executor): Promise<ProviderRow[]> {
  return db.selectFrom('providers').selectAll().orderBy('id').execute();
}

/**
 * Insert models, or refresh the ones present. A price set by a user or by config is never
 * overwritten by the catalog: only rows whose price came from the catalog take the new price.
 */
export async function upsertModels(db: Executor, rows: NewModelRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('models')
    .values(rows)
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet((eb) => ({
        upstream_name: eb.ref('excluded.upstream_name'),
        display_name: sql<string>`coalesce(excluded.display_name, models.display_name)`,
        context_window: sql<number>`coalesce(excluded.context_window, models.context_window)`,
        max_output_tokens: sql<number>`coalesce(excluded.max_output_tokens, models.max_output_tokens)`,
        capabilities: eb.ref('excluded.capabilities'),
        input_price_per_mtok: sql<number>`case when models.price_source = 'user' and excluded.price_source <> 'config' then models.input_price_per_mtok else excluded.input_price_per_mtok end`,
        output_price_per_mtok: sql<number>`case when models.price_source = 'user' and excluded.price_source <> 'config' then models.output_price_per_mtok else excluded.output_price_per_mtok end`,
        cached_input_price_per_mtok: sql<number>`case when models.price_source = 'user' and excluded.price_source <> 'config' then models.cached_input_price_per_mtok else excluded.cached_input_price_per_mtok end`,
        price_source: sql<string>`case when models.price_source = 'user' and excluded.price_source <> 'config' then models.price_source else excluded.price_source end`,
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export function listModels(db: Executor, options: { enabledOnly?: boolean } = {}): Promise<ModelRow[]> {
  let query = db.selectFrom('models').selectAll().orderBy('id');
  if (options.enabledOnly) query = query.where('enabled', '=', true);
  return query.execute();
}

/** Which of `ids` the catalog does not have, and the ids it has (sorted), for "unknown model" errors. */
export async function unknownModelIds(db: Executor, ids: readonly string[]): Promise<{ unknown: string[]; known: string[] }> {
  if (ids.length === 0) return { unknown: [], known: [] };
  const known = (await db.selectFrom('models').select('id').orderBy('id').execute()).map((row) => row.id);
  const set = new Set(known);
  return { unknown: ids.filter((id) => !set.has(id)), known };
}

export function getModel(db: Executor, id: string): Promise<ModelRow | undefined> {
  return db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateModel(db: Executor, id: string, update: ModelUpdate): Promise<ModelRow | undefined> {
  return db
    .updateTable('models')
    .set({ ...update, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Mark a model misconfigured (auth or bad request from jobs) or ok again. */
export async function setModelStatus(db: Executor, id: string, status: 'ok' | 'misconfigured', detail: string | null): Promise<void> {
  await db.updateTable('models').set({ status, status_detail: detail, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/** The shape of a configured model as `resolveModels` (packages/providers) produces it. */
export interface CatalogModelInput {
  id: string;
  providerId: string;
  upstreamName: string;
  displayName: string;
  price: { inputPerMTok: number; outputPerMTok: number; cachedInputPerMTok?: number | undefined };
  priceSource: string;
  contextWindow?: number | undefined;
  maxOutputTokens?: number | undefined;
  capabilities: Record<string, boolean>;
  enabled: boolean;
}

/**
 * Make the database's providers and models match configuration: new ones are inserted,
 * existing ones refreshed (a user-edited price or enabled flag is kept).
 */
export async function syncCatalog(
  db: Executor,
  providers: Array<{ id: string; type: string; baseUrl?: string | undefined }>,
  models: CatalogModelInput[],
): Promise<void> {
  await upsertProviders(
    db,
    providers.map((provider) => ({ id: provider.id, type: provider.type, base_url: provider.baseUrl ?? null })),
  );
  await upsertModels(
    db,
    models.map((model) => ({
      id: model.id,
      provider_id: model.providerId,
      upstream_name: model.upstreamName,
      display_name: model.displayName,
      input_price_per_mtok: model.price.inputPerMTok,
      output_price_per_mtok: model.price.outputPerMTok,
      cached_input_price_per_mtok: model.price.cachedInputPerMTok ?? null,
      price_source: model.priceSource,
      context_window: model.contextWindow ?? null,
      max_output_tokens: model.maxOutputTokens ?? null,
      capabilities: JSON.stringify(model.capabilities),
      enabled: model.enabled,
    })),
  );
}
