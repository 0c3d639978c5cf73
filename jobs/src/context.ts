import type { Redis } from 'ioredis';
import type { Logger, SwitchyardConfig } from '@switchyard/core';
import type { Db } from '@switchyard/db';
import type { ProviderSet } from '@switchyard/providers';
import type { QueueSet } from './queues';

/**
 * What every job processor receives. Built once per worker process by `startJobs`;
 * processors stay small functions of (context, job).
 */
export interface JobsContext {
  config: SwitchyardConfig;
  db: Db;
  /** Command connection (pub/sub publishes, streams). */
  redis: Redis;
  /** `config.redisPrefix`, or a test's random prefix. */
  prefix: string;
  logger: Logger;
  /** Adapters of every configured (or simulated) model. */
  providers: ProviderSet;
  queues: QueueSet;
  /** Unique per process: the consumer name in the decisions stream group. */
  consumer: string;
}
