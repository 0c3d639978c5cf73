/** `npm run db:migrate [-- --down]`: apply pending migrations (or undo the last one). */
import { ConfigError, createLogger, loadConfig } from '@switchyard/core';
import { createDb } from '../database';
import { startEmbeddedPostgres } from '../embedded';
import { migrateDown, migrateToLatest } from '../migrate';

async function main(): Promise<void> {
  const config = loadConfig({ env: { SWITCHYARD_API_AUTH: 'off', ...process.env } });
  const logger = createLogger(config.logLevel, 'migrate');
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  const db = createDb(config.databaseUrl ?? (embedded as { url: string }).url);
  try {
    const names = process.argv.includes('--down') ? await migrateDown(db) : await migrateToLatest(db);
    logger.info(names.length ? { migrations: names } : {}, names.length ? 'migrations done' : 'already up to date');
  } finally {
    await db.destroy();
    if (embedded?.owned) await embedded.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `switchyard: ${error.message}` : `switchyard: migration failed: ${(error as Error).message}`);
  process.exit(1);
});
