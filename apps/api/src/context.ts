import type { LiveHub } from './live-events';
import type { ConfigFileSource, Logger, SwitchyardConfig } from '@switchyard/core';
import type { Db } from '@switchyard/db';
import type { QueueSet } from '@switchyard/jobs';
import type { Redis } from 'ioredis';

/** What every route plugin of the control plane receives. Built once at start-up. */
export interface ApiContext {
  config: SwitchyardConfig;
  /** The config file looked for at start-up, and whether it existed (re-applying its routes needs one). */
  configFile: ConfigFileSource;
  db: Db;
  /** Shared Redis connection (pub/sub notifications, queues). */
  redis: Redis;
  logger: Logger;
  /** Set when the process is shutting down: /readyz answers 503. */
  state: { draining: boolean };
}

/** What route modules get: the process context plus what `createApi` builds once for all routes. */
export interface RouteContext extends ApiContext {
  /** The one live-events subscription of this API process. */
  live: LiveHub;
  /** The job queues (on their own BullMQ connection), shared by every route that queues work or reads jobs. */
  queues: QueueSet;
}
