/**
 * `npm run start -w apps/router`: the serving router on its own. SIGTERM/SIGINT: /readyz turns
 * 503 at once so load balancers stop sending, in-flight requests finish (up to the grace
 * period), decision records are flushed, then the process exits.
 */
import { Redis } from 'ioredis';
import { ConfigError, createLogger, loadConfig, onShutdownSignal } from '@switchyard/core';
import { openDatabase } from '@switchyard/db';
import { createProviderSet, envProviderPresets, providerTypes, resolveModels, warmTokenizer } from '@switchyard/providers';
import { createRouter } from './router';

/** How long /readyz reports 503 before the listener closes, so balancers notice. */
const DRAIN_NOTICE_MS = 2_000;

async function main(): Promise<void> {
  const config = loadConfig({ knownProviderTypes: providerTypes, envProviderPresets });
  const logger = createLogger(config.logLevel, 'router');
  const database = await openDatabase(config, { logger, applicationName: 'switchyard-router' });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis error'));
  const providerSet = createProviderSet(resolveModels(config));
  // The tokenizer's rank table takes ~0.5–1 s to load: pay it here, not on the first request
  // that carries a cost cap or streams from a vendor that reports no usage.
  warmTokenizer();
  const router = createRouter(config, { db: database.db, redis, providerSet, logger });
  const url = await router.start();
  logger.info({ url, models: router.table.models.size, routes: [...router.table.routes.keys()] }, 'router listening');
  if (config.router.auth === 'off') {
    logger.warn('ROUTER AUTH IS OFF (SWITCHYARD_ROUTER_AUTH=off): anyone who can reach this port can spend your provider credits');
  }

  const shutdown = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'draining: /readyz now answers 503');
    // Whatever hangs, the process ends: in-flight requests get the request budget, no more.
    setTimeout(() => {
      logger.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, DRAIN_NOTICE_MS + config.router.requestBudgetMs).unref();
    router.drain();
    await new Promise((resolve) => setTimeout(resolve, DRAIN_NOTICE_MS));
    await router.stop();
    logger.info('router stopped; closing upstream pools, Redis and Postgres');
    await providerSet.close();
    redis.disconnect();
    await database.close();
    logger.info('bye');
    process.exit(0);
  };
  onShutdownSignal(shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `switchyard router: ${error.message}` : error);
  process.exit(1);
});
