import type { Logger, SwitchyardConfig } from '@switchyard/core';
import { seedRoutes, syncCatalog, type Db } from '@switchyard/db';
import { resolveModels } from '@switchyard/providers';
import { bundledDatasetsDir, registerBundledDatasets } from './bundled-datasets';

/**
 * First-start and every-start chores of the control plane, all idempotent: the configured
 * providers and models (or the simulated fleet) into the catalog tables, and the config
 * file's routes into the routes table when they are not there yet, and the bundled eval
 * sets in `datasets/` (a no-op once their versions exist).
 */
export async function bootstrapControlPlane(db: Db, config: SwitchyardConfig, logger: Logger): Promise<void> {
  const resolved = resolveModels(config);
  await syncCatalog(db, resolved.providers, resolved.models);
  const seeded = await seedRoutes(db, config.routes);
  logger.info({ providers: resolved.providers.length, models: resolved.models.length, routesSeeded: seeded }, 'catalog synced');
  await registerBundledDatasets(db, bundledDatasetsDir, logger);
}
