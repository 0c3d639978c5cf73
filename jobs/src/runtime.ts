/**
 * The worker runtime: one process runs every job kind (or the kinds asked for), with
 * concurrency from config. More processes against the same Redis and Postgres scale out
 * with no other change: queues distribute jobs, locks and stalled-job checks recover the
 * jobs of a process that died, and every write is idempotent.
 */
import { hostname } from 'node:os';
import { Worker, type Job, type Processor, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger, ProviderConfig, SwitchyardConfig } from '@switchyard/core';
import type { Db } from '@switchyard/db';
import { simulatorProviders, type ProviderSet } from '@switchyard/providers';
import type { JobsContext } from './context';
import { processCatalogSync } from './catalog-sync';
import { processDemoTraffic, type DemoTrafficData } from './demo-traffic';
import { processEvalItem, processEvalRun, startEvalRun, type EvalItemJobData, type EvalRunJobData } from './eval-run';
import { processLatencyProbe, type LatencyProbeData } from './latency-probe';
import { ingestDecisions } from './outcome-ingest';
import { processOptimize } from './optimize';
import { workerMetrics } from './queue-counts';
import { createBullConnection, evalItemQueueName, queueNames, QueueSet } from './queues';
import { desiredSchedules, registerSchedules } from './schedules';

/** Eval-item concurrency of a simulated provider's queue (at least). */
const SIMULATED_CONCURRENCY = 32;
const simulatedProviderIds = new Set(Object.values(simulatorProviders).map((provider) => provider.id));

export const jobKinds = ['probe', 'catalog', 'eval', 'ingest', 'optimize', 'demo'] as const;
export type JobKind = (typeof jobKinds)[number];

export interface StartJobsOptions {
  config: SwitchyardConfig;
  db: Db;
  logger: Logger;
  providers: ProviderSet;
  /** Provider settings as resolved (the simulated fleet's are not in config): rate limits. */
  providerConfigs?: readonly ProviderConfig[];
  /** Defaults to `config.redisPrefix`. */
  prefix?: string;
  /** Which workers to run (default: all). */
  kinds?: readonly JobKind[];
  /** Register the configured schedules (default true). */
  schedules?: boolean;
  /** Overrides `config.worker.concurrency` for eval items (exactly, simulated providers included). */
  concurrency?: number;
  /**
   * Lock duration of active jobs: a process that dies holds its jobs this long before
   * another picks them up (stalled-job check). BullMQ's default is 30 s.
   */
  lockDurationMs?: number;
}

export interface JobsRuntime {
  context: JobsContext;
  workers: Worker[];
  /** Stop taking jobs, let running ones finish up to `deadlineMs`, then force-close. */
  close(deadlineMs?: number): Promise<void>;
}

