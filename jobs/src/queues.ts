/**
 * Queue names, job ids and the shared queue handles. Every queue lives under
 * `redisKeys(prefix).bullPrefix`, so several installs (and every test) share one Redis.
 */
import { FlowProducer, Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { redisKeys } from '@switchyard/core';

export const queueNames = {
  latencyProbe: 'latency-probe',
  catalogSync: 'catalog-sync',
  evalRun: 'eval-run',
  outcomeIngest: 'outcome-ingest',
  optimize: 'optimize',
  demoTraffic: 'demo-traffic',
} as const;
export type FixedQueueName = (typeof queueNames)[keyof typeof queueNames];

/** Eval items go to one queue per provider, so each provider gets its own concurrency and rate limit. */
export function evalItemQueueName(providerId: string): string {
  return `eval-item-${providerId}`;
}

/**
 * A piece of a job id. BullMQ rejects ids containing ':' (unless shaped like its own
 * scheduler ids) and integer ids, so parts are URI-encoded (':' → %3A) and joined by '|'.
 */
export function jobIdPart(value: string): string {
  return encodeURIComponent(value);
}

/** Deterministic id of one eval item job: a duplicate add is a no-op, a retry keeps the id. */
export function evalItemJobId(runId: string, itemId: string, modelId: string): string {
  return `eval|${runId}|${jobIdPart(itemId)}|${jobIdPart(modelId)}`;
}

export function evalRunJobId(runId: string): string {
  return `run|${runId}`;
}

/** Scheduler ids become part of BullMQ's `repeat:<id>:<time>` job ids: no ':' allowed. */
export function schedulerId(kind: string, key?: string): string {
  return key === undefined ? kind : `${kind}|${jobIdPart(key)}`;
}

/** Transient failures retry with exponential backoff and jitter; history is bounded. */
export const defaultJobOptions: DefaultJobOptions = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 2_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
};

/** A connection suitable for BullMQ (workers need `maxRetriesPerRequest: null`). */
export function createBullConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** Lazily created queue handles sharing one connection. */
export class QueueSet {
  readonly prefix: string;
  private readonly queues = new Map<string, Queue>();
  private flowProducer: FlowProducer | undefined;

  constructor(
    readonly connection: Redis,
    redisPrefix: string,
  ) {
    this.prefix = redisKeys(redisPrefix).bullPrefix;
  }

  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection as ConnectionOptions, prefix: this.prefix, defaultJobOptions });
      // Connection errors surface through the callers' awaits; an unhandled 'error' must not crash.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  get flows(): FlowProducer {
    this.flowProducer ??= new FlowProducer({ connection: this.connection as ConnectionOptions, prefix: this.prefix });
    return this.flowProducer;
  }

  /** Every queue handle created so far (for bull-board and the jobs API). */
  all(): Queue[] {
    return [...this.queues.values()];
  }

  async close(): Promise<void> {
    const queues = [...this.queues.values()];
    // A queue still initialising on its connection would reject unhandled once the
    // connection closes under it: let every initialisation settle first.
    await Promise.allSettled([...queues.map((queue) => queue.waitUntilReady()), this.flowProducer?.waitUntilReady()]);
    await Promise.allSettled(queues.map((queue) => queue.close()));
    await this.flowProducer?.close().catch(() => undefined);
    this.queues.clear();
    this.flowProducer = undefined;
  }
}
