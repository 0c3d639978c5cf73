/**
 * `npm start`: the whole Switchyard system in one command.
 *
 * Database (embedded PostgreSQL unless DATABASE_URL is set) and migrations, Redis (REDIS_URL,
 * else a private redis-server on a free loopback port), the dashboard build if missing, then
 * the simulator (when no real provider is configured), the control plane, the router and the
 * job workers as child processes with prefixed logs. Ctrl-C stops everything it started.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { ConfigError, loadConfig, type SwitchyardConfig } from '@switchyard/core';
import { migrateToLatest, createDb } from '@switchyard/db';
import { envProviderPresets, providerTypes } from '@switchyard/providers';
import { ROUTER_NODE_FLAGS } from '@switchyard/router/node-flags';
import { ensureRedis, type EnsuredRedis } from './redis';
import { formatLine, prefixLines } from './log-format';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The launcher's own lines look like its children's: `[start] INFO message key=value`.
const logger = pino(
  { level: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'info', base: undefined },
  { write: (line: string) => process.stdout.write(`[start] ${formatLine(line.trimEnd())}\n`) },
);

interface Child {
  name: string;
  process: ChildProcess;
  readyUrl?: string;
}

const children: Child[] = [];
let database: ChildProcess | undefined;
let redis: EnsuredRedis | undefined;
let stopping = false;

function fail(message: string): never {
  console.error(`switchyard: ${message}`);
  process.exit(1);
}

function startChild(name: string, entry: string, env: NodeJS.ProcessEnv, readyUrl?: string, nodeFlags: readonly string[] = []): Child {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', join(root, entry)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(child.stdout, name, process.stdout);
  prefixLines(child.stderr, name, process.stderr);
  child.on('exit', (code, signal) => {
    if (stopping) {
      logger.info({ code, signal }, `${name} stopped`);
      return;
    }
    logger.error({ code, signal }, `${name} exited unexpectedly; stopping Switchyard`);
    void stopAll(1);
  });
  const started: Child = { name, process: child, ...(readyUrl ? { readyUrl } : {}) };
  children.push(started);
  return started;
}

async function waitReady(child: Child, deadline: number): Promise<void> {
  if (!child.readyUrl) return;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(child.readyUrl, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name} did not become ready at ${child.readyUrl}`);
}

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping Switchyard');
  const stopStartedAt = Date.now();
  const exits = children.map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.process.exitCode !== null || child.process.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.process.kill('SIGKILL'), 25_000);
        child.process.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.process.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
  if (redis?.owned) {
    await redis.stop();
    logger.info('redis-server stopped');
  }
  if (database && database.exitCode === null) {
    const exited = new Promise((resolve) => database?.once('exit', resolve));
    database.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000))]);
    if (stopped) logger.info('embedded PostgreSQL stopped');
    else logger.warn('embedded PostgreSQL did not stop within 15 s');
  }
  logger.info({ seconds: Math.round((Date.now() - stopStartedAt) / 100) / 10 }, 'Switchyard stopped');
  process.exit(code);
}

/** Newest modification time of the dashboard's sources. */
function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, entry)));
  return newest;
}

/**
 * The embedded PostgreSQL runs in a detached helper process (scripts/embedded-db.ts): a
 * terminal Ctrl-C then stops the apps first, and the database last.
 */
function startEmbeddedDatabase(dataDir: string): Promise<{ url: string; port: number; dataDir: string }> {
  const child = fork(join(root, 'scripts/embedded-db.ts'), [dataDir], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  database = child;
  if (child.stdout) prefixLines(child.stdout, 'postgres', process.stdout);
  if (child.stderr) prefixLines(child.stderr, 'postgres', process.stderr);
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string; port: number; dataDir: string }));
    child.once('exit', (code) => reject(new Error(`the embedded PostgreSQL exited (code ${code}) before it was ready`)));
  });
}