export async function startJobs(options: StartJobsOptions): Promise<JobsRuntime> {
  const { config, db, logger, providers } = options;
  const prefix = options.prefix ?? config.redisPrefix;
  const connection = createBullConnection(config.redisUrl);
  const redis: Redis = connection.duplicate();
  const queues = new QueueSet(connection, prefix);
  const context: JobsContext = { config, db, redis, prefix, logger, providers, queues, consumer: `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}` };
  const kinds = new Set(options.kinds ?? jobKinds);
  const workers: Worker[] = [];
  const concurrency = options.concurrency ?? config.worker.concurrency;
  const lockDuration = options.lockDurationMs ?? 30_000;

  const addWorker = <Data, Result>(name: string, processor: Processor<Data, Result>, extra: Partial<WorkerOptions> = {}) => {
    const worker = new Worker<Data, Result>(name, processor, {
      connection,
      prefix: queues.prefix,
      concurrency: 1,
      lockDuration,
      stalledInterval: Math.max(1_000, Math.min(30_000, lockDuration)),
      maxStalledCount: 2,
      // A real completed/failed count per queue (job removal caps BullMQ's own): see queue-counts.ts.
      metrics: workerMetrics,
      ...extra,
    });
    worker.on('failed', (job: Job<Data, Result> | undefined, error: Error) => {
      // BullMQ reports every failed attempt; one that will be retried is not news.
      const willRetry = job !== undefined && error.name !== 'UnrecoverableError' && job.attemptsMade < (job.opts.attempts ?? 1);
      const entry = { queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: { message: error.message, name: error.name } };
      if (willRetry) logger.debug(entry, 'job attempt failed; retrying with backoff');
      else logger.warn(entry, 'job failed');
    });
    worker.on('error', (error) => logger.error({ queue: name, err: error }, 'worker error'));
    workers.push(worker as unknown as Worker);
    return worker;
  };

  if (kinds.has('probe')) {
    addWorker<LatencyProbeData, unknown>(queueNames.latencyProbe, (job) => processLatencyProbe(context, job), { concurrency: Math.min(4, concurrency) });
  }
  if (kinds.has('catalog')) addWorker(queueNames.catalogSync, () => processCatalogSync(context));
  if (kinds.has('ingest')) {
    addWorker(queueNames.outcomeIngest, () =>
      ingestDecisions({ db, redis, prefix, logger }, { batchSize: config.schedules.outcomeIngest.batchSize, consumer: context.consumer, claimIdleMs: 30_000 }),
    );
  }
  if (kinds.has('optimize')) addWorker(queueNames.optimize, () => processOptimize(context));
  if (kinds.has('demo')) addWorker<DemoTrafficData, unknown>(queueNames.demoTraffic, (job) => processDemoTraffic(context, job.data));
  if (kinds.has('eval')) {
    addWorker<EvalRunJobData | { dataset: string; models: string[]; sample?: number }, unknown>(
      queueNames.evalRun,
      async (job) => {
        if (job.name === 'scheduled-eval') {
          const data = job.data as { dataset: string; models: string[]; sample?: number };
          const models = data.models.length > 0 ? data.models : providers.models.filter((model) => model.enabled).map((model) => model.id);
          const runId = await startEvalRun(context, { dataset: data.dataset, models, trigger: 'schedule', ...(data.sample ? { sample: data.sample } : {}) });
          return { runId };
        }
        return processEvalRun(context, job as Job<EvalRunJobData>);
      },
      { concurrency: 2 },
    );
    // One queue per provider: its own concurrency, and a rate limiter at its jobs' request budget.
    for (const provider of options.providers.providers.keys()) {
      const settings = (options.providerConfigs ?? config.providers).find((entry) => entry.id === provider);
      const perMinute = settings?.jobRequestsPerMinute ?? 600;
      const queue = queues.get(evalItemQueueName(provider));
      addWorker<EvalItemJobData, unknown>(evalItemQueueName(provider), (job) => processEvalItem(context, job, queue), {
        // The simulator is local and free: its queues run wider so a first-start evaluation fills the leaderboard in minutes.
        concurrency: options.concurrency === undefined && simulatedProviderIds.has(provider) ? Math.max(concurrency, SIMULATED_CONCURRENCY) : concurrency,
        limiter: { max: perMinute, duration: 60_000 },
      });
    }
  }

  if (options.schedules !== false) {
    const enabled = providers.models.filter((model) => model.enabled).map((model) => model.id);
    const result = await registerSchedules(queues, desiredSchedules(config, enabled));
    logger.info({ schedules: result.upserted.length, removed: result.removed }, 'schedules registered');
  }
  logger.info({ workers: workers.map((worker) => worker.name), concurrency }, 'workers started');

  let closed: Promise<void> | undefined;
  const close = (deadlineMs = config.worker.shutdownDeadlineMs) => {
    closed ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.all(workers.map((worker) => worker.close())).then(() => 'done' as const);
      const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), deadlineMs)));
      const outcome = await Promise.race([graceful, deadline]);
      if (timer) clearTimeout(timer);
      if (outcome === 'deadline') {
        logger.warn({ deadlineMs }, 'shutdown deadline reached: closing workers with jobs still running (they will be picked up again)');
        await Promise.all(workers.map((worker) => worker.close(true).catch(() => undefined)));
      }
      await queues.close();
      redis.disconnect();
      await connection.quit().catch(() => connection.disconnect());
    })();
    return closed;
  };
  return { context, workers, close };
}

