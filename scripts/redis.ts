import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, type Logger } from '@switchyard/core';

export interface EnsuredRedis {
  url: string;
  owned: boolean;
  stop(): Promise<void>;
}

async function ping(url: string): Promise<Redis | undefined> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1500, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch {
    client.disconnect();
    return undefined;
  }
}

/** BullMQ loses jobs if Redis may evict keys. */
async function warnEviction(client: Redis, logger: Logger): Promise<void> {
  const reply = (await client.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
  const policy = reply[1];
  if (policy && policy !== 'noeviction') {
    logger.warn(`Redis maxmemory-policy is "${policy}": BullMQ needs "noeviction" (redis-cli config set maxmemory-policy noeviction)`);
  }
}

/**
 * Use REDIS_URL if it answers; else start `redis-server` from PATH on a free loopback port
 * (no persistence). Throws a message saying how to install Redis when there is none.
 */
export async function ensureRedis(url: string, logger: Logger): Promise<EnsuredRedis> {
  const existing = await ping(url);
  if (existing) {
    await warnEviction(existing, logger);
    existing.disconnect();
    return { url, owned: false, stop: async () => undefined };
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server']);
  if (which.status !== 0) {
    throw new Error(
      `Redis is not reachable at ${url} and redis-server is not installed. Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running Redis.`,
    );
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  const ownUrl = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const client = await ping(ownUrl);
    if (client) {
      client.disconnect();
      logger.info(`Redis was not reachable at ${url}; started redis-server on 127.0.0.1:${port} (no persistence)`);
      return {
        url: ownUrl,
        owned: true,
        stop: async () => {
          child.kill('SIGTERM');
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`started redis-server on port ${port} but it did not answer`);
}
