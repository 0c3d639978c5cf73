/**
 * The router under benchmark, in its own process (forked by router-bench.ts): production
 * wiring (Redis decision stream, default metrics) minus Postgres, auth off. Reports GC time
 * (perf_hooks 'gc' entries) and CPU time between a `reset` and a `report` message
 * (child-protocol.ts).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { configSchema, createLogger } from '@switchyard/core';
import { createProviderSet, fleetModels, loadFleet, warmTokenizer } from '@switchyard/providers';
import { createRouter } from '../src/index';
import { answerBenchParent } from './child-protocol';

const simulatorPort = Number(process.env.BENCH_SIMULATOR_PORT);
const fleetFile = process.env.BENCH_FLEET_FILE as string;
const prefix = process.env.BENCH_REDIS_PREFIX as string;
const candidates = (process.env.BENCH_CANDIDATES ?? '').split(',').filter(Boolean);

const config = configSchema.parse({
  host: '127.0.0.1',
  redisPrefix: prefix,
  logLevel: 'silent',
  api: { auth: 'off' },
  simulator: { mode: 'on', port: simulatorPort },
  router: { port: 0, auth: 'off', decisionStreamMaxLen: 20_000, policyCheckIntervalMs: 60_000 },
  routes: [{ name: 'auto', candidates }],
});
const fleet = loadFleet(fleetFile);
const providerSet = createProviderSet(fleetModels(fleet, simulatorPort, '127.0.0.1'));
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
// As main.ts does: the token table loads at start, not on the first estimate.
warmTokenizer();
const router = createRouter(config, { redis, providerSet, logger: createLogger('silent') });
const url = await router.start();

let gcMs = 0;
let gcCount = 0;
let gcMaxMs = 0;
let majorGcCount = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcMs += entry.duration;
    gcCount += 1;
    gcMaxMs = Math.max(gcMaxMs, entry.duration);
    if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcCount += 1;
  }
});
observer.observe({ entryTypes: ['gc'] });
// How long callbacks waited for the event loop: what this process itself adds to the tail.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
// BENCH_ALLOC_PROFILE=<file>: a sampling profile of everything the measured window allocated,
// garbage included (V8's heap sampler, every 4 KiB), written as a .heapprofile for DevTools.
// It shows where the young generation's allocations, and so the scavenges, come from.
const allocProfileFile = process.env.BENCH_ALLOC_PROFILE;
const inspector = allocProfileFile ? new Session() : undefined;
inspector?.connect();

answerBenchParent({
  url,
  reset: () => {
    if (inspector) {
      void inspector.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    }
    gcMs = 0;
    gcCount = 0;
    gcMaxMs = 0;
    majorGcCount = 0;
    loopDelay.reset();
  },
  report: async () => {
    if (inspector && allocProfileFile) {
      const { profile } = await inspector.post('HeapProfiler.stopSampling');
      writeFileSync(allocProfileFile, JSON.stringify(profile));
    }
    return {
      gcMs,
      gcCount,
      gcMaxMs,
      majorGcCount,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
      decisionsWritten: router.context.recorder.written,
      decisionsDropped: router.context.recorder.dropped,
    };
  },
  stop: async () => {
    await router.stop();
    await providerSet.close();
    redis.disconnect();
  },
});
