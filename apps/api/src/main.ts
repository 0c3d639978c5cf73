/** `npm run start -w apps/api`: the control plane on its own. */
import { Redis } from 'ioredis';
import { ConfigError, createLogger, loadConfigWithSource, onShutdownSignal } from '@switchyard/core';
import { openDatabase } from '@switchyard/db';
import { envProviderPresets, providerTypes } from '@switchyard/providers';
import { createApi } from './app';
import { bootstrapControlPlane } from './bootstrap';
import type { ApiContext } from './context';

async function main(): Promise<void> {
  const { config, source: configFile } = loadConfigWithSource({ knownProviderTypes: providerTypes, envProviderPresets });
  const logger = createLogger(config.logLevel, 'api');
  const database = await openDatabase(config, { logger, applicationName: 'switchyard-api' });
  // Sessions and publishes only (BullMQ has its own connections): a Redis that stops answering
  // fails a command after 2 s (a 503 for a session check) instead of hanging the request.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, commandTimeout: 2_000 });
  await bootstrapControlPlane(database.db, config, logger);
  const context: ApiContext = { config, configFile, db: database.db, redis, logger, state: { draining: false } };
  const app = await createApi(context);
  await app.listen({ host: config.host, port: config.api.port });
  if (config.api.auth === 'off') logger.warn('admin auth is OFF (SWITCHYARD_API_AUTH=off): anyone who can reach this port controls Switchyard');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    context.state.draining = true;
    // Let load balancers see /readyz answer 503 before the listener closes.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await app.close();
    redis.disconnect();
    await database.close();
    process.exit(0);
  };
  onShutdownSignal(shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `switchyard api: ${error.message}` : error);
  process.exit(1);
});
