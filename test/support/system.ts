/**
 * Start the whole system as `npm start` does (scripts/start.ts), isolated for a test:
 * free ports, its own database and Redis key prefix, a temp data dir, fast schedules.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchyard/core';
import { createTestDatabase, createTestRedis } from '@switchyard/db/testing';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningSystem {
  apiUrl: string;
  routerUrl: string;
  simulatorUrl: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Last lines the system printed (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

export interface StartSystemOptions {
  env?: Record<string, string>;
  config?: Record<string, unknown>;
  timeoutMs?: number;
  /** Leave DATABASE_URL unset, so the launcher starts its embedded PostgreSQL (in a temp data dir). */
  embeddedDatabase?: boolean;
}

export async function startSystem(options: StartSystemOptions = {}): Promise<RunningSystem> {
  const database = await createTestDatabase({ migrate: false });
  const redis = await createTestRedis();
  const [apiPort, routerPort, simulatorPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-system-'));
  const configFile = join(dataDir, 'switchyard.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      schedules: {
        latencyProbe: { everyMs: 5_000 },
        optimize: { everyMs: 5_000 },
        outcomeIngest: { everyMs: 1_000 },
      },
      ...options.config,
    }),
  );
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    SWITCHYARD_REDIS_PREFIX: redis.prefix,
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_CONFIG: configFile,
    SWITCHYARD_API_PORT: String(apiPort),
    SWITCHYARD_ROUTER_PORT: String(routerPort),
    SWITCHYARD_SIMULATOR_PORT: String(simulatorPort),
    SWITCHYARD_API_AUTH: 'off',
    SWITCHYARD_ROUTER_AUTH: 'off',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  if (options.embeddedDatabase) delete env.DATABASE_URL;
  delete env.OPENAI_API_KEY;
  delete env.ANTHROPIC_API_KEY;
  delete env.GEMINI_API_KEY;
  delete env.OPENROUTER_API_KEY;

  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(line);
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const up = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`system did not start in time:\n${lines.slice(-60).join('\n')}`)), options.timeoutMs ?? 180_000);
    const check = () => {
      if (lines.some((line) => line.startsWith('Switchyard is up'))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`system exited with ${code} before it was up:\n${lines.slice(-60).join('\n')}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await redis.cleanup();
    await database.drop().catch(() => undefined);
  };
  try {
    await up;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    routerUrl: `http://127.0.0.1:${routerPort}`,
    simulatorUrl: `http://127.0.0.1:${simulatorPort}`,
    databaseUrl: options.embeddedDatabase ? '' : database.url,
    redisUrl: redis.url,
    redisPrefix: redis.prefix,
    logs: () => lines.join('\n'),
    stop,
  };
}
