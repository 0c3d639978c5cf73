/**
 * Schedules are data: `desiredSchedules(config, models)` lists every repeating job the
 * configuration asks for, and `registerSchedules` makes BullMQ match it — upserting each
 * scheduler (idempotent: restarting changes nothing) and removing schedulers that are no
 * longer configured (a model dropped from config stops being probed).
 */
import type { JobSchedulerTemplateOptions, Queue } from 'bullmq';
import type { SwitchyardConfig } from '@switchyard/core';
import { jobSubject } from './job-summary';
import { queueNames, schedulerId, type FixedQueueName, type QueueSet } from './queues';

export interface ScheduleSpec {
  queue: FixedQueueName;
  /** Scheduler id (no ':'). */
  id: string;
  /** Job name of each repetition. */
  name: string;
  everyMs: number;
  data: Record<string, unknown>;
  opts?: JobSchedulerTemplateOptions;
}

/** Scheduled jobs are not retried: the next repetition comes soon enough. */
const once: JobSchedulerTemplateOptions = { attempts: 1, removeOnComplete: { count: 200 }, removeOnFail: { count: 500 } };

export function desiredSchedules(config: SwitchyardConfig, enabledModels: readonly string[]): ScheduleSpec[] {
  const schedules = config.schedules;
  const specs: ScheduleSpec[] = [];
  const probed = schedules.latencyProbe.models.length > 0 ? schedules.latencyProbe.models : enabledModels;
  for (const model of [...new Set(probed)].sort()) {
    specs.push({
      queue: queueNames.latencyProbe,
      id: schedulerId('latency-probe', model),
      name: 'latency-probe',
      everyMs: schedules.latencyProbe.everyMs,
      data: { model },
      opts: once,
    });
  }
  specs.push({ queue: queueNames.catalogSync, id: schedulerId('catalog-sync'), name: 'catalog-sync', everyMs: schedules.catalogSync.everyMs, data: {}, opts: once });
  specs.push({
    queue: queueNames.outcomeIngest,
    id: schedulerId('outcome-ingest'),
    name: 'outcome-ingest',
    everyMs: schedules.outcomeIngest.everyMs,
    data: {},
    opts: { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
  });
  specs.push({ queue: queueNames.optimize, id: schedulerId('optimize'), name: 'optimize', everyMs: schedules.optimize.everyMs, data: { reason: 'schedule' }, opts: once });
  for (const evalSchedule of schedules.evals) {
    const key = `${evalSchedule.dataset}|${[...evalSchedule.models].sort().join(',')}|${evalSchedule.sample ?? 'all'}`;
    specs.push({
      queue: queueNames.evalRun,
      id: schedulerId('scheduled-eval', key),
      name: 'scheduled-eval',
      everyMs: evalSchedule.everyMs,
      data: { dataset: evalSchedule.dataset, models: evalSchedule.models, ...(evalSchedule.sample ? { sample: evalSchedule.sample } : {}) },
      opts: once,
    });
  }
  if (config.demoTraffic.ratePerSecond > 0) {
    specs.push({
      queue: queueNames.demoTraffic,
      id: schedulerId('demo-traffic'),
      name: 'demo-traffic',
      everyMs: 1_000,
      data: { ratePerSecond: config.demoTraffic.ratePerSecond },
      opts: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { count: 100 } },
    });
  }
  return specs;
}

export interface RegisterSchedulesResult {
  upserted: string[];
  removed: string[];
}

/** Make the queues' schedulers match `specs` exactly. */
export async function registerSchedules(queues: QueueSet, specs: readonly ScheduleSpec[]): Promise<RegisterSchedulesResult> {
  const result: RegisterSchedulesResult = { upserted: [], removed: [] };
  const wanted = new Map<string, Set<string>>();
  for (const spec of specs) {
    let ids = wanted.get(spec.queue);
    if (!ids) wanted.set(spec.queue, (ids = new Set()));
    ids.add(spec.id);
  }
  for (const name of Object.values(queueNames)) {
    const queue: Queue = queues.get(name);
    const existing = await queue.getJobSchedulers(0, -1);
    for (const scheduler of existing) {
      const id = scheduler.id ?? scheduler.key;
      if (!wanted.get(name)?.has(id)) {
        await queue.removeJobScheduler(id);
        result.removed.push(`${name}/${id}`);
      }
    }
  }
  for (const spec of specs) {
    await queues.get(spec.queue).upsertJobScheduler(spec.id, { every: spec.everyMs }, { name: spec.name, data: spec.data, ...(spec.opts ? { opts: spec.opts } : {}) });
    result.upserted.push(`${spec.queue}/${spec.id}`);
  }
  return result;
}

export interface ScheduleInfo {
  queue: string;
  id: string;
  name: string;
  everyMs: number | null;
  next: string | null;
  data: unknown;
  /** What each run is about (the probed model…), or null. */
  subject: string | null;
}

/** Every registered scheduler with its next run (for the jobs API and dashboard). */
export async function listSchedules(queues: QueueSet): Promise<ScheduleInfo[]> {
  const out: ScheduleInfo[] = [];
  for (const name of Object.values(queueNames)) {
    const schedulers = await queues.get(name).getJobSchedulers(0, -1, true);
    for (const scheduler of schedulers) {
      out.push({
        queue: name,
        id: scheduler.id ?? scheduler.key,
        name: scheduler.name,
        everyMs: scheduler.every ?? null,
        next: scheduler.next ? new Date(scheduler.next).toISOString() : null,
        data: scheduler.template?.data ?? null,
        subject: jobSubject(name, scheduler.template?.data),
      });
    }
  }
  return out.sort((left, right) => left.queue.localeCompare(right.queue) || left.id.localeCompare(right.id));
}