/** Build the dashboard when it was never built or its sources changed since. */
function buildDashboard(): void {
  const dashboard = join(root, 'apps/dashboard');
  const built = join(dashboard, 'dist/index.html');
  if (!existsSync(join(dashboard, 'package.json'))) return;
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) => join(dashboard, name)).filter((path) => existsSync(path));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestSource))) return;
  logger.info(existsSync(built) ? 'rebuilding the dashboard (sources changed)' : 'building the dashboard (first start)');
  // A production build whoever starts us: under a test runner NODE_ENV is 'test', which makes
  // Vite build Svelte's development code into the bundle.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];
  const result = spawnSync('npm', ['run', 'build', '-w', 'apps/dashboard', '--silent'], { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) fail('the dashboard build failed (npm run build -w apps/dashboard)');
}

async function main(): Promise<void> {
  const started = Date.now();
  // Local defaults: auth off (loudly), unless the operator set it.
  const env: NodeJS.ProcessEnv = { ...process.env };
  env.SWITCHYARD_API_AUTH ??= env.SWITCHYARD_ADMIN_TOKEN ? 'on' : 'off';
  env.SWITCHYARD_ROUTER_AUTH ??= 'off';

  let config: SwitchyardConfig;
  try {
    config = loadConfig({ env, knownProviderTypes: providerTypes, envProviderPresets });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  if (!config.databaseUrl) {
    const embedded = await startEmbeddedDatabase(config.dataDir);
    env.DATABASE_URL = embedded.url;
    logger.info({ dataDir: embedded.dataDir }, `using embedded PostgreSQL (DATABASE_URL unset) at 127.0.0.1:${embedded.port}`);
  }
  const db = createDb(env.DATABASE_URL as string);
  try {
    const applied = await migrateToLatest(db);
    logger.info(applied.length ? { applied } : {}, applied.length ? 'migrations applied' : 'database schema is current');
  } catch (error) {
    fail(`cannot prepare the database at ${redactUrl(env.DATABASE_URL as string)}: ${(error as Error).message}`);
  } finally {
    await db.destroy();
  }

  redis = await ensureRedis(config.redisUrl, logger).catch((error: Error) => fail(error.message));
  env.REDIS_URL = redis.url;

  buildDashboard();

  const realProviders = config.providers.filter((provider) => provider.enabled).length;
  const runSimulator = config.simulator.mode === 'on' || (config.simulator.mode === 'auto' && realProviders === 0);
  env.SWITCHYARD_SIMULATOR = runSimulator ? 'on' : 'off';

  const base = `http://${config.host}`;
  const boot: Child[] = [];
  if (runSimulator) {
    boot.push(startChild('simulator', 'apps/simulator/src/main.ts', env, `${base}:${config.simulator.port}/readyz`));
    await waitReady(boot[0] as Child, Date.now() + 30_000);
  }
  boot.push(startChild('api', 'apps/api/src/main.ts', env, `${base}:${config.api.port}/readyz`));
  boot.push(startChild('router', 'apps/router/src/main.ts', env, `${base}:${config.router.port}/readyz`, ROUTER_NODE_FLAGS));
  boot.push(startChild('worker', 'jobs/src/main.ts', env));
  try {
    await Promise.all(boot.map((child) => waitReady(child, Date.now() + 120_000)));
  } catch (error) {
    logger.error((error as Error).message);
    await stopAll(1);
    return;
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const lines = [
    '',
    `Switchyard is up (${seconds}s)`,
    `  Dashboard         ${base}:${config.api.port}/`,
    `  OpenAI endpoint   ${base}:${config.router.port}/v1   (model: "auto")`,
    `  Queue UI          ${base}:${config.api.port}/admin/queues`,
    `  API docs          ${base}:${config.api.port}/docs`,
    runSimulator ? `  Simulator         ${base}:${config.simulator.port}   (no real provider configured: simulated fleet)` : '',
    '  Ctrl-C stops everything.',
    '',
  ].filter((line) => line !== '');
  console.log(lines.join('\n'));
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid url)';
  }
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch((error: unknown) => {
  console.error(`switchyard: ${(error as Error).message ?? String(error)}`);
  void stopAll(1);
});
