/**
 * `npm run worker`: one process running every job kind against the configured Redis and
 * Postgres. Start more of them (here or on other machines) to scale out.
 *
 * Flags (for operators and tests): --kinds probe,eval,…  --no-schedules  --no-bootstrap
 * --concurrency N  --lock-duration-ms N
 */
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, loadConfig, onShutdownSignal } from '@switchyard/core';
import { openDatabase } from '@switchyard/db';
import { createProviderSet, envProviderPresets, providerTypes, resolveModels } from '@switchyard/providers';
import { bootstrapEvaluations } from './bootstrap';
import { processCatalogSync } from './catalog-sync';
import { jobKinds, startJobs, type JobKind } from './runtime';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kinds: { type: 'string' },
      'no-schedules': { type: 'boolean', default: false },
      'no-bootstrap': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'lock-duration-ms': { type: 'string' },
    },
  });
  const config = loadConfig({ knownProviderTypes: providerTypes, envProviderPresets });
  const logger = createLogger(config.logLevel, 'worker');
  const kinds = values.kinds ? (values.kinds.split(',').map((kind) => kind.trim()) as JobKind[]) : [...jobKinds];
  for (const kind of kinds) if (!jobKinds.includes(kind)) throw new ConfigError(`--kinds: unknown job kind "${kind}" (known: ${jobKinds.join(', ')})`);

  const database = await openDatabase(config, { logger, applicationName: 'switchyard-worker', maxConnections: Math.max(10, config.worker.concurrency + 4) });
  const resolved = resolveModels(config);
  const providers = createProviderSet(resolved);
  const runtime = await startJobs({
    config,
    db: database.db,
    logger,
    providers,
    providerConfigs: resolved.providers,
    kinds,
    schedules: !values['no-schedules'],
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
    ...(values['lock-duration-ms'] ? { lockDurationMs: Number(values['lock-duration-ms']) } : {}),
  });

  if (!values['no-bootstrap']) {
    // The catalog first (eval runs check models against it), then the first-start evaluation.
    void processCatalogSync(runtime.context)
      .then(() => bootstrapEvaluations(runtime.context))
      .then((result) => logger.info(result, 'first-start check'))
      .catch((error: unknown) => logger.error({ err: error }, 'first-start bootstrap failed'));
  }

  const shutdown = async (signal: string) => {
    logger.info({ signal, deadlineMs: config.worker.shutdownDeadlineMs }, 'shutting down: letting running jobs finish');
    await runtime.close(config.worker.shutdownDeadlineMs);
    await providers.close();
    await database.close();
    process.exit(0);
  };
  onShutdownSignal(shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `switchyard worker: ${error.message}` : error);
  process.exit(1);
});
