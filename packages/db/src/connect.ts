import type { Logger, SwitchyardConfig } from '@switchyard/core';
import { createDb, type Db } from './database';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
import { migrateToLatest } from './migrate';

export interface OpenedDatabase {
  db: Db;
  url: string;
  embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
}

/**
 * Connect to DATABASE_URL, or start the embedded PostgreSQL when it is unset; then run
 * pending migrations (a no-op when current).
 */
export async function openDatabase(
  config: Pick<SwitchyardConfig, 'databaseUrl' | 'dataDir'>,
  options: { logger?: Logger; migrate?: boolean; applicationName?: string; maxConnections?: number } = {},
): Promise<OpenedDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, ...(options.logger ? { logger: options.logger } : {}) });
    url = embedded.url;
  }
  const db = createDb(url, {
    ...(options.applicationName ? { applicationName: options.applicationName } : {}),
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
  });
  if (options.migrate !== false) {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) options.logger?.info({ applied }, 'database migrations applied');
  }
  return {
    db,
    url,
    embedded,
    close: async () => {
      await db.destroy();
      if (embedded?.owned) await embedded.stop();
    },
  };
}
