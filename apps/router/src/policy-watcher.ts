/**
 * Keeps the routing table current without touching the request path: loads the published
 * policy (Redis first, then Postgres), the routes and the models disabled in the catalog at
 * start, reloads when something is announced on `policyChannel` (a published policy, a model
 * switched on or off) and, as a safety net, every `intervalMs`. A reload compiles a
 * new table and hands it over whole; if the new policy fails to parse, the old table stays.
 */
import type { Redis } from 'ioredis';
import { redisKeys, type Logger, type RouteConfig } from '@switchyard/core';
import { listModels, listRoutes, loadCurrentPolicy, routeRowToConfig, type Db, type PublishedPolicy } from '@switchyard/db';
import { parsePolicyDocument, type PolicyDocument } from '@switchyard/policy';

export interface PolicySnapshot {
  policy: { hash: string; document: PolicyDocument } | undefined;
  routes: RouteConfig[];
  /** Models disabled in the catalog (Postgres). */
  disabledModels: ReadonlySet<string>;
  /** Where the policy came from. */
  source: 'redis-or-postgres' | 'none';
}

export interface PolicyWatcherOptions {
  db: Db | undefined;
  redis: Redis | undefined;
  prefix: string;
  intervalMs: number;
  configRoutes: readonly RouteConfig[];
  logger: Logger;
  /** Called with each new snapshot (policy hash or routes changed). */
  onChange(snapshot: PolicySnapshot): void;
  /** Messages on the API-keys channel (revocations). */
  onApiKeysMessage?(message: string): void;
  /** Also called on each periodic tick (e.g. to refresh API keys). */
  onTick?(): Promise<void>;
}

export class PolicyWatcher {
  private subscriber: Redis | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private lastKey = '';

  constructor(private readonly options: PolicyWatcherOptions) {}

  async start(): Promise<void> {
    await this.reload();
    const { redis, prefix } = this.options;
    if (redis) {
      const keys = redisKeys(prefix);
      const subscriber = redis.duplicate({ lazyConnect: true, maxRetriesPerRequest: null });
      this.subscriber = subscriber;
      subscriber.on('error', (error: Error) => this.options.logger.warn({ err: error.message }, 'policy subscriber: redis error'));
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === keys.policyChannel) void this.reload();
        else if (channel === keys.apiKeysChannel) this.options.onApiKeysMessage?.(message);
      });
      // A reconnect may have missed announcements: check once it is back.
      subscriber.on('ready', () => void this.reload());
      try {
        await subscriber.connect();
        await subscriber.subscribe(keys.policyChannel, keys.apiKeysChannel);
      } catch (error) {
        this.options.logger.warn({ err: (error as Error).message }, 'policy subscriber: cannot subscribe yet; relying on the periodic check');
      }
    }
    this.timer = setInterval(() => {
      void this.reload();
      void this.options.onTick?.().catch((error: unknown) => this.options.logger.warn({ err: (error as Error).message }, 'periodic refresh failed'));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Load policy and routes now; concurrent calls coalesce into one extra run. */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.loadOnce().catch((error: unknown) => this.options.logger.error({ err: (error as Error).message }, 'policy reload failed; keeping the current table'));
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loadOnce(): Promise<void> {
    const { db, redis, prefix } = this.options;
    const published: PublishedPolicy | undefined = await loadCurrentPolicy(db, redis, prefix);
    let routes = [...this.options.configRoutes];
    let disabled: string[] = [];
    if (db) {
      const [rows, models] = await Promise.all([listRoutes(db).catch(() => undefined), listModels(db).catch(() => undefined)]);
      if (rows && rows.length > 0) routes = rows.filter((row) => row.enabled).map(routeRowToConfig);
      if (models) disabled = models.filter((model) => !model.enabled).map((model) => model.id);
    }
    const key = `${published?.hash ?? ''}\u0000${JSON.stringify(routes)}\u0000${disabled.join(',')}`;
    if (key === this.lastKey) return;
    const policy = published ? { hash: published.hash, document: parsePolicyDocument(published.document) } : undefined;
    this.lastKey = key;
    this.options.onChange({ policy, routes, disabledModels: new Set(disabled), source: policy ? 'redis-or-postgres' : 'none' });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.subscriber) {
      this.subscriber.removeAllListeners('ready');
      this.subscriber.disconnect();
    }
    this.subscriber = undefined;
    await this.running;
  }
}
