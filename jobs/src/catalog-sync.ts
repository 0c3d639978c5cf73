/**
 * catalog-sync: refreshes prices and context windows. The bundled price catalog (through
 * `resolveModels`) is written to the models table — a price set by a user is kept — and
 * where a provider lists its models with prices (OpenRouter does), every listed price is
 * recorded as an observation; one that disagrees with the configured price is flagged,
 * never silently applied.
 */
import { sql } from 'kysely';
import { listModels, syncCatalog } from '@switchyard/db';
import { resolveModels } from '@switchyard/providers';
import type { JobsContext } from './context';

export interface CatalogSyncResult {
  models: number;
  providersListed: number;
  observations: number;
  disagreements: Array<{ model: string; source: string; configured: [number, number]; listed: [number, number] }>;
  errors: Array<{ provider: string; message: string }>;
}

const differs = (a: number, b: number) => Math.abs(a - b) > 1e-9 + 1e-6 * Math.max(Math.abs(a), Math.abs(b));

export async function processCatalogSync(context: JobsContext): Promise<CatalogSyncResult> {
  const resolved = resolveModels(context.config);
  await syncCatalog(context.db, resolved.providers, resolved.models);
  const result: CatalogSyncResult = { models: resolved.models.length, providersListed: 0, observations: 0, disagreements: [], errors: [] };

  const stored = new Map((await listModels(context.db)).map((row) => [row.id, row]));
  for (const [providerId, adapter] of context.providers.providers) {
    if (!adapter.listModels) continue;
    let listed;
    try {
      listed = await adapter.listModels({ signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      result.errors.push({ provider: providerId, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    result.providersListed += 1;
    const observations = [];
    for (const entry of listed) {
      const modelId = entry.id.startsWith(`${providerId}/`) ? entry.id : `${providerId}/${entry.id}`;
      const row = stored.get(modelId);
      if (!row || !entry.price) continue;
      const disagrees =
        differs(row.input_price_per_mtok, entry.price.inputPerMTok) || differs(row.output_price_per_mtok, entry.price.outputPerMTok);
      observations.push({
        model_id: modelId,
        source: `provider:${providerId}`,
        input_price_per_mtok: entry.price.inputPerMTok,
        output_price_per_mtok: entry.price.outputPerMTok,
        context_window: entry.contextWindow ?? null,
        disagrees,
      });
      if (disagrees) {
        result.disagreements.push({
          model: modelId,
          source: `provider:${providerId}`,
          configured: [row.input_price_per_mtok, row.output_price_per_mtok],
          listed: [entry.price.inputPerMTok, entry.price.outputPerMTok],
        });
      }
      // A context window the catalog did not know is filled in; prices are only observed.
      if (entry.contextWindow && row.context_window === null) {
        await context.db
          .updateTable('models')
          .set({ context_window: entry.contextWindow, updated_at: sql<Date>`now()` })
          .where('id', '=', modelId)
          .execute();
      }
    }
    if (observations.length > 0) await context.db.insertInto('price_observations').values(observations).execute();
    result.observations += observations.length;
  }
  if (result.disagreements.length > 0) {
    context.logger.warn({ disagreements: result.disagreements }, 'providers list prices that disagree with the configured ones (flagged, not applied)');
  }
  return result;
}
