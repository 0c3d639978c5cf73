/**
 * One line each for what a job is about (its subject: the probed model, the eval run, the
 * optimize request) and how it ended (its outcome: samples taken, policy published or not,
 * records ingested), read from the job's data and return value. The jobs page lists a dozen
 * "latency-probe" schedules and hundreds of runs; without these they all look alike.
 */
import { isRecord } from '@switchyard/core';
import type { CatalogSyncResult } from './catalog-sync';
import type { DemoTrafficData } from './demo-traffic';
import type { EvalItemJobData, EvalRunJobData } from './eval-run';
import type { LatencyProbeData, LatencyProbeResult } from './latency-probe';
import type { OptimizeJobData } from './optimize-trigger';
import type { OptimizeResult } from './optimize';
import type { OutcomeIngestResult } from './outcome-ingest';
import { queueNames } from './queues';

const usd = (value: number): string => `$${value < 0.01 ? value.toPrecision(2) : value.toFixed(2)}`;
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** What the job is about, or null when every job of its queue is about the same thing. */
export function jobSubject(queue: string, data: unknown): string | null {
  if (!isRecord(data)) return null;
  switch (queue) {
    case queueNames.latencyProbe:
      return (data as Partial<LatencyProbeData>).model ?? null;
    case queueNames.evalRun: {
      const run = data as Partial<EvalRunJobData>;
      return run.runId ? `run ${run.runId.slice(0, 8)}${run.itemIds ? ` · ${plural(run.itemIds.length, 'item')}` : ''}` : null;
    }
    case queueNames.optimize:
      return (data as Partial<OptimizeJobData>).reason ?? null;
    case queueNames.demoTraffic: {
      const rate = (data as Partial<DemoTrafficData>).ratePerSecond;
      return typeof rate === 'number' ? `${rate} requests/s` : null;
    }
    default: {
      const item = data as Partial<EvalItemJobData>;
      return item.modelId && item.runId ? `${item.modelId} · run ${item.runId.slice(0, 8)}` : null;
    }
  }
}

/** How a completed job ended, from its return value; null when it returned nothing telling. */
export function jobOutcome(queue: string, result: unknown): string | null {
  if (!isRecord(result)) return null;
  switch (queue) {
    case queueNames.latencyProbe: {
      const probe = result as LatencyProbeResult;
      if (probe.status === 'ok') return `${plural(probe.samples, 'sample')}, ${plural(probe.errors, 'error')}, ${usd(probe.costUsd)}`;
      return typeof probe.message === 'string' ? `${probe.status}: ${probe.message}` : probe.status;
    }
    case queueNames.optimize: {
      const optimize = result as Partial<OptimizeResult>;
      if (optimize.published === undefined) return null;
      return optimize.published ? `published ${optimize.hash?.slice(0, 8) ?? ''}: ${optimize.reason ?? ''}` : `not published: ${optimize.reason ?? ''}`;
    }
    case queueNames.outcomeIngest: {
      const ingest = result as Partial<OutcomeIngestResult>;
      if (typeof ingest.read !== 'number') return null;
      if (ingest.read === 0) return 'nothing to ingest';
      return `${plural(ingest.inserted ?? 0, 'record')} stored${ingest.malformed ? `, ${ingest.malformed} malformed dropped` : ''}`;
    }
    case queueNames.catalogSync: {
      const sync = result as Partial<CatalogSyncResult>;
      if (typeof sync.models !== 'number') return null;
      return `${plural(sync.models, 'model')}, ${plural(sync.disagreements?.length ?? 0, 'price disagreement')}, ${plural(sync.errors?.length ?? 0, 'error')}`;
    }
    case queueNames.demoTraffic: {
      const tick = result as { sent?: unknown; skipped?: unknown };
      if (typeof tick.sent !== 'number') return null;
      const skipped = typeof tick.skipped === 'number' && tick.skipped > 0 ? `, ${tick.skipped} skipped (too many in flight)` : '';
      return `${plural(tick.sent, 'request')} sent${skipped}`;
    }
    case queueNames.evalRun: {
      const run = result as { done?: unknown; errors?: unknown };
      return typeof run.done === 'number' ? `${plural(run.done, 'item')} done, ${plural(typeof run.errors === 'number' ? run.errors : 0, 'error')}` : null;
    }
    default: {
      const item = result as { score?: unknown; errorCode?: unknown; written?: unknown };
      if (typeof item.errorCode === 'string') return `error: ${item.errorCode}`;
      return typeof item.score === 'number' ? `score ${item.score.toFixed(2)}` : null;
    }
  }
}

/**
 * A completed run that is routine background noise, left out by `/api/jobs?hideIdle=true` (and, being routine, by `hideRoutine`): an outcome
 * ingest that found nothing to do (every 2 s), and every completed demo-traffic tick (one a
 * second while the generator is on; its requests show up as live traffic instead). A failed
 * run is never idle: `result` is null for it.
 */
export function jobIsIdle(queue: string, result: unknown): boolean {
  if (!isRecord(result)) return false;
  if (queue === queueNames.demoTraffic) return true;
  return queue === queueNames.outcomeIngest && (result as Partial<OutcomeIngestResult>).read === 0;
}

/**
 * A completed run that is the background heartbeat doing its job, hidden by default on the Jobs
 * page: every idle run, an outcome ingest that dropped no malformed record, and a latency
 * probe that measured without an error. Failures, probes that were refused or saw errors,
 * ingests that dropped records, evals, optimizer runs and catalog syncs are not routine.
 */
export function jobIsRoutine(queue: string, result: unknown): boolean {
  if (!isRecord(result)) return false;
  if (jobIsIdle(queue, result)) return true;
  if (queue === queueNames.outcomeIngest) {
    const malformed = (result as Partial<OutcomeIngestResult>).malformed;
    return !(typeof malformed === 'number' && malformed > 0);
  }
  if (queue === queueNames.latencyProbe) {
    const probe = result as Partial<Extract<LatencyProbeResult, { status: 'ok' }>>;
    return probe.status === 'ok' && probe.errors === 0;
  }
  return false;
}
