/**
 * Runs the embedded PostgreSQL for `npm start` in a process group of its own, so a Ctrl-C in
 * the terminal reaches the apps (which drain gracefully) but not the database: the launcher
 * stops it last, with SIGTERM. Reports `{ url, port, dataDir }` over IPC once it is up.
 */
import { createLogger } from '@switchyard/core';
import { startEmbeddedPostgres } from '@switchyard/db';

async function main(): Promise<void> {
  const dataDir = process.argv[2] ?? '.switchyard';
  const database = await startEmbeddedPostgres({ dataDir, logger: createLogger('info', 'postgres') });
  // The library's exit hooks would end this process on the first signal; we stop it ourselves.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (database.owned) await database.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void stop());
  // If the launcher dies without stopping us, do not leave a database running.
  process.on('disconnect', () => void stop());
  process.send?.({ url: database.url, port: database.port, dataDir: database.dataDir });
}

main().catch((error: unknown) => {
  console.error(`switchyard: ${(error as Error).message ?? String(error)}`);
  process.exit(1);
});
