/**
 * `npm start -w @switchyard/simulator`: the simulated fleet on its own. Reads the shared
 * configuration (SWITCHYARD_API_AUTH defaults to off here: the simulator has no admin API),
 * listens on SWITCHYARD_SIMULATOR_PORT, shuts down gracefully on SIGTERM/SIGINT.
 */
import { createLogger, loadConfig } from '@switchyard/core';
import { envProviderPresets, loadFleet, providerTypes } from '@switchyard/providers';
import { startSimulator } from './simulator';

const env: Record<string, string | undefined> = { SWITCHYARD_API_AUTH: 'off', ...process.env };
const config = loadConfig({ env, knownProviderTypes: providerTypes, envProviderPresets });
const logger = createLogger(config.logLevel, 'simulator');
const datasetDirs = (env.SWITCHYARD_SIMULATOR_DATASETS ?? '').split(',').filter((dir) => dir.length > 0);

const simulator = await startSimulator({
  host: config.host,
  port: config.simulator.port,
  fleet: loadFleet(config.simulator.fleetFile),
  controlToken: config.simulator.controlToken,
  zeroLatency: config.simulator.zeroLatency || ['1', 'true', 'on'].includes(env.SWITCHYARD_SIMULATOR_ZERO_LATENCY ?? ''),
  seed: Number(env.SWITCHYARD_SIMULATOR_SEED ?? 42),
  ...(datasetDirs.length > 0 ? { datasetDirs } : {}),
  ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
  logger,
});
logger.info({ url: simulator.url, datasetItems: simulator.datasets.size }, 'simulator listening');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'simulator stopping');
  await simulator.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
